/** Runs the CLI's dispatcher in-process, collecting what it writes. */
import { main } from '../../../src/cli/main';
import { ServeOptions } from '../../../src/cli/rolesanywhere-service';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  /** stdout as written, for binary output. */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly serve?: ServeOptions;
  /** Sees stdout as it is written (a serving command prints its endpoint, then waits). */
  readonly onStdout?: (text: string) => void;
  /** What the command reads on stdin. @default - no stdin */
  readonly stdin?: Buffer;
}

export async function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  const bytes: Buffer[] = [];
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text.toString();
      bytes.push(Buffer.isBuffer(text) ? text : Buffer.from(text));
      options.onStdout?.(text.toString());
    },
    stderr: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdin: options.stdin ? async () => options.stdin! : undefined,
  }, options.serve);
  const run = { code, stdout, stderr } as CliRun;
  // Not enumerable: tests that compare a whole run compare its text.
  Object.defineProperty(run, 'stdoutBytes', { value: Buffer.concat(bytes), enumerable: false });
  return run;
}
