/**
 * A loopback stand-in for IAM Roles Anywhere's `POST /sessions`, small enough to read in a test:
 * it checks the X.509 signature the way the service does (certificate from `X-Amz-X509`, serial
 * in the credential, canonical request rebuilt from what arrived) and answers with the service's
 * shapes. It counts requests so tests can assert how many CreateSessions happened.
 */
import { X509Certificate } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  algorithmFor,
  canonicalRequest,
  credentialScope,
  parseX509Authorization,
  ParsedAuthorization,
  serialNumberDecimal,
  stringToSign,
  verifyString,
} from '../../../../src/runtime/credentials/x509-signature';

export interface ReceivedSession {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly authorization?: ParsedAuthorization;
  readonly certificate?: X509Certificate;
  readonly chain: readonly X509Certificate[];
  /** Why the signature does not verify, or undefined when it does. */
  readonly signatureProblem?: string;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export type Responder = (request: ReceivedSession, index: number) => Reply | Promise<Reply>;

const REQUIRED_SIGNED_HEADERS = ['content-type', 'host', 'x-amz-date', 'x-amz-x509'];

/** What the real service sends for an error: the type in a header and a JSON message. */
export function serviceError(status: number, type: string, message: string): Reply {
  return {
    status,
    headers: { 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazonaws.rolesanywhere/`, 'x-amzn-RequestId': `req-${status}` },
    body: JSON.stringify({ message }),
  };
}

/** `X-Amz-Date` as a Date. */
export function signingTime(request: ReceivedSession): Date {
  const d = String(request.headers['x-amz-date']);
  return new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
}

/**
 * A 201 like the service's, the session lasting `durationSeconds` from the signing time (the
 * tests' injected clock, so expiry follows that clock).
 */
export function sessionCreated(request: ReceivedSession, index: number): Reply {
  const { durationSeconds } = JSON.parse(request.body);
  const expiration = new Date(signingTime(request).getTime() + durationSeconds * 1000);
  return {
    status: 201,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      credentialSet: [{
        assumedRoleUser: { arn: `${request.query.roleArn}/session-${index}`, assumedRoleId: `AROAEXAMPLE:session-${index}` },
        credentials: {
          accessKeyId: `ASIASESSION${index}`,
          secretAccessKey: `secret-${index}`,
          sessionToken: `token-${index}`,
          expiration: expiration.toISOString(),
        },
        packedPolicySize: 0,
        roleArn: request.query.roleArn,
        sourceIdentity: request.certificate?.subject.replace(/\n/g, ','),
      }],
      subjectArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:subject/41cl0bae-6783-40d4-ab20-65dc5d922e45',
    }),
  };
}

/** Verifies first; a request that does not verify gets the service's 403. */
export const verifyThenCreate: Responder = (request, index) =>
  request.signatureProblem
    ? serviceError(403, 'AccessDeniedException', `signature does not verify: ${request.signatureProblem}`)
    : sessionCreated(request, index);

export class SessionServer {
  static async start(respond: Responder = verifyThenCreate): Promise<SessionServer> {
    const server = new SessionServer(respond);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  readonly requests: ReceivedSession[] = [];
  private readonly server: Server;

  private constructor(public respond: Responder) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = verify(req.method ?? '', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'));
        const index = this.requests.push(received);
        void Promise.resolve(this.respond(received, index)).then((reply) => {
          res.writeHead(reply.status, reply.headers ?? {});
          res.end(reply.body ?? '');
        });
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get count(): number {
    return this.requests.length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function verify(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: string): ReceivedSession {
  const url = new URL(rawUrl, 'http://placeholder');
  const query = Object.fromEntries(url.searchParams);
  const base = { method, path: url.pathname, query, headers, body, chain: [] as X509Certificate[] };
  const authorization = parseX509Authorization(String(headers.authorization ?? ''));
  if (!authorization) return { ...base, signatureProblem: 'no X.509 Authorization header' };
  let certificate: X509Certificate;
  let chain: X509Certificate[];
  try {
    certificate = new X509Certificate(Buffer.from(String(headers['x-amz-x509']), 'base64'));
    chain = headers['x-amz-x509-chain'] ? String(headers['x-amz-x509-chain']).split(',').map((c) => new X509Certificate(Buffer.from(c, 'base64'))) : [];
  } catch (e) {
    return { ...base, authorization, signatureProblem: `unreadable certificate header: ${(e as Error).message}` };
  }
  const received = { ...base, authorization, certificate, chain };
  const missing = REQUIRED_SIGNED_HEADERS.filter((h) => !authorization.signedHeaders.includes(h));
  if (headers['x-amz-x509-chain'] && !authorization.signedHeaders.includes('x-amz-x509-chain')) missing.push('x-amz-x509-chain');
  if (missing.length) return { ...received, signatureProblem: `unsigned headers ${missing.join(', ')}` };
  if (authorization.algorithm !== algorithmFor(certificate.publicKey)) return { ...received, signatureProblem: `${authorization.algorithm} for a ${certificate.publicKey.asymmetricKeyType} key` };
  if (authorization.serialNumber !== serialNumberDecimal(certificate)) return { ...received, signatureProblem: 'credential is not the certificate serial' };
  const signed = Object.fromEntries(authorization.signedHeaders.map((h) => [h, String(headers[h] ?? '')]));
  const host = String(headers.host);
  const { canonicalRequest: canonical } = canonicalRequest({ method, hostname: host, path: url.pathname, query, headers: signed, body });
  const amzDate = String(headers['x-amz-date']);
  const scope = credentialScope(amzDate, authorization.region);
  if (`${authorization.date}/${authorization.region}/${authorization.service}/aws4_request` !== scope) {
    return { ...received, signatureProblem: 'credential scope date differs from X-Amz-Date' };
  }
  const ok = verifyString(certificate.publicKey, stringToSign(authorization.algorithm, amzDate, scope, canonical), authorization.signature);
  return ok ? received : { ...received, signatureProblem: 'signature mismatch' };
}
