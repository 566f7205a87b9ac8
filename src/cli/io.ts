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

/** The longest error line the CLI prints; a longer one is cut, its length said. */
export const MAX_ERROR_LINE_CHARACTERS = 4096;

/**
 * Collapses a message to one line: credential_process users read stderr in one glance. As a last
 * guard against text that reached a message unescaped, control characters left after that are
 * shown as `\xNN` (no terminal escape sequences) and the line is bounded.
 */
export function oneLine(message: string): string {
  const line = message.replace(/\s*\n\s*/g, ' ').trim()
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`));
  return line.length > MAX_ERROR_LINE_CHARACTERS ? `${line.slice(0, MAX_ERROR_LINE_CHARACTERS)}... (${line.length} characters)` : line;
}
