// L2 constructs for IAM Roles Anywhere: trust anchors, profiles, CRLs, and the trust-policy principal.
// Modules that also hold internal checks are exported by name, so the checks stay internal.
export * from './trust-anchor';
export * from './trust-anchor-source';
export * from './trust-anchor-certificate';
export { NotificationChannel, NotificationEvent } from './notification-settings';
export type { NotificationSetting } from './notification-settings';
export * from './profile';
export { CertificateField } from './attribute-mapping';
export type { AttributeMapping } from './attribute-mapping';
export * from './crl';
export * from './crl-source';
export * from './principal';
