/**
 * `eventbridge-connector credential-process`: one IAM Roles Anywhere session printed in the
 * `credential_process` format, so the AWS CLI and every AWS SDK can use it from ~/.aws/config.
 * The flags are those of AWS's rolesanywhere-credential-helper.
 */
import { CliCommand, CliError } from './io';
import { integerFlag, parseFlags, readFlagFile, required } from './options';
import { MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS } from '../contract';
import { fromRolesAnywhere } from '../runtime/credentials';

export const CREDENTIAL_PROCESS_USAGE = `Usage: eventbridge-connector credential-process [flags]

Gets temporary credentials from IAM Roles Anywhere (CreateSession signed with your X.509
certificate) and prints them as credential_process JSON:
  {"Version":1,"AccessKeyId":...,"SecretAccessKey":...,"SessionToken":...,"Expiration":...}

In ~/.aws/config:
  [profile connector]
  credential_process = eventbridge-connector credential-process --certificate /path/cert.pem --private-key /path/key.pem --trust-anchor-arn ... --profile-arn ... --role-arn ...

Flags:
  --certificate FILE        client certificate, PEM or DER (a PEM full chain adds its intermediates)
  --private-key FILE        its private key: PEM (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8) or DER
  --pkcs12 FILE             a PKCS#12 (.p12/.pfx) bundle instead of --certificate and --private-key
  --intermediates FILE      PEM bundle of intermediate CA certificates
  --trust-anchor-arn ARN    trust anchor to authenticate with (required)
  --profile-arn ARN         profile to take the session's settings from (required)
  --role-arn ARN            role to assume (required)
  --region REGION           signing region (default: the trust anchor's region; no other is accepted)
  --endpoint URL            CreateSession endpoint (default: https://rolesanywhere.<region>.amazonaws.com)
  --session-duration SECS   session length, ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS} (default 3600; the profile may shorten it)
  --role-session-name NAME  role session name (the profile must accept role session names)
  --help                    show this help

Environment:
  EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE   passphrase of an encrypted --private-key
  EVENTBRIDGE_CONNECTOR_PKCS12_PASSWORD  password of the --pkcs12 bundle (default: none)

On failure, exits 1 with one line on stderr.
`;

const FLAGS = {
  'certificate': { type: 'string' },
  'private-key': { type: 'string' },
  'pkcs12': { type: 'string' },
  'intermediates': { type: 'string' },
  'trust-anchor-arn': { type: 'string' },
  'profile-arn': { type: 'string' },
  'role-arn': { type: 'string' },
  'region': { type: 'string' },
  'endpoint': { type: 'string' },
  'session-duration': { type: 'string' },
  'role-session-name': { type: 'string' },
  'help': { type: 'boolean' },
} as const;

export const credentialProcess: CliCommand = async (args, io) => {
  const flags = parseFlags('credential-process', args, FLAGS);
  if (flags.help) {
    io.stdout(CREDENTIAL_PROCESS_USAGE);
    return 0;
  }
  const trustAnchorArn = required(flags['trust-anchor-arn'], 'trust-anchor-arn', 'the ARN of the Roles Anywhere trust anchor');
  const profileArn = required(flags['profile-arn'], 'profile-arn', 'the ARN of the Roles Anywhere profile');
  const roleArn = required(flags['role-arn'], 'role-arn', 'the ARN of the role to assume');
  if (flags.pkcs12 !== undefined && (flags.certificate !== undefined || flags['private-key'] !== undefined)) {
    throw new CliError('--pkcs12 was given together with --certificate or --private-key: expected either --pkcs12, or --certificate and --private-key');
  }
  if (flags.pkcs12 === undefined) {
    required(flags.certificate, 'certificate', 'the client certificate file (or --pkcs12)');
    required(flags['private-key'], 'private-key', 'the private key file of --certificate');
  }
  const file = (flag: keyof typeof FLAGS) => {
    const path = flags[flag];
    return typeof path === 'string' ? readFlagFile(path, flag, io.cwd) : undefined;
  };

  const provider = fromRolesAnywhere({
    certificate: file('certificate'),
    privateKey: file('private-key'),
    passphrase: io.env.EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE,
    pkcs12: file('pkcs12'),
    pkcs12Password: flags.pkcs12 !== undefined ? io.env.EVENTBRIDGE_CONNECTOR_PKCS12_PASSWORD : undefined,
    intermediates: file('intermediates'),
    trustAnchorArn,
    profileArn,
    roleArn,
    region: flags.region,
    endpoint: flags.endpoint,
    durationSeconds: integerFlag(flags['session-duration'], 'session-duration', MIN_SESSION_DURATION_SECONDS, MAX_SESSION_DURATION_SECONDS),
    roleSessionName: flags['role-session-name'],
  });
  const credentials = await provider();
  io.stdout(`${JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  })}\n`);
  return 0;
};
