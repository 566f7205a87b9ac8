/**
 * `eventbridge-connector serve`: the helper's `serve`, an IMDSv2-compatible endpoint on
 * 127.0.0.1 that hands out Roles Anywhere session credentials, refreshed 5 minutes before they
 * expire. One process serves every SDK call; no process is spawned per call. A refresh that fails
 * is retried with backoff while the last good session is answered, as long as it is valid.
 */
import { CREDENTIAL_FLAGS, CREDENTIAL_FLAGS_HELP, providerFromFlags } from './credential-flags';
import { DEFAULT_IMDS_PORT, startImdsServer } from './imds-server';
import { CliCommand, CliError } from './io';
import { integerFlag, parseFlags, required } from './options';
import { signalled, StopOptions } from './stop';

export const SERVE_USAGE = `Usage: eventbridge-connector serve [flags]

Serves IAM Roles Anywhere session credentials on http://127.0.0.1:<port> as EC2's IMDSv2 does
(PUT /latest/api/token, GET /latest/meta-data/iam/security-credentials/<role name>). Point SDKs
and the AWS CLI at it with:
  export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:${DEFAULT_IMDS_PORT}/
The session is refreshed 5 minutes before it expires; while a refresh fails (retried with
backoff, 1 s doubling to 60 s, a warning each) the last good session is served until it expires.

Flags:
  --port N                  port to listen on (default ${DEFAULT_IMDS_PORT}; 0 picks a free one)
  --hop-limit N             not supported: serve answers on 127.0.0.1 only
${CREDENTIAL_FLAGS_HELP}`;

const FLAGS = { ...CREDENTIAL_FLAGS, 'port': { type: 'string' }, 'hop-limit': { type: 'string' } } as const;

export function serveCommand(stop: StopOptions = {}): CliCommand {
  return async (args, io) => {
    const flags = parseFlags('serve', args, FLAGS);
    if (flags.help) {
      io.stdout(SERVE_USAGE);
      return 0;
    }
    if (flags['hop-limit'] !== undefined) {
      throw new CliError('--hop-limit is not supported: Node cannot set the IP TTL of TCP responses; serve listens on 127.0.0.1 only, which other hosts cannot reach');
    }
    const port = integerFlag(flags.port, 'port', 0, 65535) ?? DEFAULT_IMDS_PORT;
    const roleArn = required(flags['role-arn'], 'role-arn', 'the ARN of the role to assume');
    const provider = providerFromFlags(flags, io);
    // Fail at start, as the helper does, rather than on the first SDK call.
    const initialCredentials = await provider();
    const server = await startImdsServer({
      roleName: roleArn.split('/').pop() ?? roleArn,
      credentials: provider,
      initialCredentials,
      port,
      onError: (message) => io.stderr(`error: ${message}\n`),
      onWarning: (message) => io.stderr(`warning: ${message}\n`),
      onInfo: (message) => io.stderr(`${message}\n`),
    });
    io.stderr(`Local server started on port: ${server.port}\nMake it available to the sdk by running:\nexport AWS_EC2_METADATA_SERVICE_ENDPOINT=${server.endpoint}\n`);
    io.stdout(`${server.endpoint}\n`);
    await (stop.stopSignal ?? signalled());
    await server.stop();
    const s = server.stats();
    io.stderr(`stopped: ${s.tokensIssued} tokens issued, ${s.unauthorized} requests refused 401; ${s.credentialsServed} credentials served (${s.servedFromLastGood} with the last good ones during failed refreshes), ${s.unavailable} answered 500; ${s.refreshFailures} refresh failures\n`);
    return 0;
  };
}
