// Kept apart from the handlers so that the published declarations of the local deploy do not
// reach the AWS SDK types the handlers use.

/** Where the Roles Anywhere resources of a template go: `startRolesAnywhereService()` fits. */
export interface RolesAnywhereRegistry {
  addTrustAnchor(anchor: { arn: string; certificatesPem: string; enabled?: boolean }): void;
  addProfile(profile: { arn: string; roleArns: string[]; durationSeconds?: number; acceptRoleSessionName?: boolean; enabled?: boolean }): void;
}

/**
 * A global endpoint (`AWS::Events::Endpoint`) the local deploy recorded, since moto has none:
 * what `startGlobalEndpoint` is started with to play it (`endpointId`, and the two regions with
 * the EventBridge URL that serves them).
 */
export interface DeployedGlobalEndpoint {
  readonly logicalId: string;
  readonly name: string;
  /** The `EndpointId` written into the contract, e.g. `abcde.xyz`. */
  readonly endpointId: string;
  readonly arn: string;
  /** The stack's region, where the endpoint routes while healthy. */
  readonly primaryRegion: string;
  /** `RoutingConfig.FailoverConfig.Secondary.Route`. */
  readonly secondaryRegion: string;
  /** The bus name both regions share. */
  readonly eventBusName: string;
  /** `ReplicationConfig.State` is `ENABLED` (CloudFormation's default). */
  readonly replication: boolean;
  /** `RoutingConfig.FailoverConfig.Primary.HealthCheck`: recorded, not evaluated (the stand-in's switch plays it). */
  readonly healthCheckArn: string;
}
