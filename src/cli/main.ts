/**
 * The dispatcher behind the `eventbridge-connector` bin: picks the subcommand, turns every
 * failure into one line on stderr and exit code 1.
 */
import { credentialProcess } from './credential-process';
import { CliCommand, CliError, CliIo, oneLine } from './io';
import { readCertificateData } from './read-certificate-data';
import { rolesAnywhereServiceCommand, ServeOptions } from './rolesanywhere-service';
import { serveCommand } from './serve';
import { signString } from './sign-string';
import { updateCommand } from './update';
import { VERSION } from './version';
import { quote } from '../contract/quote';

export const USAGE = `Usage: eventbridge-connector <command> [flags]

Commands:
  credential-process     print IAM Roles Anywhere session credentials for credential_process
  serve                  serve session credentials on 127.0.0.1 as IMDSv2 does
  update                 keep a profile of the shared credentials file fresh
  sign-string            sign stdin with the private key
  read-certificate-data  show what CreateSession would send of a certificate
  rolesanywhere-service  serve a loopback IAM Roles Anywhere CreateSession for offline tests
  version                print the version (also --version)

Run 'eventbridge-connector <command> --help' for a command's flags.
`;

export async function main(args: readonly string[], io: CliIo, serveOptions: ServeOptions = {}): Promise<number> {
  const commands: Record<string, CliCommand> = {
    'credential-process': credentialProcess,
    'serve': serveCommand(serveOptions),
    'update': updateCommand(serveOptions),
    'sign-string': signString,
    'read-certificate-data': readCertificateData,
    'rolesanywhere-service': rolesAnywhereServiceCommand(serveOptions),
    'version': async (rest, out) => {
      if (rest.length > 0) throw new CliError(`unexpected argument ${quote(rest[0])}: version takes none`);
      out.stdout(`${VERSION}\n`);
      return 0;
    },
  };
  const [name, ...rest] = args;
  if (name === '--version' || name === '-v') return commands.version(rest, io);
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
