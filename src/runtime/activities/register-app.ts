import { InputError } from '../errors';
import { DEFAULT_API_KEY_HEADER } from '../names';
import { createApiDestination, describeApiDestination, updateApiDestination } from './api-destinations';
import { connectionDescription, describesApiKey } from './api-key-digest';
import { createConnection, describeConnection, updateConnection } from './connections';
import type { ActivityContext } from './context';
import { isAlreadyExists, isNotFound } from './service-error';
import type { ApiDestinationDescription, ConnectionDescription, HttpMethod, RegisterAppInput, RegisterAppResult, RegistrationChange } from './types';
import { check, checkEndpoint, checkHeaderName, checkHttpMethod, checkRateLimit, checkResourceName } from './validate';
import { DEFAULT_RATE_LIMIT_PER_SECOND } from '../../contract';

/** Names and header the contract's receiving keys supply when the input leaves them out. */
export interface RegisterAppDefaults {
  readonly connectionName?: string;
  readonly apiDestinationName?: string;
  readonly apiKeyHeader?: string;
}

/** The construct's default, so an app registering itself gets what a deployed receiver would. */
export { DEFAULT_RATE_LIMIT_PER_SECOND };

interface Desired {
  readonly connectionName: string;
  readonly apiDestinationName: string;
  readonly endpoint: string;
  readonly apiKey: string;
  readonly apiKeyHeader: string;
  readonly httpMethod: HttpMethod;
  readonly rateLimitPerSecond?: number;
}

/**
 * Makes sure a connection holding this app's API key and an API destination calling its endpoint
 * exist, creating or updating only what differs, so that it is safe (and cheap: two describes) to
 * run on every start. Replicas starting together are fine: a create that loses the race is
 * followed by the describe-and-compare it skipped.
 */
export async function registerApp(
  context: ActivityContext,
  input: RegisterAppInput & { readonly endpoint: string; readonly apiKey: string },
  defaults: RegisterAppDefaults = {},
): Promise<RegisterAppResult> {
  const desired = resolve(input, defaults);
  check(
    checkResourceName('connection', desired.connectionName, context.resourceNamePrefix),
    checkResourceName('API destination', desired.apiDestinationName, context.resourceNamePrefix),
    checkEndpoint(desired.endpoint),
    typeof desired.apiKey === 'string' && desired.apiKey.length > 0 ? undefined : 'missing apiKey: expected the key EventBridge sends to the app',
    checkHeaderName('apiKeyHeader', desired.apiKeyHeader),
    checkHttpMethod(desired.httpMethod),
    checkRateLimit(desired.rateLimitPerSecond),
  );
  const connection = await ensureConnection(context, desired);
  const apiDestination = await ensureApiDestination(context, desired, connection.arn);
  return {
    connection: connection.change,
    apiDestination: apiDestination.change,
    connectionArn: connection.arn,
    apiDestinationArn: apiDestination.arn,
  };
}

function resolve(input: RegisterAppInput & { readonly endpoint: string; readonly apiKey: string }, defaults: RegisterAppDefaults): Desired {
  const connectionName = input.connectionName ?? input.name ?? defaults.connectionName;
  const apiDestinationName = input.apiDestinationName ?? input.name ?? defaults.apiDestinationName;
  if (connectionName === undefined || apiDestinationName === undefined) {
    throw new InputError(
      'missing name: expected name (or connectionName and apiDestinationName), or a client from ConnectorClient.fromParameters whose contract has the receiving keys',
    );
  }
  return {
    connectionName,
    apiDestinationName,
    endpoint: input.endpoint,
    apiKey: input.apiKey,
    apiKeyHeader: input.apiKeyHeader ?? defaults.apiKeyHeader ?? DEFAULT_API_KEY_HEADER,
    httpMethod: input.httpMethod ?? 'POST',
    rateLimitPerSecond: input.rateLimitPerSecond,
  };
}

interface Outcome {
  readonly change: RegistrationChange;
  readonly arn: string;
}

async function describeOrUndefined<T>(describe: () => Promise<T>): Promise<T | undefined> {
  try {
    return await describe();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Creates, or when another replica created it first, returns undefined so the caller compares. */
async function createUnlessRaced(create: () => Promise<{ arn: string }>): Promise<Outcome | undefined> {
  try {
    return { change: 'created', arn: (await create()).arn };
  } catch (error) {
    if (isAlreadyExists(error)) return undefined;
    throw error;
  }
}

async function ensureConnection(context: ActivityContext, desired: Desired): Promise<Outcome> {
  const authorization = { type: 'API_KEY', apiKeyName: desired.apiKeyHeader, apiKeyValue: desired.apiKey } as const;
  let existing = await describeOrUndefined(() => describeConnection(context, desired.connectionName));
  if (!existing) {
    const created = await createUnlessRaced(async () =>
      createConnection(context, { name: desired.connectionName, authorization, description: await connectionDescription(desired.apiKey) }),
    );
    if (created) return created;
    existing = await describeConnection(context, desired.connectionName);
  }
  if (await connectionMatches(existing, desired)) return { change: 'unchanged', arn: existing.arn };
  const updated = await updateConnection(context, {
    name: desired.connectionName,
    authorization,
    description: await connectionDescription(desired.apiKey),
  });
  return { change: 'updated', arn: updated.arn || existing.arn };
}

async function connectionMatches(existing: ConnectionDescription, desired: Desired): Promise<boolean> {
  return (
    existing.authorizationType === 'API_KEY' &&
    existing.apiKeyName === desired.apiKeyHeader &&
    // Sending the key again is what authorizes a deauthorized connection.
    existing.state !== 'DEAUTHORIZED' &&
    (await describesApiKey(existing.description, desired.apiKey))
  );
}

async function ensureApiDestination(context: ActivityContext, desired: Desired, connectionArn: string): Promise<Outcome> {
  const target = {
    name: desired.apiDestinationName,
    connectionArn,
    endpoint: desired.endpoint,
    httpMethod: desired.httpMethod,
  };
  let existing = await describeOrUndefined(() => describeApiDestination(context, desired.apiDestinationName));
  if (!existing) {
    const created = await createUnlessRaced(() =>
      createApiDestination(context, { ...target, rateLimitPerSecond: desired.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT_PER_SECOND }),
    );
    if (created) return created;
    existing = await describeApiDestination(context, desired.apiDestinationName);
  }
  if (apiDestinationMatches(existing, desired, connectionArn)) return { change: 'unchanged', arn: existing.arn };
  const updated = await updateApiDestination(context, {
    ...target,
    rateLimitPerSecond: desired.rateLimitPerSecond,
  });
  return { change: 'updated', arn: updated.arn || existing.arn };
}

function apiDestinationMatches(existing: ApiDestinationDescription, desired: Desired, connectionArn: string): boolean {
  return (
    existing.endpoint === desired.endpoint &&
    existing.httpMethod === desired.httpMethod &&
    existing.connectionArn === connectionArn &&
    // A rate left out of the input is whatever the destination has.
    (desired.rateLimitPerSecond === undefined || existing.rateLimitPerSecond === desired.rateLimitPerSecond)
  );
}
