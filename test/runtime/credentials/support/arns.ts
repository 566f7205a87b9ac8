/** The ARNs the tests sign for: one trust anchor, profile and role in eu-west-1. */
export const TRUST_ANCHOR_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/4f3b2a1c-9d8e-4f7a-b6c5-d4e3f2a1b0c9';
export const PROFILE_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/orders-connector';

export const ARNS = { trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN } as const;
