/**
 * The flags every credential-vending command shares, named as AWS's rolesanywhere-credential-
 * helper names them, and their translation into `fromRolesAnywhere` options. Helper flags this
 * package cannot honour are accepted by the parser and refused with "not supported" and why.
 */
import { CliError, CliIo } from './io';
import { FlagValues, integerFlag, readFlagFile, required } from './options';
import { MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS } from '../contract';
import { fromRolesAnywhere, RolesAnywhereOptions } from '../runtime/credentials';
import type { CredentialProvider } from '../runtime/types';

export const CREDENTIAL_FLAGS = {
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
  'pkcs8-password': { type: 'string' },
  'pkcs11-lib': { type: 'string' },
  'reuse-pin': { type: 'boolean' },
  'debug': { type: 'boolean' },
  'no-verify-ssl': { type: 'boolean' },
  'with-proxy': { type: 'boolean' },
  'cert-selector': { type: 'string' },
  'system-store-name': { type: 'string' },
  'use-latest-expiring-certificate': { type: 'boolean' },
  'tpm-key-password': { type: 'string' },
  'no-tpm-key-password': { type: 'boolean' },
  'help': { type: 'boolean' },
} as const;

/** Helper flags refused, each with the reason (the README's flag table says the same). */
export const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  'no-verify-ssl': 'CreateSession carries session credentials back; use http on a loopback --endpoint for local stand-ins instead',
  'with-proxy': 'Node\'s fetch does not read HTTPS_PROXY; run through a proxy-aware environment or point --endpoint at the proxy',
  'cert-selector': 'the Windows and macOS certificate stores are not reachable from Node; export the certificate and key, or use a pkcs11: URI',
  'system-store-name': 'the Windows certificate store is not reachable from Node',
  'use-latest-expiring-certificate': 'it selects among certificate-store matches, and certificate stores are not supported',
  'tpm-key-password': 'TPM 2.0 keys are not supported; a TPM exposed through a PKCS#11 module (tpm2-pkcs11) works with a pkcs11: URI',
  'no-tpm-key-password': 'TPM 2.0 keys are not supported; a TPM exposed through a PKCS#11 module (tpm2-pkcs11) works with a pkcs11: URI',
};

export const CREDENTIAL_FLAGS_HELP = `  --certificate FILE|URI    client certificate, PEM or DER (a PEM full chain adds its intermediates),
                            a PKCS#12 bundle (without --private-key), or a pkcs11: URI (RFC 7512)
  --private-key FILE|URI    its private key: PEM/DER PKCS#1, SEC1, PKCS#8, encrypted PKCS#8, ML-DSA
                            PKCS#8, or a pkcs11: URI (default for a pkcs11: certificate: the key with its id)
  --pkcs12 FILE             a PKCS#12 (.p12/.pfx) bundle instead of --certificate and --private-key
  --intermediates FILE      PEM bundle of intermediate CA certificates
  --trust-anchor-arn ARN    trust anchor to authenticate with (required)
  --profile-arn ARN         profile to take the session's settings from (required)
  --role-arn ARN            role to assume (required)
  --region REGION           signing region (default: the trust anchor's region; no other is accepted)
  --endpoint URL            CreateSession endpoint (default: https://rolesanywhere.<region>.amazonaws.com)
  --session-duration SECS   session length, ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS} (default 3600; the profile may shorten it)
  --role-session-name NAME  role session name (the profile must accept role session names)
  --pkcs8-password PASS     password of an encrypted PKCS#8 key or PKCS#12 bundle
  --pkcs11-lib FILE         PKCS#11 module for pkcs11: URIs (or module-path in the URI)
  --reuse-pin               use the token's user PIN for keys that ask for it on every use
  --debug                   log what is loaded and each CreateSession on stderr
  --help                    show this help
  Not supported (refused with the reason): ${Object.keys(NOT_SUPPORTED).map((f) => `--${f}`).join(', ')}

Environment:
  EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE   password of an encrypted key (instead of --pkcs8-password)
  EVENTBRIDGE_CONNECTOR_PKCS12_PASSWORD  password of a PKCS#12 bundle (default: none)
  EVENTBRIDGE_CONNECTOR_PKCS11_PIN       user PIN of the token (or pin-value in the URI)
`;

type Flags = FlagValues<typeof CREDENTIAL_FLAGS>;

/** Refuses the helper flags this package does not support, naming the reason. */
export function refuseUnsupported(flags: Record<string, unknown>): void {
  for (const [flag, reason] of Object.entries(NOT_SUPPORTED)) {
    if (flags[flag] !== undefined) throw new CliError(`--${flag} is not supported: ${reason}`);
  }
}

/** The provider the flags describe; files are read and keys checked now, the session comes on first call. */
export function providerFromFlags(flags: Flags, io: CliIo): CredentialProvider {
  refuseUnsupported(flags);
  const trustAnchorArn = required(flags['trust-anchor-arn'], 'trust-anchor-arn', 'the ARN of the Roles Anywhere trust anchor');
  const profileArn = required(flags['profile-arn'], 'profile-arn', 'the ARN of the Roles Anywhere profile');
  const roleArn = required(flags['role-arn'], 'role-arn', 'the ARN of the role to assume');
  if (flags.pkcs12 !== undefined && (flags.certificate !== undefined || flags['private-key'] !== undefined)) {
    throw new CliError('--pkcs12 was given together with --certificate or --private-key: expected either --pkcs12, or --certificate and --private-key');
  }
  if (flags.pkcs12 === undefined) required(flags.certificate, 'certificate', 'the client certificate file, a PKCS#12 bundle or a pkcs11: URI (or --pkcs12)');
  const file = (flag: 'certificate' | 'private-key' | 'pkcs12' | 'intermediates'): string | Buffer | undefined => {
    const value = flags[flag];
    if (value === undefined) return undefined;
    if (value.startsWith('pkcs11:') && (flag === 'certificate' || flag === 'private-key')) return value;
    return readFlagFile(value, flag, io.cwd);
  };
  const debug = flags.debug ? (message: string) => io.stderr(`debug: ${message}\n`) : undefined;
  const password = flags['pkcs8-password'] ?? io.env.EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE;
  const options: RolesAnywhereOptions = {
    certificate: file('certificate'),
    privateKey: file('private-key'),
    passphrase: password,
    pkcs12: file('pkcs12') as Buffer | undefined,
    pkcs12Password: flags.pkcs12 !== undefined || (flags['private-key'] === undefined && flags.certificate !== undefined && !flags.certificate.startsWith('pkcs11:'))
      ? io.env.EVENTBRIDGE_CONNECTOR_PKCS12_PASSWORD ?? flags['pkcs8-password']
      : undefined,
    intermediates: file('intermediates'),
    pkcs11Lib: flags['pkcs11-lib'],
    pkcs11Pin: io.env.EVENTBRIDGE_CONNECTOR_PKCS11_PIN,
    pkcs11ReusePin: flags['reuse-pin'],
    inputNames: {
      certificate: '--certificate',
      privateKey: '--private-key',
      passphrase: '--pkcs8-password or EVENTBRIDGE_CONNECTOR_KEY_PASSPHRASE',
      pkcs12Password: flags.pkcs12 !== undefined ? 'EVENTBRIDGE_CONNECTOR_PKCS12_PASSWORD' : '--pkcs8-password or EVENTBRIDGE_CONNECTOR_PKCS12_PASSWORD',
    },
    pkcs11Hints: { pin: 'pin-value in the pkcs11: URI or EVENTBRIDGE_CONNECTOR_PKCS11_PIN', modulePath: '--pkcs11-lib or module-path in the pkcs11: URI', reusePin: '--reuse-pin' },
    trustAnchorArn,
    profileArn,
    roleArn,
    region: flags.region,
    endpoint: flags.endpoint,
    durationSeconds: integerFlag(flags['session-duration'], 'session-duration', MIN_SESSION_DURATION_SECONDS, MAX_SESSION_DURATION_SECONDS),
    roleSessionName: flags['role-session-name'],
    logger: { warn: (m) => io.stderr(`warning: ${m}\n`), error: (m) => io.stderr(`error: ${m}\n`) },
  };
  const provider = fromRolesAnywhere(options);
  if (!debug) return provider;
  debug(`signing with ${flags.certificate ?? flags.pkcs12}; CreateSession at ${flags.endpoint ?? 'the regional endpoint'}`);
  return async () => {
    const started = Date.now();
    const credentials = await provider();
    debug(`credentials ${credentials.accessKeyId} until ${credentials.expiration?.toISOString()} (${Date.now() - started} ms)`);
    return credentials;
  };
}

/** `2024-01-01T00:00:00Z`, as the helper prints expirations. */
export function isoSeconds(date: Date | undefined): string | undefined {
  return date?.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
