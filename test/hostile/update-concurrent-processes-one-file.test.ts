/**
 * Twenty `update` processes (the bundled CLI) refreshing twenty different profiles of one shared
 * credentials file at the same moment: the loopback Roles Anywhere stand-in holds every
 * CreateSession until all twenty have asked, then answers them at once, so the twenty
 * read-modify-writes collide. None may be lost, and the file's other profiles and comments stay
 * byte for byte. Also: a lock left behind by a process that died is taken over.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARNS } from '../runtime/credentials/support/arns';
import { Pki } from '../runtime/credentials/support/pki';
import { Reply, SessionServer, verifyThenCreate } from '../runtime/credentials/support/session-server';
import { ensureBundles } from '../support/bundles';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'lib', 'cli.js');
const PROCESSES = 20;

let pki: Pki;
let sessions: SessionServer;
let flags: string[];

beforeAll(async () => {
  ensureBundles();
  pki = Pki.create();
  const leaf = pki.issue('app', 'p256', { issuer: pki.issue('root', 'p256', { ca: true }) });
  sessions = await SessionServer.start();
  flags = ['--certificate', pki.path(leaf.cert), '--private-key', pki.path(leaf.key), '--trust-anchor-arn', ARNS.trustAnchorArn,
    '--profile-arn', ARNS.profileArn, '--role-arn', ARNS.roleArn, '--endpoint', sessions.url];
}, 120_000);

afterAll(async () => {
  await sessions?.close();
  pki?.cleanup();
});

function update(file: string, profile: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'update', '--once', '--profile', profile, '--credentials-file', file, ...flags], { encoding: 'utf8', timeout: 120_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr });
    });
  });
}

/** The profiles of an INI text, each with its access key id. */
function profiles(text: string): Record<string, string | undefined> {
  const found: Record<string, string | undefined> = {};
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) found[(current = header[1])] = undefined;
    const key = /^aws_access_key_id = (\S+)$/.exec(line);
    if (key && current !== undefined) found[current] = key[1];
  }
  return found;
}

const KEPT_HEAD = '# hand-written: keep me\r\n[default]\naws_access_key_id = AKIAHAND\r\naws_secret_access_key = hand-secret\n; a comment with trailing spaces   \n\n';
const KEPT_TAIL = '[zz-last]\nregion = eu-west-1\n# no newline at the end';

test(`${PROCESSES} concurrent update processes on one file lose no profile and keep every other byte`, async () => {
  const file = join(pki.dir, 'credentials');
  writeFileSync(file, KEPT_HEAD + KEPT_TAIL, { mode: 0o600 });
  // Hold every CreateSession until all have arrived, then answer all at once.
  const waiting: Array<() => void> = [];
  sessions.respond = (request, index) => new Promise<Reply>((resolve) => {
    waiting.push(() => resolve(verifyThenCreate(request, index) as Reply));
    if (waiting.length === PROCESSES) waiting.forEach((answer) => answer());
  });
  const before = sessions.count;
  const runs = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => update(file, `p${String(i).padStart(2, '0')}`)));
  expect(runs.filter((r) => r.code !== 0)).toEqual([]);
  expect(sessions.count - before).toBe(PROCESSES);

  const text = readFileSync(file, 'utf8');
  const found = profiles(text);
  const expected = Array.from({ length: PROCESSES }, (_, i) => `p${String(i).padStart(2, '0')}`);
  expect(expected.filter((p) => !/^ASIASESSION\d+$/.test(found[p] ?? ''))).toEqual([]);
  expect(new Set(expected.map((p) => found[p])).size).toBe(PROCESSES);
  // What was there before is there still, byte for byte.
  expect(text.startsWith(KEPT_HEAD + KEPT_TAIL)).toBe(true);
  expect(found.default).toBe('AKIAHAND');
  sessions.respond = verifyThenCreate;
}, 180_000);

test('a lock left by a process that died (not refreshed for a minute) is taken over', async () => {
  const file = join(pki.dir, 'credentials-stale');
  writeFileSync(file, '[other]\naws_access_key_id = AKIAOTHER\n', { mode: 0o600 });
  mkdirSync(`${file}.lock`);
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${file}.lock`, old, old);
  const run = await update(file, 'app');
  expect(run).toMatchObject({ code: 0 });
  expect(profiles(readFileSync(file, 'utf8'))).toEqual({ other: 'AKIAOTHER', app: expect.stringMatching(/^ASIASESSION/) });
}, 60_000);
