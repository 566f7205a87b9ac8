/**
 * The lock update holds around its read-modify-write of the credentials file, and the rewrite's
 * promise to keep every byte it does not own.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { setProfileCredentials } from '../../src/cli/credentials-file';
import { withCredentialsFileLock } from '../../src/cli/credentials-file-lock';

const dir = mkdtempSync(join(tmpdir(), 'credentials-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withCredentialsFileLock', () => {
  test('changes run one at a time: a second waits until the first released', async () => {
    const file = join(dir, 'serial');
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = withCredentialsFileLock(file, async () => {
      order.push('first in');
      await new Promise<void>((r) => (releaseFirst = r));
      order.push('first out');
    });
    while (order.length === 0) await new Promise((r) => setTimeout(r, 5));
    const second = withCredentialsFileLock(file, async () => void order.push('second in'));
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual(['first in']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  test('a lock another process holds and keeps fresh is waited for at most waitMs, then refused naming it', async () => {
    const file = join(dir, 'held');
    const release = await lock(file, { realpath: false, lockfilePath: `${file}.lock` });
    try {
      let ran = false;
      await expect(withCredentialsFileLock(file, async () => void (ran = true), { waitMs: 300 })).rejects.toThrow(
        `cannot lock credentials file '${file}': another process holds '${file}.lock' and did not release it within 0.3 s: expected the other update to finish (a lock left by a process that died is taken over after 10 s)`);
      expect(ran).toBe(false);
    } finally {
      await release();
    }
  });

  test('a stale lock (mtime older than staleMs) is taken over', async () => {
    const file = join(dir, 'stale');
    mkdirSync(`${file}.lock`);
    expect(await withCredentialsFileLock(file, async () => 'written', { waitMs: 300, staleMs: 2000 }).catch((e) => e.message)).toMatch(/did not release/);
    const old = new Date(Date.now() - 5000);
    utimesSync(`${file}.lock`, old, old);
    expect(await withCredentialsFileLock(file, async () => 'written', { waitMs: 300, staleMs: 2000 })).toBe('written');
  });

  test('every path to one file takes one lock: through a symlink, the target\'s', async () => {
    const target = join(dir, 'target');
    writeFileSync(target, '');
    const link = join(dir, 'link');
    symlinkSync(target, link);
    let releaseFirst: () => void = () => undefined;
    let inFirst = false;
    const first = withCredentialsFileLock(target, async () => {
      inFirst = true;
      await new Promise<void>((r) => (releaseFirst = r));
    });
    while (!inFirst) await new Promise((r) => setTimeout(r, 5));
    await expect(withCredentialsFileLock(link, async () => undefined, { waitMs: 200 })).rejects.toThrow(`another process holds '${target}.lock'`);
    releaseFirst();
    await first;
  });
});

describe('setProfileCredentials keeps every byte it does not own', () => {
  const credentials = { accessKeyId: 'ASIANEW', secretAccessKey: 'new-secret', sessionToken: 'new-token' };
  const keys = (eol: string) => `aws_access_key_id = ASIANEW${eol}aws_secret_access_key = new-secret${eol}aws_session_token = new-token${eol}`;

  test('mixed line endings, trailing spaces and a missing final newline are left as they are', () => {
    const before = '[a]\r\nx = 1   \n\n[app]\r\naws_access_key_id = OLD\nregion = eu-west-1\r\n[z]\ny = 2';
    expect(setProfileCredentials(before, 'app', credentials)).toBe(`[a]\r\nx = 1   \n\n[app]\r\n${keys('\r\n')}region = eu-west-1\r\n[z]\ny = 2`);
  });

  test('a profile added after a last line without a newline ends that line first', () => {
    expect(setProfileCredentials('[a]\nx = 1', 'b', credentials)).toBe(`[a]\nx = 1\n\n[b]\n${keys('\n')}`);
  });

  test('a profile that is the last thing in the file keeps the file without a final newline', () => {
    expect(setProfileCredentials('[a]\nx = 1\n[app]\naws_access_key_id = OLD', 'app', credentials)).toBe(`[a]\nx = 1\n[app]\n${keys('\n').slice(0, -1)}`);
    expect(setProfileCredentials('[app]', 'app', credentials)).toBe(`[app]\n${keys('\n').slice(0, -1)}`);
  });

  test('rewriting a profile twice gives the same bytes as once', () => {
    const before = '# c\r\n[app]\nregion = x\n';
    const once = setProfileCredentials(before, 'app', credentials);
    expect(setProfileCredentials(once, 'app', credentials)).toBe(once);
  });
});
