/**
 * A loopback stand-in for IAM Roles Anywhere (moto has none): `POST /sessions` verifies the
 * X.509-signed request and the certificate chain like the real service, then mints the session
 * through STS AssumeRole on a configurable endpoint (moto), so the credentials it hands out are
 * ones that endpoint accepts. For offline tests and the demo, never for production.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleInput, AssumeRoleOutput, createSession } from './create-session';
import { lookUpRole } from './iam-role-lookup';
import { RolesAnywhereError } from './rolesanywhere-errors';
import { Profile, profileFromConfig, ProfileConfig, TrustAnchor, trustAnchorFromConfig, TrustAnchorConfig } from './rolesanywhere-resources';
import { ArrivedRequest } from './x509-authentication';
import type { AwsCredentials, Logger } from '../runtime/types';

export type { ProfileConfig, TrustAnchorConfig } from './rolesanywhere-resources';

export interface RolesAnywhereServiceOptions {
  /** Where sessions are minted with STS AssumeRole, e.g. moto's endpoint. */
  readonly stsEndpoint: string;
  /**
   * Credentials the service calls STS with (the part the Roles Anywhere service principal plays);
   * any value works against moto until it checks signatures.
   * @default - AWS's documented example access key
   */
  readonly stsCredentials?: AwsCredentials;
  /** The one region this service plays. @default - every region; each trust anchor's ARN says its own */
  readonly region?: string;
  readonly trustAnchors?: readonly TrustAnchorConfig[];
  readonly profiles?: readonly ProfileConfig[];
  /** The service's clock, for validity dates and the 5-minute skew. @default - the system clock */
  readonly clock?: () => Date;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Receives a line per session and per refusal. @default - silent */
  readonly logger?: Logger;
  /**
   * Whether the role's trust policy is evaluated, read with IAM GetRole at `stsEndpoint`: a
   * session is then refused, as AWS refuses it, when the policy does not let
   * rolesanywhere.amazonaws.com assume the role for this trust anchor and certificate. A role
   * IAM does not have (or will not show) is let through with a warning, once per role.
   * @default true
   */
  readonly evaluateTrustPolicies?: boolean;
}

export interface RolesAnywhereService {
  /** `http://127.0.0.1:<port>`: pass it as the Roles Anywhere endpoint of a client. */
  readonly endpoint: string;
  readonly port: number;
  /** Sessions created since the service started. */
  readonly sessionsCreated: number;
  /** Sessions created per trust anchor region (issue 22: which region a fallback used). */
  readonly sessionsByRegion: Readonly<Record<string, number>>;
  /** The secret of a session this service handed out, for stand-ins that check its signatures (the global endpoint). */
  secretOf(accessKeyId: string): string | undefined;
  /** Adds a trust anchor, or replaces the one with the same ARN. */
  addTrustAnchor(config: TrustAnchorConfig): void;
  /** Adds a profile, or replaces the one with the same ARN. */
  addProfile(config: ProfileConfig): void;
  stop(): Promise<void>;
}

const EXAMPLE_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const MAX_BODY_BYTES = 64 * 1024;

export async function startRolesAnywhereService(options: RolesAnywhereServiceOptions): Promise<RolesAnywhereService> {
  if (!/^https?:\/\/[^/]+/.test(options.stsEndpoint ?? '')) {
    throw new Error(`invalid stsEndpoint '${options.stsEndpoint}': expected a URL such as http://127.0.0.1:5000`);
  }
  const trustAnchors = new Map<string, TrustAnchor>();
  const profiles = new Map<string, Profile>();
  const addTrustAnchor = (config: TrustAnchorConfig) => void trustAnchors.set(config.arn, trustAnchorFromConfig(config));
  const addProfile = (config: ProfileConfig) => void profiles.set(config.arn, profileFromConfig(config));
  (options.trustAnchors ?? []).forEach(addTrustAnchor);
  (options.profiles ?? []).forEach(addProfile);

  const clock = options.clock ?? (() => new Date());
  const logger = options.logger;
  const assumeRole = stsAssumeRole(options.stsEndpoint, options.stsCredentials ?? EXAMPLE_CREDENTIALS);
  let sessionsCreated = 0;
  const secrets = new Map<string, string>();
  const sessionsByRegion: Record<string, number> = {};
  const stsCredentials = options.stsCredentials ?? EXAMPLE_CREDENTIALS;
  const unchecked = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    try {
      const request = await arrivedRequest(req);
      if (request.method !== 'POST' || request.path !== '/sessions') {
        throw new RolesAnywhereError(404, 'UnknownOperationException', `no operation at ${request.method} ${request.path}: expected POST /sessions`);
      }
      const response = await createSession(request, {
        now: clock(),
        region: options.region,
        trustAnchor: (arn) => trustAnchors.get(arn),
        profile: (arn) => profiles.get(arn),
        assumeRole,
        ...(options.evaluateTrustPolicies !== false && {
          lookUpRole: (roleArn: string) => lookUpRole(options.stsEndpoint, stsCredentials, roleArn),
          onTrustPolicyUnchecked: (roleArn: string, reason: string) => {
            if (unchecked.has(roleArn)) return;
            unchecked.add(roleArn);
            logger?.warn(`rolesanywhere: the trust policy of '${roleArn}' was not evaluated (${reason}); AWS would evaluate it`);
          },
        }),
      });
      sessionsCreated++;
      const credential = response.credentialSet[0];
      secrets.set(credential.credentials.accessKeyId, credential.credentials.secretAccessKey);
      const anchorRegion = regionOfUrl(req.headers.authorization);
      sessionsByRegion[anchorRegion] = (sessionsByRegion[anchorRegion] ?? 0) + 1;
      logger?.info?.(`rolesanywhere: session ${credential.assumedRoleUser.arn} until ${credential.credentials.expiration}`);
      send(res, 201, requestId, response);
    } catch (e) {
      const error = e instanceof RolesAnywhereError
        ? e
        : new RolesAnywhereError(500, 'InternalServerException', `unexpected error: ${(e as Error).message}`);
      if (error.statusCode >= 500) logger?.error(`rolesanywhere: CreateSession failed: ${(e as Error).stack ?? error.message}`);
      else logger?.warn(`rolesanywhere: CreateSession refused with ${error.statusCode} ${error.type}: ${error.message}`);
      send(res, error.statusCode, requestId, { message: error.message }, error.type);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`cannot listen on 127.0.0.1:${options.port ?? 0}: ${e.message}`)));
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  logger?.info?.(`rolesanywhere: loopback IAM Roles Anywhere on ${endpoint}, minting sessions with STS at ${options.stsEndpoint}`);

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    get sessionsCreated() {
      return sessionsCreated;
    },
    sessionsByRegion,
    secretOf: (accessKeyId) => secrets.get(accessKeyId),
    addTrustAnchor,
    addProfile,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

async function arrivedRequest(req: IncomingMessage): Promise<ArrivedRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RolesAnywhereError(400, 'ValidationException', `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1))) {
    const previous = query[key];
    query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return {
    method: req.method ?? 'GET',
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    query,
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

function send(res: ServerResponse, status: number, requestId: string, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  res.end(text);
}

function stsAssumeRole(endpoint: string, credentials: AwsCredentials): (input: AssumeRoleInput) => Promise<AssumeRoleOutput> {
  const clients = new Map<string, STSClient>();
  return async (input) => {
    let client = clients.get(input.region);
    if (!client) {
      client = new STSClient({ endpoint, region: input.region, credentials, maxAttempts: 2 });
      clients.set(input.region, client);
    }
    try {
      const out = await client.send(new AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.roleSessionName,
        DurationSeconds: input.durationSeconds,
        SourceIdentity: input.sourceIdentity,
        Tags: input.tags.length > 0 ? input.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
      }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !out.AssumedRoleUser?.Arn) {
        throw new Error(`STS at ${endpoint} answered AssumeRole without credentials`);
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
        assumedRoleArn: out.AssumedRoleUser.Arn,
        assumedRoleId: out.AssumedRoleUser.AssumedRoleId ?? '',
        packedPolicySize: out.PackedPolicySize,
        sourceIdentity: out.SourceIdentity,
      };
    } catch (e) {
      const error = e as Error & { $metadata?: { httpStatusCode?: number } };
      const status = error.$metadata?.httpStatusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        throw new RolesAnywhereError(403, 'AccessDeniedException', `sts:AssumeRole of role '${input.roleArn}' was refused: ${error.name}: ${error.message}`);
      }
      throw new RolesAnywhereError(500, 'InternalServerException', `sts:AssumeRole at ${endpoint} failed: ${error.message}`);
    }
  };
}

/** The credential scope's region of a signed request. */
function regionOfUrl(authorization: string | undefined): string {
  return /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? '')?.[1] ?? 'unknown';
}
