/**
 * CreateSession as IAM Roles Anywhere documents it: authenticate the X.509 signature, validate
 * the input, find the trust anchor and verify the chain to it, find the profile and the role,
 * then hand the session to STS AssumeRole with `min(profile, request)` seconds.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { ChainError, verifyCertificateChain } from './certificate-chain';
import { RoleLookup } from './iam-role-lookup';
import { accessDenied, resourceNotFound, validationError } from './rolesanywhere-errors';
import { Profile, TrustAnchor } from './rolesanywhere-resources';
import { trustPolicyRefusal } from './trust-policy';
import { ArrivedRequest, authenticateX509Request } from './x509-authentication';
import {
  ArnParts,
  checkArn,
  checkSameRegion,
  formatArn,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
  parseArn,
  ROLE_SESSION_NAME,
} from '../contract';

export interface AssumeRoleInput {
  readonly region: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** The certificate subject's CN, when it is a valid source identity. */
  readonly sourceIdentity?: string;
  /** Principal tags taken from the certificate, as the service sets them. */
  readonly tags: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

export interface AssumeRoleOutput {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly assumedRoleArn: string;
  readonly assumedRoleId: string;
  readonly packedPolicySize?: number;
  readonly sourceIdentity?: string;
}

export interface CreateSessionContext {
  readonly now: Date;
  /** The region this service plays; any region when absent. */
  readonly region?: string;
  trustAnchor(arn: string): TrustAnchor | undefined;
  profile(arn: string): Profile | undefined;
  assumeRole(input: AssumeRoleInput): Promise<AssumeRoleOutput>;
  /** The role as IAM has it, to evaluate its trust policy. @default - trust policies are not evaluated */
  lookUpRole?(roleArn: string): Promise<RoleLookup>;
  /** Hears why a trust policy could not be evaluated (the role is not in IAM, IAM refused GetRole). */
  onTrustPolicyUnchecked?(roleArn: string, reason: string): void;
}

/** The 201 body, in the shape the real service sends. */
export interface CreateSessionResponse {
  readonly credentialSet: Array<{
    readonly assumedRoleUser: { readonly arn: string; readonly assumedRoleId: string };
    readonly credentials: {
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken: string;
      /** ISO 8601, UTC. */
      readonly expiration: string;
    };
    readonly packedPolicySize?: number;
    readonly roleArn: string;
    readonly sourceIdentity?: string;
  }>;
  readonly subjectArn: string;
}

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

export async function createSession(request: ArrivedRequest, context: CreateSessionContext): Promise<CreateSessionResponse> {
  const { leaf, intermediates, region } = authenticateX509Request(request, context.now);
  const input = parseInput(request);

  const anchorArn = parseArn(input.trustAnchorArn)!;
  if (region !== anchorArn.region) {
    throw accessDenied(`credential scope region '${region}' is not the region of trust anchor '${input.trustAnchorArn}': expected '${anchorArn.region}'`);
  }
  const anchor = context.region === undefined || context.region === anchorArn.region ? context.trustAnchor(input.trustAnchorArn) : undefined;
  if (!anchor) throw resourceNotFound(`trust anchor '${input.trustAnchorArn}' not found${context.region ? ` in ${context.region}` : ''}`);
  if (!anchor.enabled) throw accessDenied(`trust anchor '${anchor.arn}' is disabled`);
  try {
    verifyCertificateChain({ leaf, intermediates, anchors: anchor.certificates, at: context.now });
  } catch (e) {
    if (e instanceof ChainError) throw accessDenied(`${e.message} (trust anchor '${anchor.arn}')`);
    throw e;
  }

  const profile = context.profile(input.profileArn);
  if (!profile) throw resourceNotFound(`profile '${input.profileArn}' not found`);
  if (!profile.enabled) throw accessDenied(`profile '${profile.arn}' is disabled`);
  if (!profile.roleArns.includes(input.roleArn)) {
    throw accessDenied(`role '${input.roleArn}' is not in profile '${profile.arn}': expected one of ${profile.roleArns.join(', ')}`);
  }
  if (input.roleSessionName !== undefined && !profile.acceptRoleSessionName) {
    throw accessDenied(`not authorized to set roleSessionName '${input.roleSessionName}': profile '${profile.arn}' does not accept role session names (acceptRoleSessionName is false)`);
  }

  const subjectCn = commonName(leaf.subject);
  const issuerCn = commonName(leaf.issuer);
  const sourceIdentity = subjectCn && ROLE_SESSION_NAME.test(subjectCn) ? subjectCn : undefined;
  if (context.lookUpRole) {
    const role = await context.lookUpRole(input.roleArn);
    if ('trustPolicy' in role) {
      const refusal = trustPolicyRefusal(role.trustPolicy, {
        roleArn: input.roleArn,
        actions: ['sts:AssumeRole', 'sts:TagSession', ...(sourceIdentity ? ['sts:SetSourceIdentity'] : [])],
        context: trustContext(anchorArn, leaf),
      });
      if (refusal) throw accessDenied(refusal);
    } else {
      context.onTrustPolicyUnchecked?.(input.roleArn, 'missing' in role ? `role '${input.roleArn}' is not in IAM` : role.unreadable);
    }
  }
  const session = await context.assumeRole({
    region,
    roleArn: input.roleArn,
    // The service's default: the certificate's serial number.
    roleSessionName: input.roleSessionName ?? leaf.serialNumber.toLowerCase(),
    durationSeconds: Math.min(profile.durationSeconds, input.durationSeconds ?? profile.durationSeconds),
    sourceIdentity,
    tags: [
      ...(subjectCn && TAG_VALUE.test(subjectCn) ? [{ key: 'x509Subject/CN', value: subjectCn }] : []),
      ...(issuerCn && TAG_VALUE.test(issuerCn) ? [{ key: 'x509Issuer/CN', value: issuerCn }] : []),
    ],
  });
  return {
    credentialSet: [{
      assumedRoleUser: { arn: session.assumedRoleArn, assumedRoleId: session.assumedRoleId },
      credentials: {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiration: session.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      packedPolicySize: session.packedPolicySize,
      roleArn: input.roleArn,
      sourceIdentity: session.sourceIdentity ?? sourceIdentity,
    }],
    subjectArn: subjectArn(anchorArn, leaf),
  };
}

interface SessionInput {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly durationSeconds?: number;
  readonly roleSessionName?: string;
}

/** ARNs from the query string or the JSON body (the API takes either); the rest from the body. */
function parseInput(request: ArrivedRequest): SessionInput {
  let body: Record<string, unknown> = {};
  if (request.body.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body);
    } catch {
      throw validationError('request body is not JSON: expected an object such as {"durationSeconds": 3600}');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw validationError('request body is not a JSON object: expected an object such as {"durationSeconds": 3600}');
    }
    body = parsed as Record<string, unknown>;
  }
  const arn = (name: 'trustAnchorArn' | 'profileArn' | 'roleArn', kind: 'trust-anchor' | 'profile' | 'role') => {
    const fromQuery = request.query[name];
    const value = (Array.isArray(fromQuery) ? fromQuery[0] : fromQuery) ?? body[name];
    if (value === undefined || value === '') throw validationError(`missing ${name}: expected it in the query string or the JSON body`);
    if (typeof value !== 'string') throw validationError(`invalid ${name} ${JSON.stringify(value)}: expected a string`);
    const problem = checkArn(kind, value, name);
    if (problem) throw validationError(problem);
    return value;
  };
  const trustAnchorArn = arn('trustAnchorArn', 'trust-anchor');
  const profileArn = arn('profileArn', 'profile');
  const roleArn = arn('roleArn', 'role');
  const sameRegion = checkSameRegion(trustAnchorArn, profileArn);
  if (sameRegion) throw validationError(sameRegion);

  const duration = body.durationSeconds;
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isInteger(duration) || duration < MIN_SESSION_DURATION_SECONDS || duration > MAX_SESSION_DURATION_SECONDS)) {
    throw validationError(`invalid durationSeconds ${JSON.stringify(duration)}: expected an integer from ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`);
  }
  const name = body.roleSessionName;
  if (name !== undefined && (typeof name !== 'string' || !ROLE_SESSION_NAME.test(name))) {
    throw validationError(`invalid roleSessionName ${JSON.stringify(name)}: expected 2 to 64 characters of letters, digits and _+=,.@-`);
  }
  return { trustAnchorArn, profileArn, roleArn, durationSeconds: duration as number | undefined, roleSessionName: name as string | undefined };
}

/**
 * The request context IAM sees when Roles Anywhere assumes a role: the trust anchor as
 * aws:SourceArn and its account, and the certificate's subject, issuer and SAN attributes as
 * principal (and request) tags, as the service maps them.
 */
function trustContext(anchor: ArnParts, leaf: X509Certificate): Record<string, string> {
  const context: Record<string, string> = { 'aws:SourceArn': formatArn(anchor), 'aws:SourceAccount': anchor.account };
  const tag = (name: string, value: string) => {
    context[`aws:PrincipalTag/${name}`] = value;
    context[`aws:RequestTag/${name}`] = value;
  };
  for (const [prefix, dn] of [['x509Subject', leaf.subject], ['x509Issuer', leaf.issuer]] as const) {
    for (const line of dn.split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) tag(`${prefix}/${line.slice(0, at)}`, line.slice(at + 1));
    }
  }
  for (const entry of (leaf.subjectAltName ?? '').split(', ')) {
    const m = /^(DNS|URI|email):(.*)$/.exec(entry);
    if (m && context[`aws:PrincipalTag/x509SAN/${m[1] === 'email' ? 'Name' : m[1]}`] === undefined) tag(`x509SAN/${m[1] === 'email' ? 'Name' : m[1]}`, m[2]);
  }
  return context;
}

function commonName(distinguishedName: string): string | undefined {
  return distinguishedName.split('\n').find((line) => line.startsWith('CN='))?.slice(3);
}

/** The Subject resource that records a certificate identity: one per subject and issuer, as the service keeps it. */
function subjectArn(anchor: ArnParts, leaf: X509Certificate): string {
  const hex = createHash('sha256').update(`${leaf.issuer}\n${leaf.subject}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return formatArn({ ...anchor, resource: `subject/${id}` });
}
