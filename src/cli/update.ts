/**
 * `eventbridge-connector update`: the helper's `update`, which keeps one profile of the shared
 * credentials file fresh: it writes the session's keys (atomically, with write-file-atomic, so a
 * reader never sees half a file), then again 5 minutes before they expire, until stopped. Each
 * read-modify-write holds the file's lock (credentials-file-lock.ts), so `update`s of other
 * profiles of the same file, in other processes, never write back each other's old copy.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { CREDENTIAL_FLAGS, CREDENTIAL_FLAGS_HELP, isoSeconds, providerFromFlags } from './credential-flags';
import { sharedCredentialsPath, setProfileCredentials } from './credentials-file';
import { readExistingCredentialsFile } from './credentials-file-guard';
import { withCredentialsFileLock } from './credentials-file-lock';
import { CliCommand, CliError } from './io';
import { parseFlags } from './options';
import { signalled, StopOptions } from './stop';
import { DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS } from '../runtime/credentials';
import type { AwsCredentials } from '../runtime/types';

export const UPDATE_USAGE = `Usage: eventbridge-connector update [flags]

Writes IAM Roles Anywhere session credentials into a profile of the AWS shared credentials file
(AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) and rewrites them ${DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS / 60} minutes before
they expire, until stopped. Other profiles and comments are kept byte for byte; each write is
atomic, and holds <file>.lock so that updates of other profiles in other processes lose nothing
(a wait of at most 10 s; a lock left by a process that died is taken over after 10 s).

Flags:
  --profile NAME            profile to update (default: default)
  --credentials-file FILE   the file to update (default: the AWS SDKs' shared credentials file)
  --once                    update once and exit
  --retry-errors            keep retrying failed refreshes with backoff (default: exit on an error)
${CREDENTIAL_FLAGS_HELP}`;

const FLAGS = {
  ...CREDENTIAL_FLAGS,
  'profile': { type: 'string' },
  'credentials-file': { type: 'string' },
  'once': { type: 'boolean' },
  'retry-errors': { type: 'boolean' },
} as const;

const PROFILE_NAME = /^[A-Za-z0-9_.@+-]{1,64}$/;
const MAX_BACKOFF_MS = 5 * 60_000;

export function updateCommand(stop: StopOptions = {}): CliCommand {
  return async (args, io) => {
    const flags = parseFlags('update', args, FLAGS);
    if (flags.help) {
      io.stdout(UPDATE_USAGE);
      return 0;
    }
    if (flags.once && flags['retry-errors']) throw new CliError('--once and --retry-errors were given together: expected at most one of them');
    const profile = flags.profile ?? 'default';
    if (!PROFILE_NAME.test(profile)) throw new CliError(`invalid --profile '${profile.slice(0, 80)}': expected 1 to 64 letters, digits and _ . @ + -`);
    const file = flags['credentials-file'] !== undefined ? resolve(io.cwd, flags['credentials-file']) : sharedCredentialsPath(io.env);
    const provider = providerFromFlags(flags, io);

    const write = async (): Promise<AwsCredentials> => {
      readExistingCredentialsFile(file); // refuse a wrong file before asking for a session
      const credentials = await provider();
      await writeProfile(file, profile, credentials);
      io.stderr(`updated profile '${profile}' in ${file}; credentials expire at ${isoSeconds(credentials.expiration)}\n`);
      return credentials;
    };
    if (flags.once) {
      await write();
      return 0;
    }
    const stopped = stop.stopSignal ?? signalled();
    let done = false;
    void stopped.then(() => (done = true));
    let backoffMs = 1000;
    while (!done) {
      let waitMs: number;
      try {
        const credentials = await write();
        backoffMs = 1000;
        const expires = credentials.expiration?.getTime() ?? Date.now() + 3600_000;
        waitMs = Math.max(1000, expires - DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS * 1000 - Date.now() + 1000);
      } catch (e) {
        if (!flags['retry-errors']) throw e;
        io.stderr(`error: ${(e as Error).message}; retrying in ${Math.round(backoffMs / 1000)} s\n`);
        waitMs = backoffMs;
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
    }
    return 0;
  };
}

async function writeProfile(file: string, profile: string, credentials: AwsCredentials): Promise<void> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  await withCredentialsFileLock(file, async (stillHeld) => {
    // Read under the lock, checked again: the file may have changed while the session was created.
    const { text, mode } = readExistingCredentialsFile(file);
    const changed = setProfileCredentials(text, profile, credentials);
    stillHeld();
    // write-file-atomic writes through a symlink to its (checked, regular) target.
    await writeFileAtomic(file, changed, { mode });
  });
}
