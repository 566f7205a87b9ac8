/** The form of a global endpoint's `EndpointId`, checked where options and the contract are read (no SDK loaded). */
import { quote } from '../../contract/quote';

/**
 * An `EndpointId` as the EventBridge API defines it (`Endpoint.EndpointId`: 1 to 50 characters,
 * `^[A-Za-z0-9\-]+[\.][A-Za-z0-9\-]+$`), e.g. `abcde.veo` for the endpoint URL
 * `https://abcde.veo.endpoint.events.amazonaws.com`; the label rule (no leading hyphen) is the
 * SDK ruleset's `isValidHostLabel`, so the host is one the ruleset builds.
 */
const ENDPOINT_ID = /^[A-Za-z0-9][A-Za-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9-]*$/;
const MAX_ENDPOINT_ID_LENGTH = 50;

/** The problem with an `endpointId` option, or `undefined` when it is one. */
export function endpointIdProblem(value: unknown, name = 'putEvents.endpointId'): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_ENDPOINT_ID_LENGTH || !ENDPOINT_ID.test(value)) {
    return `invalid ${name} ${quote(value)}: expected a global endpoint's EndpointId such as abcde.veo (two dot-separated labels of letters, digits and hyphens, at most ${MAX_ENDPOINT_ID_LENGTH} characters)`;
  }
  return undefined;
}
