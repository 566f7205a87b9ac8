export { deployLocally } from './deploy';
export type { LocalDeployOptions, LocalDeployResult, DeployedResource, DeployedBy } from './deploy';
export type { DeployedGlobalEndpoint, RolesAnywhereRegistry } from './registry';
