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

/**
 * The file with the profile's three keys replaced (or the profile added at the end). Every other
 * byte is kept: other profiles, comments, blank lines, the profile's other keys, each line's own
 * ending (LF or CRLF, mixed as they are) and a missing newline at the end of the file. New lines
 * take the ending of the file's first line (LF in an empty file).
 */
export function setProfileCredentials(text: string, profile: string, credentials: ProfileCredentials): string {
  // Each line with its own ending; the last one may have none.
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const eol = /\r\n$/.test(lines[0] ?? '') ? '\r\n' : '\n';
  const content = (line: string) => line.replace(/\r?\n$/, '');
  const values: Record<(typeof KEYS)[number], string | undefined> = {
    aws_access_key_id: credentials.accessKeyId,
    aws_secret_access_key: credentials.secretAccessKey,
    aws_session_token: credentials.sessionToken,
  };
  const header = (line: string) => /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(content(line))?.[1].trim();
  const start = lines.findIndex((line) => header(line) === profile);
  const written = KEYS.filter((k) => values[k] !== undefined).map((k) => `${k} = ${values[k]}${eol}`);
  if (start < 0) {
    const before = lines.join('');
    // A last line without its newline gets one; a blank line sets the new profile apart.
    const ended = before === '' || before.endsWith('\n') ? before : before + eol;
    const gap = lines.length > 0 && content(lines[lines.length - 1]).trim() !== '' ? eol : '';
    return ended + gap + `[${profile}]${eol}` + written.join('');
  }
  let end = start + 1;
  while (end < lines.length && header(lines[end]) === undefined) end++;
  let head = lines[start];
  if (!head.endsWith('\n')) head += eol; // the header was the file's last line, without a newline
  // Keep the profile's other lines (region, comments) in place; replace the three keys.
  const body = lines.slice(start + 1, end).filter((line) => !KEYS.some((k) => new RegExp(`^\\s*${k}\\s*=`).test(line)));
  const last = written.length > 0 ? written.length - 1 : -1;
  // The written keys end the file when nothing followed the header: keep its missing final newline.
  if (body.length === 0 && end === lines.length && last >= 0 && !text.endsWith('\n')) written[last] = written[last].slice(0, -eol.length);
  return [...lines.slice(0, start), head, ...written, ...body, ...lines.slice(end)].join('');
}
