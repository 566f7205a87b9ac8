import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalRequest,
  parseX509Authorization,
  serialNumberDecimal,
  sha256Hex,
  signX509Request,
  verifyString,
} from '../../../src/runtime/credentials/x509-signature';

const VECTORS = join(__dirname, '..', '..', 'fixtures', 'vectors');
const vector = JSON.parse(readFileSync(join(VECTORS, 'create-session-rsa.json'), 'utf8'));
const certificate = new X509Certificate(readFileSync(join(VECTORS, vector.input.cert)));
const privateKey = createPrivateKey(readFileSync(join(VECTORS, vector.input.key)));

function vectorRequest() {
  return {
    method: 'POST',
    hostname: `rolesanywhere.${vector.input.region}.amazonaws.com`,
    path: '/sessions',
    query: {
      profileArn: vector.input['profile-arn'],
      roleArn: vector.input['role-arn'],
      trustAnchorArn: vector.input['trust-anchor-arn'],
    },
    headers: {
      'Content-Type': 'application/json',
      'Host': `rolesanywhere.${vector.input.region}.amazonaws.com`,
    },
    body: JSON.stringify({ durationSeconds: Number(vector.input.duration) }),
  };
}

describe('CreateSession signing (public RSA vector)', () => {
  const signed = signX509Request(vectorRequest(), {
    certificate,
    privateKey,
    region: vector.input.region,
    date: new Date(vector.input.timestamp),
  });

  test('the body and its hash match', () => {
    expect(vectorRequest().body).toBe(vector.expected.body);
    expect(sha256Hex(vector.expected.body)).toBe(vector.expected.payloadHash);
  });

  test('the certificate serial is an unsigned decimal', () => {
    expect(serialNumberDecimal(certificate)).toBe(vector.expected.serialNumber);
  });

  test('canonical request, string to sign, signature and Authorization are reproduced exactly', () => {
    expect(signed.canonicalRequest).toBe(vector.expected.canonicalRequest);
    expect(sha256Hex(signed.canonicalRequest)).toBe(vector.expected.canonicalRequestHash);
    expect(signed.stringToSign).toBe(vector.expected.stringToSign);
    expect(signed.signature).toBe(vector.expected.signature);
    expect(signed.authorization).toBe(vector.expected.authorization);
    expect(signed.headers.Authorization).toBe(vector.expected.authorization);
  });

  test('the Authorization header parses back and the signature verifies with the certificate key', () => {
    const parsed = parseX509Authorization(signed.authorization)!;
    expect(parsed).toMatchObject({
      algorithm: 'AWS4-X509-RSA-SHA256',
      serialNumber: vector.expected.serialNumber,
      date: '20231119',
      region: 'us-east-1',
      service: 'rolesanywhere',
      signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-x509'],
    });
    expect(verifyString(certificate.publicKey, signed.stringToSign, parsed.signature)).toBe(true);
    expect(verifyString(certificate.publicKey, signed.stringToSign.replace('aws4', 'aws5'), parsed.signature)).toBe(false);
  });

  test('the same request canonicalizes identically whatever the header case', () => {
    const lower = vectorRequest();
    const upper = { ...lower, headers: { 'CONTENT-TYPE': 'application/json', 'HOST': lower.headers.Host } };
    expect(canonicalRequest(upper).canonicalRequest).toBe(canonicalRequest(lower).canonicalRequest);
  });
});
