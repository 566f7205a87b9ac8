// The test environment of every test file: jest's Node environment, with the file's own
// temporary folder. Whatever the file (and every process it spawns) writes through os.tmpdir()
// lands in that folder; when the file ends, the folder must hold nothing but the synthesis
// output of CDK apps built without an outdir, or the file fails naming what it left.
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
  }

  async teardown(): Promise<void> {
    await super.teardown();
    setTmpdir(this.previousTmpdir);
    const left = readdirSync(this.tmp).filter((name) => !CDK_APP_OUTDIR.test(name));
    const described = left.map((name) => `${name}${isDirectory(join(this.tmp, name)) ? '/' : ''}`);
    rmSync(this.tmp, { recursive: true, force: true });
    if (described.length > 0) {
      const error = new Error(`${this.testPath} left ${described.length} entr${described.length === 1 ? 'y' : 'ies'} in the temporary folder (remove what a test creates, in afterAll or finally): ${described.slice(0, 20).join(', ')}${described.length > 20 ? ', ...' : ''}`);
      error.stack = error.message; // the message says it all: no code frame of this file
      throw error;
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
