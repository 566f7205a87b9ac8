/**
 * A tiny test PKI for offline tests and the demo: root and intermediate CAs and leaf (end-entity)
 * certificates shaped the way IAM Roles Anywhere wants them. The structures are PeculiarVentures'
 * ASN.1 schemas (`@peculiar/asn1-x509`, what @peculiar/x509 and pkijs users build on; used
 * synchronously here, so issuing stays a plain function call), the keys and signatures node:crypto.
 * Nothing here is meant to protect anything real: keys live in memory and in the returned PEM.
 */
import { createHash, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { Oid } from './x509-oids';

export type KeyType = 'rsa' | 'ec';
export type EcCurve = 'P-256' | 'P-384' | 'P-521';

export interface KeyOptions {
  /**
   * Kind of key pair generated for the certificate.
   * @default 'ec' (generated in a millisecond, where RSA takes a tenth of a second or more)
   */
  readonly keyType?: KeyType;
  /** Modulus length of an RSA key. @default 2048 */
  readonly rsaBits?: number;
  /** Curve of an EC key. @default 'P-256' */
  readonly curve?: EcCurve;
}

interface CertificateOptions extends KeyOptions {
  readonly commonName: string;
  /** @default - an hour ago, so that clocks a little behind still accept the certificate */
  readonly notBefore?: Date;
  /** @default - a year (leaf) or ten years (CA) after now, and never after the issuer's notAfter */
  readonly notAfter?: Date;
  /** A positive serial of at most 20 bytes. @default - 20 random bytes */
  readonly serialNumber?: bigint;
}

export interface CertificateAuthorityOptions extends CertificateOptions {
  /**
   * Most intermediate CAs that may follow this CA in a chain (basicConstraints pathLenConstraint).
   * Not enforced when issuing here, so tests can build chains that verifiers must refuse.
   * @default - no limit
   */
  readonly pathLength?: number;
}

export interface LeafCertificateOptions extends CertificateOptions {
  /**
   * Subject alternative names: `DNS:host`, `IP:address`, `URI:uri`, `email:address`; a value
   * without a prefix is a DNS name.
   * @default - none
   */
  readonly subjectAltNames?: readonly string[];
}

export interface IssuedCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** The intermediate CA certificates between this certificate and the root, issuer first; empty under a root. */
  readonly chainPem: string;
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
}

export interface CertificateAuthority extends IssuedCertificate {
  /** Issues an end-entity certificate (CA:false, digitalSignature). */
  issue(options: LeafCertificateOptions): IssuedCertificate;
  /**
   * Issues an end-entity certificate for a public key held elsewhere (a PKCS#11 token, an ML-DSA
   * key node:crypto cannot hold), given as its SubjectPublicKeyInfo DER.
   */
  issueForPublicKey(subjectPublicKeyInfo: Buffer, options: Omit<LeafCertificateOptions, keyof KeyOptions>): X509Certificate;
  /** Creates a CA whose certificate this CA signs. */
  createIntermediate(options: CertificateAuthorityOptions): CertificateAuthority;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_SERIAL = 2n ** 159n;

/** A self-signed root CA (basicConstraints CA:true, keyCertSign and cRLSign). */
export function createCertificateAuthority(options: CertificateAuthorityOptions): CertificateAuthority {
  return newAuthority(options, undefined);
}

interface AuthorityState {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly subject: asn.Name;
  readonly keyId: Buffer;
  /** This CA and the intermediates above it, excluding the root; empty for a root. */
  readonly chain: readonly X509Certificate[];
}

function certificateAuthority(state: AuthorityState): CertificateAuthority {
  const issuerNotAfter = new Date(state.certificate.validTo);
  return {
    ...issuedCertificate(state.certificate, state.privateKey, state.chain.slice(1)),
    issue(options) {
      const privateKey = generatePrivateKey(options);
      const { notBefore, notAfter } = validity(options, 365 * DAY_MS, issuerNotAfter);
      const certificate = buildCertificate({
        serialNumber: serialOf(options.serialNumber),
        issuer: state.subject,
        subject: distinguishedName(options.commonName),
        notBefore,
        notAfter,
        subjectKey: privateKey,
        signingKey: state.privateKey,
        extensions: leafExtensions(subjectKeyId(privateKey), state.keyId, options.subjectAltNames ?? []),
      });
      return issuedCertificate(certificate, privateKey, state.chain);
    },
    issueForPublicKey(subjectPublicKeyInfo, options) {
      const { notBefore, notAfter } = validity(options, 365 * DAY_MS, issuerNotAfter);
      return buildCertificate({
        serialNumber: serialOf(options.serialNumber),
        issuer: state.subject,
        subject: distinguishedName(options.commonName),
        notBefore,
        notAfter,
        subjectKey: subjectPublicKeyInfo,
        signingKey: state.privateKey,
        extensions: leafExtensions(subjectKeyId(subjectPublicKeyInfo), state.keyId, options.subjectAltNames ?? []),
      });
    },
    createIntermediate(options) {
      return newAuthority(options, state);
    },
  };
}

/** A CA certificate and key: signed by `issuer`, or self-signed (a root) without one. */
function newAuthority(options: CertificateAuthorityOptions, issuer: AuthorityState | undefined): CertificateAuthority {
  const privateKey = generatePrivateKey(options);
  const subject = distinguishedName(options.commonName);
  const keyId = subjectKeyId(privateKey);
  const { notBefore, notAfter } = validity(options, 10 * 365 * DAY_MS, issuer && new Date(issuer.certificate.validTo));
  const certificate = buildCertificate({
    serialNumber: serialOf(options.serialNumber),
    issuer: issuer?.subject ?? subject,
    subject,
    notBefore,
    notAfter,
    subjectKey: privateKey,
    signingKey: issuer?.privateKey ?? privateKey,
    extensions: caExtensions(options.pathLength, keyId, issuer?.keyId ?? keyId),
  });
  return certificateAuthority({ certificate, privateKey, subject, keyId, chain: issuer ? [certificate, ...issuer.chain] : [] });
}

function issuedCertificate(certificate: X509Certificate, privateKey: KeyObject, chain: readonly X509Certificate[]): IssuedCertificate {
  return {
    certificate,
    privateKey,
    certificatePem: toPem(certificate),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    chainPem: chain.map(toPem).join(''),
  };
}

/** PEM with 64-character lines, as OpenSSL writes it. */
function toPem(certificate: X509Certificate): string {
  const lines = certificate.raw.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function generatePrivateKey(options: KeyOptions): KeyObject {
  const keyType = options.keyType ?? 'ec';
  switch (keyType) {
    case 'rsa': {
      const bits = options.rsaBits ?? 2048;
      if (!Number.isInteger(bits) || bits < 2048 || bits > 8192) {
        throw new Error(`invalid rsaBits ${bits}: expected an integer from 2048 to 8192`);
      }
      return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
    }
    case 'ec': {
      const curve = options.curve ?? 'P-256';
      if (!['P-256', 'P-384', 'P-521'].includes(curve)) {
        throw new Error(`invalid curve '${curve}': expected P-256, P-384 or P-521`);
      }
      return generateKeyPairSync('ec', { namedCurve: curve }).privateKey;
    }
    default:
      throw new Error(`invalid keyType '${String(keyType)}': expected 'rsa' or 'ec'`);
  }
}

function validity(options: CertificateOptions, defaultLifetimeMs: number, issuerNotAfter: Date | undefined) {
  const now = Date.now();
  const notBefore = options.notBefore ?? new Date(now - HOUR_MS);
  let notAfter = options.notAfter ?? new Date(now + defaultLifetimeMs);
  if (!options.notAfter && issuerNotAfter && notAfter > issuerNotAfter) notAfter = issuerNotAfter;
  if (!(notBefore < notAfter)) {
    throw new Error(`invalid validity for '${options.commonName}': notBefore ${notBefore.toISOString()} is not before notAfter ${notAfter.toISOString()}`);
  }
  return { notBefore, notAfter };
}

function serialOf(serialNumber: bigint | undefined): bigint {
  if (serialNumber === undefined) {
    const bytes = randomBytes(20);
    bytes[0] %= 0x80; // positive, and still at most 20 bytes once encoded
    const random = BigInt(`0x${bytes.toString('hex')}`);
    return random === 0n ? 1n : random;
  }
  if (serialNumber < 1n || serialNumber >= MAX_SERIAL) {
    throw new Error(`invalid serialNumber ${serialNumber}: expected a positive integer of at most 20 bytes (below 2^159)`);
  }
  return serialNumber;
}

function distinguishedName(commonName: string): asn.Name {
  if (!commonName || commonName.length > 64) {
    throw new Error(`invalid commonName '${commonName}': expected 1 to 64 characters`);
  }
  return new asn.Name([new asn.RelativeDistinguishedName([
    new asn.AttributeTypeAndValue({ type: Oid.COMMON_NAME, value: new asn.AttributeValue({ utf8String: commonName }) }),
  ])]);
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function subjectKeyId(key: KeyObject | Buffer): Buffer {
  const spki = AsnConvert.parse(spkiOf(key), asn.SubjectPublicKeyInfo);
  return createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();
}

function spkiOf(key: KeyObject | Buffer): Buffer {
  return Buffer.isBuffer(key) ? key : createPublicKey(key).export({ type: 'spki', format: 'der' });
}

function extension(id: string, critical: boolean, value: object): asn.Extension {
  return new asn.Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function keyIdExtensions(keyId: Buffer, authorityKeyId: Buffer): asn.Extension[] {
  return [
    extension(Oid.SUBJECT_KEY_IDENTIFIER, false, new asn.SubjectKeyIdentifier(keyId)),
    extension(Oid.AUTHORITY_KEY_IDENTIFIER, false, new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(authorityKeyId) })),
  ];
}

function caExtensions(pathLength: number | undefined, keyId: Buffer, authorityKeyId: Buffer): asn.Extension[] {
  if (pathLength !== undefined && (!Number.isInteger(pathLength) || pathLength < 0)) {
    throw new Error(`invalid pathLength ${pathLength}: expected a non-negative integer`);
  }
  return [
    extension(Oid.BASIC_CONSTRAINTS, true, new asn.BasicConstraints({ cA: true, pathLenConstraint: pathLength })),
    extension(Oid.KEY_USAGE, true, new asn.KeyUsage(asn.KeyUsageFlags.keyCertSign + asn.KeyUsageFlags.cRLSign)),
    ...keyIdExtensions(keyId, authorityKeyId),
  ];
}

function leafExtensions(keyId: Buffer, authorityKeyId: Buffer, subjectAltNames: readonly string[]): asn.Extension[] {
  return [
    // cA defaults to FALSE, and DER leaves defaults out: an empty SEQUENCE.
    extension(Oid.BASIC_CONSTRAINTS, true, new asn.BasicConstraints()),
    extension(Oid.KEY_USAGE, true, new asn.KeyUsage(asn.KeyUsageFlags.digitalSignature)),
    ...keyIdExtensions(keyId, authorityKeyId),
    ...(subjectAltNames.length > 0
      ? [extension(Oid.SUBJECT_ALT_NAME, false, new asn.SubjectAlternativeName(subjectAltNames.map(generalName)))]
      : []),
  ];
}

function generalName(name: string): asn.GeneralName {
  const match = /^(DNS|IP|URI|email):(.*)$/i.exec(name);
  const [kind, value] = match ? [match[1].toLowerCase(), match[2]] : ['dns', name];
  switch (kind) {
    case 'dns':
      if (!/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(value)) {
        throw new Error(`invalid DNS subject alternative name '${value}': expected a host name such as app.example.com`);
      }
      return new asn.GeneralName({ dNSName: value });
    case 'email':
      if (!/^[\x21-\x7e]+@[A-Za-z0-9.-]+$/.test(value)) {
        throw new Error(`invalid email subject alternative name '${value}': expected an address such as app@example.com`);
      }
      return new asn.GeneralName({ rfc822Name: value });
    case 'uri':
      return new asn.GeneralName({ uniformResourceIdentifier: new URL(value).toString() });
    default:
      if (!isIPv4(value) && (!isIPv6(value) || value.includes('.'))) {
        throw new Error(`invalid IP subject alternative name '${value}': expected an IPv4 or IPv6 address`);
      }
      return new asn.GeneralName({ iPAddress: value });
  }
}

interface CertificateFields {
  readonly serialNumber: bigint;
  readonly issuer: asn.Name;
  readonly subject: asn.Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A key, or the SubjectPublicKeyInfo DER of one node:crypto cannot hold. */
  readonly subjectKey: KeyObject | Buffer;
  readonly signingKey: KeyObject;
  readonly extensions: asn.Extension[];
}

function arrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function buildCertificate(fields: CertificateFields): X509Certificate {
  const algorithm = fields.signingKey.asymmetricKeyType === 'rsa'
    ? new asn.AlgorithmIdentifier({ algorithm: Oid.SHA256_WITH_RSA, parameters: null })
    : new asn.AlgorithmIdentifier({ algorithm: Oid.ECDSA_WITH_SHA256 });
  const hex = fields.serialNumber.toString(16);
  const serial = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const tbs = new asn.TBSCertificate({
    version: asn.Version.v3,
    // DER INTEGER: a leading zero byte keeps a serial with its top bit set positive.
    serialNumber: arrayBuffer(serial[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), serial]) : serial),
    signature: algorithm,
    issuer: fields.issuer,
    validity: new asn.Validity({ notBefore: fields.notBefore, notAfter: fields.notAfter }),
    subject: fields.subject,
    subjectPublicKeyInfo: AsnConvert.parse(spkiOf(fields.subjectKey), asn.SubjectPublicKeyInfo),
    extensions: new asn.Extensions(fields.extensions),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, { key: fields.signingKey, dsaEncoding: 'der' });
  const certificate = new asn.Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: arrayBuffer(signature) });
  return new X509Certificate(Buffer.from(AsnConvert.serialize(certificate)));
}
