/**
 * Edits one profile of the AWS shared credentials file (INI) and leaves every other line as it
 * was: other profiles, comments, blank lines and the profile's own other keys.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ProfileCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The file the AWS SDKs and the AWS CLI read: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
export function sharedCredentialsPath(env: NodeJS.ProcessEnv): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(env.HOME || homedir(), '.aws', 'credentials');
}

const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;

export function setProfileCredentials(text: string, profile: string, credentials: ProfileCredentials): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const values: Record<(typeof KEYS)[number], string | undefined> = {
    aws_access_key_id: credentials.accessKeyId,
    aws_secret_access_key: credentials.secretAccessKey,
    aws_session_token: credentials.sessionToken,
  };
  const header = (line: string) => /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(line)?.[1].trim();
  const start = lines.findIndex((line) => header(line) === profile);
  const written = KEYS.filter((k) => values[k] !== undefined).map((k) => `${k} = ${values[k]}`);
  if (start < 0) {
    const gap = lines.length > 0 && lines[lines.length - 1].trim() !== '' ? [''] : [];
    return [...lines, ...gap, `[${profile}]`, ...written].join(eol) + eol;
  }
  let end = start + 1;
  while (end < lines.length && header(lines[end]) === undefined) end++;
  // Keep the profile's other lines (region, comments) in place; replace the three keys.
  const body = lines.slice(start + 1, end).filter((line) => !KEYS.some((k) => new RegExp(`^\\s*${k}\\s*=`).test(line)));
  const trailingBlank: string[] = [];
  while (body.length > 0 && body[body.length - 1].trim() === '') trailingBlank.unshift(body.pop()!);
  return [...lines.slice(0, start + 1), ...written, ...body, ...trailingBlank, ...lines.slice(end)].join(eol) + eol;
}
