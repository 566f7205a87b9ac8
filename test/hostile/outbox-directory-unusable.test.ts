// Outbox directories that cannot be used: under /proc (where Node's recursive mkdir loops for
// ever), too long, an existing file, a NUL byte, and files in the directory that are not what
// the outbox expects. Each must be refused at once with `invalid outbox directory '<path>': ...`,
// the path quoted and bounded, never a raw Node error, never a wait without end.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorClient, InputError, OutboxError } from '../../src/runtime';
import { clientFor, UNREACHABLE } from '../runtime/outbox/support';

/** Longer than the outbox could ever need to refuse: a hang fails the test instead of the run. */
const BOUND_MS = 10_000;

let client: ConnectorClient;
let dir: string;
beforeEach(async () => {
  client = clientFor(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
  dir = await fs.mkdtemp(join(tmpdir(), 'outbox-directory-'));
});
afterEach(async () => {
  await client.close({ deadlineMs: 100 });
  await fs.rm(dir, { recursive: true, force: true });
});

/** How opening an outbox on `directory` failed, within BOUND_MS. */
async function refusal(directory: string): Promise<Error> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`opening the outbox did not end within ${BOUND_MS} ms`)), BOUND_MS);
  });
  try {
    const outcome = await Promise.race([client.outbox({ directory }).then(() => undefined, (e: unknown) => e as Error), bound]);
    if (outcome === undefined) throw new Error(`the outbox opened on ${directory}`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

describe('an outbox directory that cannot be made', () => {
  test('under /proc: refused at once (Node\'s recursive mkdir would loop for ever), naming the parent that holds no directories', async () => {
    const error = await refusal('/proc/x/outbox');
    expect(error).toBeInstanceOf(OutboxError);
    expect((error as OutboxError).code).toBe('InvalidOutboxDirectory');
    expect(error.message).toBe("invalid outbox directory '/proc/x/outbox': '/proc' cannot hold directories (mkdir answered ENOENT although it exists, " +
      'as /proc and /sys do): expected the path of a directory this process can create and write');
  });

  test('an existing file: refused as a file, not a raw EEXIST', async () => {
    const file = join(dir, 'outbox');
    await fs.writeFile(file, 'not a directory');
    const error = await refusal(file);
    expect((error as OutboxError).code).toBe('InvalidOutboxDirectory');
    expect(error.message).toBe(`invalid outbox directory '${file}': it is a file, not a directory: expected the path of a directory this process can create and write`);
  });

  test('a file in the middle of the path: the message names it (a raw ENOTDIR otherwise)', async () => {
    const file = join(dir, 'file');
    await fs.writeFile(file, '');
    const error = await refusal(join(file, 'a', 'outbox'));
    expect((error as OutboxError).code).toBe('InvalidOutboxDirectory');
    expect(error.message).toBe(`invalid outbox directory '${join(file, 'a', 'outbox')}': '${file}' in its path is a file, not a directory: ` +
      'expected the path of a directory this process can create and write');
  });
});

describe('an outbox directory that is no valid path: refused before any file system call', () => {
  test('a name longer than 255 bytes (ENAMETOOLONG from Node, with the whole path in it): the message is bounded', async () => {
    const name = 'n'.repeat(300);
    const error = await refusal(join(dir, name, 'outbox'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(new RegExp(`^invalid outbox directory '${dir}/n+\\.\\.\\.' \\(\\d+ characters\\): the name 'n{40}\\.\\.\\.' \\(300 characters\\) in it is 300 bytes long: expected names of at most 255 bytes \\(NAME_MAX\\)$`));
    expect(error.message.length).toBeLessThan(400);
    // Nothing was made on the way.
    expect(await fs.readdir(dir)).toEqual([]);
  });

  test('a path longer than 4095 bytes: refused with its length, bounded', async () => {
    const path = join(dir, ...Array.from({ length: 40 }, () => 'd'.repeat(120)));
    const error = await refusal(path);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^invalid outbox directory '.{160}\.\.\.' \(\d+ characters\): the path is \d+ bytes long: expected at most 4095 bytes \(PATH_MAX\)$/);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  test('a NUL byte: refused with the NUL shown escaped, not a raw TypeError', async () => {
    const error = await refusal(`${dir}/out\0box`);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`invalid outbox directory '${dir}/out\\x00box': it holds a NUL character, which no file system path can: ` +
      'expected the path of a directory this process can create and write');
  });

  test.each([
    ['an empty string', ''],
    ['a number', 42],
  ])('%s', async (_what, directory) => {
    const error = await refusal(directory as string);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`invalid outbox directory '${String(directory)}': expected the path of a directory for the outbox's files`);
  });
});

describe('files in the directory that are not what the outbox expects: mapped, never raw', () => {
  test('a lock file that is a directory', async () => {
    await fs.mkdir(join(dir, 'outbox.lock'));
    const error = await refusal(dir);
    expect((error as OutboxError).code).toBe('InvalidOutboxDirectory');
    expect(error.message).toBe(`invalid outbox directory '${dir}': read '${dir}/outbox.lock' failed with EISDIR (a directory where a file was expected): ` +
      'expected the path of a directory this process can create and write');
    expect(await fs.readdir(dir)).toEqual(['outbox.lock']);
  });

  test('a segment file that is a directory: the lock is released', async () => {
    await fs.mkdir(join(dir, '000000000001.log'));
    const error = await refusal(dir);
    expect((error as OutboxError).code).toBe('InvalidOutboxDirectory');
    expect(error.message).toBe(`invalid outbox directory '${dir}': read '${dir}/000000000001.log' failed with EISDIR (a directory where a file was expected): ` +
      'expected the path of a directory this process can create and write');
    expect(await fs.readdir(dir)).toEqual(['000000000001.log']);
  });
});
