/**
 * Contracts as the constructs write them, for tests: a session-mode and a static-mode connector
 * and the receiving keys, in moto's default account and region.
 */
import { ParameterKeys as K, SCHEMA_VERSION, secretReference } from '../../../../src/contract';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const TRUST_ANCHOR_ARN = `arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:trust-anchor/0b5b7c3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d`;
export const PROFILE_ARN = `arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:profile/6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-connector`;
export const CERTIFICATE_ID = 'a3f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978';

const common = {
  [K.REGION]: REGION,
  [K.EVENT_BUS_NAME]: 'orders',
  [K.EVENT_BUS_ARN]: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders`,
  [K.RESOURCE_NAME_PREFIX]: 'orders.',
  [K.SCHEMA_VERSION]: SCHEMA_VERSION,
};

export const SESSION_CONTRACT: Readonly<Record<string, string>> = {
  ...common,
  [K.USE_STATIC_CREDENTIALS]: 'false',
  [K.ROLE_ARN]: ROLE_ARN,
  [K.PROFILE_ARN]: PROFILE_ARN,
  [K.TRUST_ANCHOR_ARN]: TRUST_ANCHOR_ARN,
  [K.DURATION]: '3600',
};

export const STATIC_CONTRACT: Readonly<Record<string, string>> = {
  ...common,
  [K.USE_STATIC_CREDENTIALS]: 'true',
  [K.ACCESS_KEY]: 'AKIAIOSFODNN7EXAMPLE',
  [K.SECRET_KEY]: secretReference('orders/secret-key'),
};

export const RECEIVING_KEYS: Readonly<Record<string, string>> = {
  [K.CONNECTION_NAME]: 'orders.app',
  [K.CONNECTION_ARN]: `arn:aws:events:${REGION}:${ACCOUNT}:connection/orders.app/5e3c1b7a-2f4d-4c6e-8a1b-9d0e2f3a4b5c`,
  [K.API_DESTINATION_NAME]: 'orders.app',
  [K.API_DESTINATION_ARN]: `arn:aws:events:${REGION}:${ACCOUNT}:api-destination/orders.app/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`,
  [K.RECEIVE_ENDPOINT]: 'https://orders.example.com/events',
  [K.API_KEY_HEADER]: 'x-api-key',
  [K.API_KEY_SECRET]: secretReference('orders/api-key'),
};

/** A copy of `values` with `changes` applied; an undefined change removes the key. */
export function edit(values: Readonly<Record<string, string>>, changes: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = { ...values };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}
