/**
 * Checks the X.509 signature of a CreateSession request the way the service does: the canonical
 * request is rebuilt from what arrived (over the headers the client signed), and the signature
 * must verify with the public key of the certificate in `X-Amz-X509`.
 */
import { X509Certificate } from 'node:crypto';
import { certificateLabel } from './certificate-chain';
import { accessDenied } from './rolesanywhere-errors';
import { parseCertificates } from '../runtime/credentials/certificates';
import { mlDsaPublicKeyOf, verifyMlDsa } from '../runtime/credentials/ml-dsa';
import {
  algorithmFor,
  canonicalRequest,
  credentialScope,
  parseX509Authorization,
  ROLES_ANYWHERE_SERVICE,
  serialNumberDecimal,
  stringToSign,
  verifyString,
  X509_MLDSA_ALGORITHM,
} from '../runtime/credentials/x509-signature';

/** A request as the HTTP server received it; header names in lowercase. */
export interface ArrivedRequest {
  readonly method: string;
  /** The path as sent, without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface AuthenticatedRequest {
  readonly leaf: X509Certificate;
  readonly intermediates: readonly X509Certificate[];
  /** The region of the credential scope. */
  readonly region: string;
}

/** How far `X-Amz-Date` may be from the service's clock, as SigV4 allows. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Headers a CreateSession signature must cover, so none can be swapped after signing. */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-amz-date', 'x-amz-x509'];

const EXPECTED_AUTHORIZATION = 'expected AWS4-X509-RSA-SHA256, AWS4-X509-ECDSA-SHA256 or AWS4-X509-MLDSA Credential=<serial>/<yyyymmdd>/<region>/rolesanywhere/aws4_request, SignedHeaders=<names>, Signature=<hex>';

/** Returns the signing certificate and chain, or throws an AccessDeniedException. */
export function authenticateX509Request(request: ArrivedRequest, now: Date): AuthenticatedRequest {
  const header = single(request.headers.authorization);
  if (!header) throw accessDenied(`missing Authorization header: ${EXPECTED_AUTHORIZATION}`);
  const auth = parseX509Authorization(header);
  if (!auth) throw accessDenied(`malformed Authorization header '${header.slice(0, 80)}': ${EXPECTED_AUTHORIZATION}`);
  if (auth.service !== ROLES_ANYWHERE_SERVICE) {
    throw accessDenied(`credential scope names service '${auth.service}': expected '${ROLES_ANYWHERE_SERVICE}'`);
  }
  const mustSign = request.headers['x-amz-x509-chain'] === undefined ? REQUIRED_SIGNED_HEADERS : [...REQUIRED_SIGNED_HEADERS, 'x-amz-x509-chain'];
  const unsigned = mustSign.filter((name) => !auth.signedHeaders.includes(name));
  if (unsigned.length > 0) throw accessDenied(`header(s) ${unsigned.join(', ')} not signed: expected them in SignedHeaders`);

  const date = single(request.headers['x-amz-date']) ?? '';
  const signedAt = parseAmzDate(date);
  if (!signedAt) throw accessDenied(`invalid X-Amz-Date '${date}': expected YYYYMMDDTHHMMSSZ in UTC`);
  if (date.slice(0, 8) !== auth.date) {
    throw accessDenied(`credential scope date ${auth.date} does not match X-Amz-Date '${date}'`);
  }
  if (Math.abs(signedAt.getTime() - now.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw accessDenied(`request signed at ${signedAt.toISOString()} is more than 5 minutes from the service time ${now.toISOString()}: check the client's clock`);
  }

  const leaf = certificatesOf(request.headers['x-amz-x509'], 'X-Amz-X509')[0];
  if (!leaf) throw accessDenied('missing X-Amz-X509 header: expected the base64 DER of the signing certificate');
  const chainHeader = single(request.headers['x-amz-x509-chain']);
  const intermediates = chainHeader ? chainHeader.split(',').flatMap((part, i) => certificatesOf(part.trim(), `X-Amz-X509-Chain entry ${i + 1}`)) : [];

  // Node 20's OpenSSL cannot read ML-DSA public keys: those are read and verified on their own.
  const mlDsa = mlDsaPublicKeyOf(leaf);
  let expected: string;
  try {
    expected = mlDsa ? X509_MLDSA_ALGORITHM : algorithmFor(leaf.publicKey);
  } catch (e) {
    throw accessDenied(`certificate ${certificateLabel(leaf)}: ${(e as Error).message}`);
  }
  if (auth.algorithm !== expected) {
    throw accessDenied(`signing algorithm ${auth.algorithm} does not fit the ${mlDsa?.variant ?? leaf.publicKey.asymmetricKeyType} key of certificate ${certificateLabel(leaf)}: expected ${expected}`);
  }
  const serial = serialNumberDecimal(leaf);
  if (auth.serialNumber !== serial) {
    throw accessDenied(`credential serial ${auth.serialNumber} is not the serial of certificate ${certificateLabel(leaf)}: expected ${serial}`);
  }

  const signedHeaders: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) throw accessDenied(`signed header '${name}' is missing from the request`);
    signedHeaders[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const { canonicalRequest: canonical } = canonicalRequest({
    method: request.method,
    hostname: signedHeaders.host ?? '',
    path: request.path,
    query: request.query,
    headers: signedHeaders,
    body: request.body,
  });
  const toSign = stringToSign(auth.algorithm, date, credentialScope(date, auth.region), canonical);
  const verified = mlDsa
    ? /^([0-9a-f]{2})+$/.test(auth.signature) && verifyMlDsa(mlDsa.variant, mlDsa.publicKey, Buffer.from(toSign, 'utf8'), Buffer.from(auth.signature, 'hex'))
    : verifyString(leaf.publicKey, toSign, auth.signature);
  if (!verified) {
    throw accessDenied(`signature does not match: the request was not signed with the private key of certificate ${certificateLabel(leaf)}, or it changed after signing`);
  }
  return { leaf, intermediates, region: auth.region };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function certificatesOf(value: string | string[] | undefined, what: string): X509Certificate[] {
  const text = single(value);
  if (!text) return [];
  try {
    return parseCertificates(text, what);
  } catch (e) {
    throw accessDenied(`${(e as Error).message}`);
  }
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
