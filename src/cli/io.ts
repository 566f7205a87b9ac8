/**
 * What a subcommand may touch of the process: its output streams, environment and working
 * directory, injected so that tests can run commands in-process.
 */
export interface CliIo {
  readonly stdout: (text: string | Buffer) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Reads all of stdin, at most `maxBytes` (more is an error). @default - none: commands that need stdin fail */
  readonly stdin?: (maxBytes: number) => Promise<Buffer>;
}

/** A command's exit code, or a promise of one. */
export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;

/** A failure the user can fix; the dispatcher prints its message as one line and exits 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Collapses a message to one line: credential_process users read stderr in one glance. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
