// Credentials for the runtime: IAM Roles Anywhere sessions signed with an X.509 certificate, or
// static keys. The CreateSession signing itself stays internal (src/local imports it directly).
export { fromRolesAnywhere } from './roles-anywhere';
export { DEFAULT_REFRESH_BEFORE_EXPIRY_SECONDS } from './roles-anywhere-options';
export type { RolesAnywhereOptions, SecondarySessionTarget } from './roles-anywhere-options';
export { fromStaticCredentials } from './static';
export type { StaticCredentialsOptions } from './static';
export { CertificateError, RolesAnywhereError } from './errors';
export type { CertificateErrorCode, RolesAnywhereErrorDetails } from './errors';
export { DEFAULT_REQUEST_TIMEOUT_MS } from './create-session';
export type { FetchLike, FetchResponseLike } from './create-session';
export type { CertificateInput } from './certificates';
export type { PrivateKeyInput } from './private-key';
export type { KeySourceOptions } from './key-sources';
export type { SignerDigest, X509Algorithm, X509Signer } from './signer';
export { X509_ECDSA_ALGORITHM, X509_MLDSA_ALGORITHM, X509_RSA_ALGORITHM } from './signer';
