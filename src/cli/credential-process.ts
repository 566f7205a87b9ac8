/**
 * `eventbridge-connector credential-process`: one IAM Roles Anywhere session printed in the
 * `credential_process` format, so the AWS CLI and every AWS SDK can use it from ~/.aws/config.
 * The flags are those of AWS's rolesanywhere-credential-helper.
 */
import { CREDENTIAL_FLAGS, CREDENTIAL_FLAGS_HELP, isoSeconds, providerFromFlags } from './credential-flags';
import { CliCommand } from './io';
import { parseFlags } from './options';

export const CREDENTIAL_PROCESS_USAGE = `Usage: eventbridge-connector credential-process [flags]

Gets temporary credentials from IAM Roles Anywhere (CreateSession signed with your X.509
certificate) and prints them as credential_process JSON:
  {"Version":1,"AccessKeyId":...,"SecretAccessKey":...,"SessionToken":...,"Expiration":...}

In ~/.aws/config:
  [profile connector]
  credential_process = eventbridge-connector credential-process --certificate /path/cert.pem --private-key /path/key.pem --trust-anchor-arn ... --profile-arn ... --role-arn ...

Flags:
${CREDENTIAL_FLAGS_HELP}
On failure, exits 1 with one line on stderr.
`;

export const credentialProcess: CliCommand = async (args, io) => {
  const flags = parseFlags('credential-process', args, CREDENTIAL_FLAGS);
  if (flags.help) {
    io.stdout(CREDENTIAL_PROCESS_USAGE);
    return 0;
  }
  const credentials = await providerFromFlags(flags, io)();
  io.stdout(`${JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: isoSeconds(credentials.expiration),
  })}\n`);
  return 0;
};
