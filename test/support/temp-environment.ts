// The test environment of every test file: jest's Node environment, with the file's own
// temporary folder. Whatever the file (and every process it spawns) writes through os.tmpdir()
// lands in that folder; when the file ends, the folder must hold nothing but the synthesis
// output of CDK apps built without an outdir, or the file fails naming what it left. It also
// fails when the file leaves a handle open (a server, socket, timer or child process that keeps
// Node running): jest runs the files in its own process on 2 cores, where one such handle keeps
// the whole run from exiting.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';
import { RUN_TMPDIR_ENV, setTmpdir } from './temp-folder';

/**
 * `new App()` without an outdir synthesizes into `mkdtemp(os.tmpdir() + '/cdk.out')` and never
 * removes it (aws-cdk-lib `App`, `FileSystem.mkdtemp`): by design, so it is not a leak of the test.
 */
const CDK_APP_OUTDIR = /^cdk\.out/;

export default class TempFolderEnvironment extends TestEnvironment {
  private readonly tmp: string;
  private readonly previousTmpdir: string | undefined;
  private readonly testPath: string;
  private readonly handlesBefore: Map<string, number>;

  constructor(...[config, context]: ConstructorParameters<typeof TestEnvironment>) {
    // Set on the worker's own process.env before the base class copies it into the test's
    // sandbox: os.tmpdir() (core module) and spawned processes read the real one.
    const previous = process.env.TMPDIR;
    const tmp = mkdtempSync(join(process.env[RUN_TMPDIR_ENV] ?? tmpdir(), 'f-'));
    setTmpdir(tmp);
    super(config, context);
    this.tmp = tmp;
    this.previousTmpdir = previous;
    this.testPath = relative(config.globalConfig.rootDir, context.testPath);
    this.handlesBefore = countHandles();
  }

  async teardown(): Promise<void> {
    await super.teardown();
    setTmpdir(this.previousTmpdir);
    const left = readdirSync(this.tmp).filter((name) => !CDK_APP_OUTDIR.test(name));
    const described = left.map((name) => `${name}${isDirectory(join(this.tmp, name)) ? '/' : ''}`);
    rmSync(this.tmp, { recursive: true, force: true });
    const open = await handlesLeftOpen(this.handlesBefore);
    if (open.length > 0) {
      const error = new Error(`${this.testPath} left ${open.join(', ')} open after its tests ended (close, stop or unref what a test starts, in afterAll or finally)`);
      error.stack = error.message;
      throw error;
    }
    if (described.length > 0) {
      const error = new Error(`${this.testPath} left ${described.length} entr${described.length === 1 ? 'y' : 'ies'} in the temporary folder (remove what a test creates, in afterAll or finally): ${described.slice(0, 20).join(', ')}${described.length > 20 ? ', ...' : ''}`);
      error.stack = error.message; // the message says it all: no code frame of this file
      throw error;
    }
  }
}

/** The handles that keep this process running (not unref'd ones), counted by kind. */
function countHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * The kinds of handle more numerous than before the file, e.g. `2 TCPServerWrap`. Closing is
 * asynchronous (a socket closes on a later turn, a child process exits after its signal), so a
 * handle counts only when it is still open 5 s after the file's last test.
 */
async function handlesLeftOpen(before: Map<string, number>): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const more = [...countHandles()]
      .map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)] as const)
      .filter(([, n]) => n > 0);
    if (more.length === 0 || Date.now() > deadline) return more.map(([kind, n]) => `${n} ${kind}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
