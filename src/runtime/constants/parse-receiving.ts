import { Problems } from './problems';
import { ReceivingConstants } from './types';
import { ParameterKey, ParameterKeys, parseArn, RECEIVING_KEYS } from '../../contract';
import { definedOnly } from '../../contract/defined-only';
import { HEADER_NAME, RESOURCE_NAME } from '../names';

const K = ParameterKeys;

/** The ARNs are informative (imported resources may lack them); the rest is needed to receive. */
const REQUIRED: readonly ParameterKey[] = RECEIVING_KEYS.filter((k) => k !== K.CONNECTION_ARN && k !== K.API_DESTINATION_ARN);

/**
 * The receiving keys are written together: none of them means the connector does not receive,
 * some of them means a contract that was cut short.
 */
export function parseReceiving(
  problems: Problems,
  get: (key: ParameterKey) => string | undefined,
  resourceNamePrefix: string | undefined,
): ReceivingConstants | undefined {
  const present = RECEIVING_KEYS.filter((k) => get(k) !== undefined);
  if (present.length === 0) return undefined;
  for (const key of REQUIRED) {
    if (get(key) === undefined) {
      problems.missing(key, `all receiving keys, since ${present.join(', ')} ${present.length > 1 ? 'are' : 'is'} present`);
    }
  }

  const before = problems.length;
  const connectionName = get(K.CONNECTION_NAME);
  const apiDestinationName = get(K.API_DESTINATION_NAME);
  for (const [key, name] of [[K.CONNECTION_NAME, connectionName], [K.API_DESTINATION_NAME, apiDestinationName]] as const) {
    if (name === undefined) continue;
    if (!RESOURCE_NAME.test(name)) {
      problems.invalid(key, name, 'a name of 1 to 64 letters, digits, and . - _');
    } else if (resourceNamePrefix !== undefined && !name.startsWith(resourceNamePrefix)) {
      // The connector role may only manage names with the prefix: anything else fails at RegisterApp.
      problems.invalid(key, name, `a name starting with ResourceNamePrefix '${resourceNamePrefix}'`);
    }
  }
  const connectionArn = get(K.CONNECTION_ARN);
  if (connectionArn !== undefined) checkEventsArn(problems, K.CONNECTION_ARN, connectionArn, 'connection');
  const apiDestinationArn = get(K.API_DESTINATION_ARN);
  if (apiDestinationArn !== undefined) checkEventsArn(problems, K.API_DESTINATION_ARN, apiDestinationArn, 'api-destination');

  const endpoint = get(K.RECEIVE_ENDPOINT);
  // API destinations call only HTTPS endpoints (the construct refuses others at synth); plain HTTP
  // is accepted on a loopback host alone, where the local delivery stand-in calls the app.
  if (endpoint !== undefined && !isReceivableUrl(endpoint)) {
    problems.invalid(K.RECEIVE_ENDPOINT, endpoint, 'the https:// URL the API destination calls, such as https://app.example.com/events (http:// only on a loopback host, for local tests)');
  }
  const apiKeyHeader = get(K.API_KEY_HEADER);
  problems.unlessMatches(K.API_KEY_HEADER, apiKeyHeader, HEADER_NAME, 'an HTTP header name such as x-api-key');
  const apiKeySecretReference = get(K.API_KEY_SECRET);
  problems.unlessSecretReference(K.API_KEY_SECRET, apiKeySecretReference, 'the API key');

  if (problems.length > before || REQUIRED.some((k) => get(k) === undefined)) return undefined;
  return {
    connectionName: connectionName!,
    apiDestinationName: apiDestinationName!,
    endpoint: endpoint!,
    apiKeyHeader: apiKeyHeader!,
    apiKeySecretReference: apiKeySecretReference!,
    ...definedOnly({ connectionArn, apiDestinationArn }),
  };
}

function checkEventsArn(problems: Problems, key: ParameterKey, arn: string, type: string): void {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'events' || !parts.region || !/^\d{12}$/.test(parts.account) || !parts.resource.startsWith(`${type}/`)) {
    problems.invalid(key, arn, `an EventBridge ${type} ARN such as arn:aws:events:eu-west-1:123456789012:${type}/name/<id>`);
  }
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

function isReceivableUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname));
  } catch {
    return false;
  }
}
