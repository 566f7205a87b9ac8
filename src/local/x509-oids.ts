/** Object identifiers of the X.509 pieces the test PKI writes and the loopback service checks. */
export const Oid = {
  COMMON_NAME: '2.5.4.3',

  RSA_ENCRYPTION: '1.2.840.113549.1.1.1',
  SHA256_WITH_RSA: '1.2.840.113549.1.1.11',
  SHA384_WITH_RSA: '1.2.840.113549.1.1.12',
  SHA512_WITH_RSA: '1.2.840.113549.1.1.13',
  ECDSA_WITH_SHA256: '1.2.840.10045.4.3.2',
  ECDSA_WITH_SHA384: '1.2.840.10045.4.3.3',
  ECDSA_WITH_SHA512: '1.2.840.10045.4.3.4',

  SUBJECT_KEY_IDENTIFIER: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SUBJECT_ALT_NAME: '2.5.29.17',
  BASIC_CONSTRAINTS: '2.5.29.19',
  AUTHORITY_KEY_IDENTIFIER: '2.5.29.35',
} as const;

/** Signature algorithms of SHA-256 or stronger: what Roles Anywhere accepts on every certificate of a chain. */
export const STRONG_SIGNATURE_ALGORITHMS: ReadonlySet<string> = new Set([
  Oid.SHA256_WITH_RSA,
  Oid.SHA384_WITH_RSA,
  Oid.SHA512_WITH_RSA,
  Oid.ECDSA_WITH_SHA256,
  Oid.ECDSA_WITH_SHA384,
  Oid.ECDSA_WITH_SHA512,
]);

/** Bit numbers of the keyUsage extension (RFC 5280 section 4.2.1.3). */
export const KeyUsageBit = {
  DIGITAL_SIGNATURE: 0,
  KEY_CERT_SIGN: 5,
  CRL_SIGN: 6,
} as const;
