/**
 * The X.509 variant of SigV4 that IAM Roles Anywhere's CreateSession uses. It differs from SigV4
 * only in the algorithm name, the credential (the certificate's serial number) and the signature
 * (an RSA or ECDSA signature over the string to sign instead of an HMAC chain), so the canonical
 * query and headers come from the AWS SDK's own signer helpers.
 */
import { createHash, KeyObject, sign as cryptoSign, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { getCanonicalHeaders, getCanonicalQuery } from '@smithy/signature-v4';
import { algorithmFor, X509Algorithm, X509Signer } from './signer';

export { algorithmFor, X509_ECDSA_ALGORITHM, X509_MLDSA_ALGORITHM, X509_RSA_ALGORITHM } from './signer';
export type { X509Algorithm } from './signer';

export const ROLES_ANYWHERE_SERVICE = 'rolesanywhere';

/** An HTTP request as it is signed: header names in any case, query values not yet encoded. */
export interface SignableRequest {
  readonly method: string;
  readonly hostname: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function credentialScope(amzDateValue: string, region: string): string {
  return `${amzDateValue.slice(0, 8)}/${region}/${ROLES_ANYWHERE_SERVICE}/aws4_request`;
}

/** The certificate's serial number as an unsigned decimal string, the X.509 credential's id. */
export function serialNumberDecimal(certificate: X509Certificate): string {
  return BigInt(`0x${certificate.serialNumber}`).toString(10);
}

/** Canonical request and the signed header list, as SigV4 builds them. */
export function canonicalRequest(request: SignableRequest): { canonicalRequest: string; signedHeaders: string } {
  const headers = getCanonicalHeaders({
    method: request.method,
    protocol: 'https:',
    hostname: request.hostname,
    path: request.path,
    query: request.query as Record<string, string | string[]>,
    headers: { ...request.headers },
  });
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    request.method.toUpperCase(),
    request.path,
    getCanonicalQuery({ method: request.method, protocol: 'https:', hostname: request.hostname, path: request.path, query: request.query as Record<string, string | string[]>, headers: {} }),
    names.map((n) => `${n}:${headers[n]}`).join('\n') + '\n',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  return { canonicalRequest: canonical, signedHeaders };
}

export function stringToSign(algorithm: X509Algorithm, amzDateValue: string, scope: string, canonical: string): string {
  return [algorithm, amzDateValue, scope, sha256Hex(canonical)].join('\n');
}

/** RSA PKCS#1 v1.5 or DER-encoded ECDSA over SHA-256, in lowercase hex. */
export function signString(key: KeyObject, data: string): string {
  return cryptoSign('sha256', Buffer.from(data, 'utf8'), { key, dsaEncoding: 'der' }).toString('hex');
}

export function verifyString(publicKey: KeyObject, data: string, signatureHex: string): boolean {
  if (!/^([0-9a-f]{2})+$/.test(signatureHex)) return false;
  return cryptoVerify('sha256', Buffer.from(data, 'utf8'), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signatureHex, 'hex'));
}

export interface X509SigningInput {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  /** Intermediate CA certificates, leaf's issuer first; sent in `X-Amz-X509-Chain`. */
  readonly intermediates?: readonly X509Certificate[];
  readonly region: string;
  readonly date: Date;
}

export interface SignedRequestParts {
  readonly headers: Record<string, string>;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
  readonly authorization: string;
}

/**
 * Adds `X-Amz-Date`, `X-Amz-X509`, `X-Amz-X509-Chain` and `Authorization` to a request and
 * returns them with the intermediate strings (tests compare those with public vectors).
 */
export function signX509Request(request: SignableRequest, input: X509SigningInput): SignedRequestParts {
  const algorithm = algorithmFor(input.privateKey);
  const intermediates = input.intermediates ?? [];
  const prepared = prepare(request, input.certificate, intermediates, algorithm, input.region, input.date);
  const { headers, canonical, signedHeaders, scope, toSign } = prepared;
  const signature = signString(input.privateKey, toSign);
  return finish(input.certificate, algorithm, headers, canonical, signedHeaders, scope, toSign, signature);
}

/** {@link signX509Request} with any key source: a file key, an ML-DSA key, a PKCS#11 token. */
export async function signX509RequestWith(request: SignableRequest, signer: X509Signer, region: string, date: Date): Promise<SignedRequestParts> {
  const algorithm = signer.algorithm;
  const { headers, canonical, signedHeaders, scope, toSign } = prepare(request, signer.certificate, signer.intermediates, algorithm, region, date);
  const signature = (await signer.sign(Buffer.from(toSign, 'utf8'))).toString('hex');
  return finish(signer.certificate, algorithm, headers, canonical, signedHeaders, scope, toSign, signature);
}

function prepare(
  request: SignableRequest, certificate: X509Certificate, intermediates: readonly X509Certificate[],
  algorithm: X509Algorithm, region: string, at: Date,
) {
  const date = amzDate(at);
  const headers: Record<string, string> = {
    ...request.headers,
    'X-Amz-Date': date,
    'X-Amz-X509': certificate.raw.toString('base64'),
  };
  if (intermediates.length > 0) {
    headers['X-Amz-X509-Chain'] = intermediates.map((c) => c.raw.toString('base64')).join(',');
  }
  const { canonicalRequest: canonical, signedHeaders } = canonicalRequest({ ...request, headers });
  const scope = credentialScope(date, region);
  const toSign = stringToSign(algorithm, date, scope, canonical);
  return { headers, canonical, signedHeaders, scope, toSign };
}

function finish(
  certificate: X509Certificate, algorithm: X509Algorithm, headers: Record<string, string>,
  canonical: string, signedHeaders: string, scope: string, toSign: string, signature: string,
): SignedRequestParts {
  const credential = `${serialNumberDecimal(certificate)}/${scope}`;
  const authorization = `${algorithm} Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers: { ...headers, Authorization: authorization }, canonicalRequest: canonical, stringToSign: toSign, signature, authorization };
}

export interface ParsedAuthorization {
  readonly algorithm: X509Algorithm;
  readonly serialNumber: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses an X.509 `Authorization` header; undefined when it is not one. */
export function parseX509Authorization(header: string): ParsedAuthorization | undefined {
  const m = /^(AWS4-X509-(?:RSA-SHA256|ECDSA-SHA256|MLDSA)) Credential=(\d+)\/(\d{8})\/([a-z0-9-]+)\/([a-z]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]+)$/.exec(header.trim());
  if (!m) return undefined;
  return {
    algorithm: m[1] as X509Algorithm,
    serialNumber: m[2],
    date: m[3],
    region: m[4],
    service: m[5],
    signedHeaders: m[6].split(';'),
    signature: m[7],
  };
}
