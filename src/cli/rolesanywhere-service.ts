/**
 * `eventbridge-connector rolesanywhere-service`: the loopback IAM Roles Anywhere stand-in as a
 * process, for the demo and for tests in other languages. Prints its endpoint on stdout, logs
 * sessions and refusals on stderr, and serves until SIGINT or SIGTERM.
 */
import { CliCommand, CliError } from './io';
import { integerFlag, parseFlags, required } from './options';
import { readServiceConfig, SERVICE_CONFIG_EXAMPLE } from './service-config';
import { signalled, StopOptions } from './stop';
import { startRolesAnywhereService } from '../local/rolesanywhere-service';

export const ROLESANYWHERE_SERVICE_USAGE = `Usage: eventbridge-connector rolesanywhere-service --config FILE --sts-endpoint URL [--port N]

Serves IAM Roles Anywhere CreateSession (POST /sessions) on 127.0.0.1 for offline tests: checks
the X.509 signature, the chain to the trust anchor's CAs, validity, the profile, the role, the
duration, acceptRoleSessionName and the role's trust policy like the real service, then mints the session with STS
AssumeRole at --sts-endpoint (moto, for example). Not for production use.

Prints the endpoint (http://127.0.0.1:<port>) on stdout; logs on stderr; stops on SIGINT/SIGTERM.

Flags:
  --config FILE        trust anchors and profiles, JSON (see below)
  --sts-endpoint URL   where sessions are minted with STS AssumeRole
  --port N             port to listen on (default: a free port)
  --help               show this help

Config file (certificatesFile is relative to the config file; certificatesPem holds PEM inline;
optional: "region", "stsCredentials": {"accessKeyId", "secretAccessKey"}, "enabled",
"acceptRoleSessionName", "evaluateTrustPolicies" (default true: each role's trust policy is read
with IAM GetRole at --sts-endpoint and evaluated as AWS does)):
${SERVICE_CONFIG_EXAMPLE}
`;

const FLAGS = {
  'config': { type: 'string' },
  'sts-endpoint': { type: 'string' },
  'port': { type: 'string' },
  'help': { type: 'boolean' },
} as const;

/** @deprecated use StopOptions; kept for the tests' harness. */
export type ServeOptions = StopOptions;

export function rolesAnywhereServiceCommand(serveOptions: ServeOptions = {}): CliCommand {
  return async (args, io) => {
    const flags = parseFlags('rolesanywhere-service', args, FLAGS);
    if (flags.help) {
      io.stdout(ROLESANYWHERE_SERVICE_USAGE);
      return 0;
    }
    const configPath = required(flags.config, 'config', 'a JSON file with trustAnchors and profiles');
    const stsEndpoint = required(flags['sts-endpoint'], 'sts-endpoint', 'the STS endpoint that mints sessions, such as http://127.0.0.1:5000');
    if (!/^https?:\/\/[^/]+\/?$/.test(stsEndpoint)) {
      throw new CliError(`invalid --sts-endpoint '${stsEndpoint}': expected a URL such as http://127.0.0.1:5000`);
    }
    const port = integerFlag(flags.port, 'port', 0, 65535);
    const config = readServiceConfig(configPath, io.cwd);
    const line = (prefix: string) => (message: string) => io.stderr(`${prefix}${message}\n`);
    const service = await startRolesAnywhereService({
      ...config,
      stsEndpoint,
      port,
      logger: { info: line(''), warn: line(''), error: line('error: ') },
    });
    io.stdout(`${service.endpoint}\n`);
    await (serveOptions.stopSignal ?? signalled());
    await service.stop();
    return 0;
  };
}
