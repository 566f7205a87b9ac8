// Kept apart from the handlers so that the published declarations of the local deploy do not
// reach the AWS SDK types the handlers use.

/** Where the Roles Anywhere resources of a template go: `startRolesAnywhereService()` fits. */
export interface RolesAnywhereRegistry {
  addTrustAnchor(anchor: { arn: string; certificatesPem: string; enabled?: boolean }): void;
  addProfile(profile: { arn: string; roleArns: string[]; durationSeconds?: number; acceptRoleSessionName?: boolean; enabled?: boolean }): void;
}
