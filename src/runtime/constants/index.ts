// Reading the connector constants (the SSM contract) and turning them into credentials.
export * from './types';
export { parseConstants } from './parse';
export type { ParseConstantsOptions } from './parse';
export { loadConstants } from './load';
export type { LoadConstantsOptions } from './load';
export { resolveSecretReference } from './secrets';
export type { ResolveSecretOptions } from './secrets';
export type { SsmClientLike, SsmConnectionOptions } from './ssm';
export { credentialsFromConstants } from './credentials';
export type { CredentialsFromConstantsOptions, ConnectorEndpoints } from './credentials';
export { bootstrap } from './bootstrap';
export type { BootstrapOptions, BootstrapResult } from './bootstrap';
export type { BootstrapValues } from './bootstrap-values';
export type { KeySources, Environment } from './key-sources';
export { SecondaryEnvironment, DEFAULT_PRIMARY_TIMEOUT_MS } from './secondary';
export type { SecondaryStartup } from './secondary';
