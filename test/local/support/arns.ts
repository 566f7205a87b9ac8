/** Roles Anywhere and IAM ARNs for tests, in one account and region. */
import { randomUUID } from 'node:crypto';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

export const trustAnchorArn = (region = REGION) => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:trust-anchor/${randomUUID()}`;
export const profileArn = (region = REGION) => `arn:aws:rolesanywhere:${region}:${ACCOUNT}:profile/${randomUUID()}`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
