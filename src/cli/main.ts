/**
 * The dispatcher behind the `eventbridge-connector` bin: picks the subcommand, turns every
 * failure into one line on stderr and exit code 1.
 */
import { credentialProcess } from './credential-process';
import { CliCommand, CliIo, oneLine } from './io';
import { rolesAnywhereServiceCommand, ServeOptions } from './rolesanywhere-service';

export const USAGE = `Usage: eventbridge-connector <command> [flags]

Commands:
  credential-process     print IAM Roles Anywhere session credentials for credential_process
  rolesanywhere-service  serve a loopback IAM Roles Anywhere CreateSession for offline tests

Run 'eventbridge-connector <command> --help' for a command's flags.
`;

export async function main(args: readonly string[], io: CliIo, serveOptions: ServeOptions = {}): Promise<number> {
  const commands: Record<string, CliCommand> = {
    'credential-process': credentialProcess,
    'rolesanywhere-service': rolesAnywhereServiceCommand(serveOptions),
  };
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(USAGE);
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`eventbridge-connector: unknown command '${name}': expected one of ${Object.keys(commands).join(', ')}\n`);
    return 1;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    io.stderr(`eventbridge-connector ${name}: ${oneLine((e as Error)?.message ?? String(e))}\n`);
    return 1;
  }
}
