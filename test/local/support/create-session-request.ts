/**
 * A CreateSession request signed with the runtime's `signX509Request`, sent over node:http so
 * the test controls every header (fetch sets Host itself), with hooks to change it after signing.
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { signX509Request } from '../../../src/runtime/credentials/x509-signature';

export interface SessionRequest {
  readonly endpoint: string;
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly intermediates?: readonly X509Certificate[];
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly durationSeconds?: number;
  readonly roleSessionName?: string;
  /** Where the ARNs travel. @default 'query' */
  readonly arnsIn?: 'query' | 'body';
  /** @default - the trust anchor's region */
  readonly region?: string;
  /** When the request is signed. @default - now */
  readonly date?: Date;
  /** Replaces the body after signing. */
  readonly sendBody?: (signedBody: string) => string;
  /** Changes the query string after signing. */
  readonly sendQuery?: (signed: Record<string, string>) => Record<string, string>;
  /** Changes the headers after signing. */
  readonly sendHeaders?: (signed: Record<string, string>) => Record<string, string>;
}

export interface SessionResponse {
  readonly status: number;
  /** `x-amzn-ErrorType`, on errors. */
  readonly errorType?: string;
  readonly body: any;
}

export async function requestSession(options: SessionRequest): Promise<SessionResponse> {
  const url = new URL(options.endpoint);
  const arns = { profileArn: options.profileArn, roleArn: options.roleArn, trustAnchorArn: options.trustAnchorArn };
  const inQuery = (options.arnsIn ?? 'query') === 'query';
  const body = JSON.stringify({
    ...(inQuery ? {} : arns),
    ...(options.durationSeconds !== undefined ? { durationSeconds: options.durationSeconds } : {}),
    ...(options.roleSessionName !== undefined ? { roleSessionName: options.roleSessionName } : {}),
  });
  const query = inQuery ? arns : {};
  const signed = signX509Request(
    {
      method: 'POST',
      hostname: url.hostname,
      path: '/sessions',
      query,
      headers: { 'Content-Type': 'application/json', 'Host': url.host },
      body,
    },
    {
      certificate: options.certificate,
      privateKey: options.privateKey,
      intermediates: options.intermediates,
      region: options.region ?? options.trustAnchorArn.split(':')[3],
      date: options.date ?? new Date(),
    },
  );
  const headers = options.sendHeaders ? options.sendHeaders(signed.headers) : signed.headers;
  const sent = options.sendBody ? options.sendBody(body) : body;
  const search = new URLSearchParams(options.sendQuery ? options.sendQuery(query) : query).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: 'POST', path: `/sessions${search ? `?${search}` : ''}`, headers: { ...headers, 'Content-Length': Buffer.byteLength(sent) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, errorType: res.headers['x-amzn-errortype'] as string | undefined, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(sent);
  });
}
