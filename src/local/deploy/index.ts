export { deployLocally } from './deploy';
export type { LocalDeployOptions, LocalDeployResult, DeployedResource, DeployedBy } from './deploy';
export type { RolesAnywhereRegistry } from './registry';
