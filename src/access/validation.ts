import { Duration, Token } from 'aws-cdk-lib';
import { GENERATED_NAME_LENGTH, MAX_EVENTBRIDGE_NAME_LENGTH, MAX_RESOURCE_NAME_PREFIX_LENGTH, MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS, ROLE_SESSION_NAME, checkParameterPath, quote } from '../contract';
import { ConnectorActivity } from './activity';

/** Every activity, in declaration order: what a connector principal gets unless told otherwise. */
export const ALL_ACTIVITIES: readonly ConnectorActivity[] = [
  ConnectorActivity.SEND_EVENTS,
  ConnectorActivity.MANAGE_DESTINATIONS,
  ConnectorActivity.INSPECT,
  ConnectorActivity.READ_PARAMETERS,
];

/**
 * Connection and API destination names are 1 to 64 of `[.\-_A-Za-z0-9]`; the prefix leaves room
 * for the longest part a receiver generates (see `MAX_RESOURCE_NAME_PREFIX_LENGTH` in the contract).
 */
export { MAX_RESOURCE_NAME_PREFIX_LENGTH };
const RESOURCE_NAME_PREFIX = new RegExp(`^[.\\-_A-Za-z0-9]{1,${MAX_RESOURCE_NAME_PREFIX_LENGTH}}$`);

/** Throws when a resource name prefix could not start a connection or API destination name. */
export function assertResourceNamePrefix(prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  if (!RESOURCE_NAME_PREFIX.test(prefix)) {
    throw new Error(
      `invalid resource name prefix ${quote(prefix)}: expected 1 to ${MAX_RESOURCE_NAME_PREFIX_LENGTH} letters, digits, '.', '-' or '_' (connection and API destination names allow only these, and the names a receiver generates after the prefix take up to ${GENERATED_NAME_LENGTH} of their ${MAX_EVENTBRIDGE_NAME_LENGTH})`,
    );
  }
}

/** Throws when a parameter path breaks the contract's layout (see `checkParameterPath`). */
export function assertParameterPath(path: string): void {
  if (Token.isUnresolved(path)) return;
  const problem = checkParameterPath(path);
  if (problem) throw new Error(problem);
}

/**
 * The activities to grant: the given ones without repeats, or all of them. An empty list is a
 * mistake (a principal that can do nothing), not a request for nothing.
 */
export function resolveActivities(activities: ConnectorActivity[] | undefined): ConnectorActivity[] {
  if (activities === undefined) return [...ALL_ACTIVITIES];
  if (activities.length === 0) {
    throw new Error(`invalid activities []: expected at least one of ${ALL_ACTIVITIES.join(', ')}`);
  }
  for (const activity of activities) {
    if (!ALL_ACTIVITIES.includes(activity)) {
      throw new Error(`unknown connector activity ${quote(activity)}: expected one of ${ALL_ACTIVITIES.join(', ')}`);
    }
  }
  return ALL_ACTIVITIES.filter((a) => activities.includes(a));
}

/** Throws when a Roles Anywhere session duration is out of the service's bounds. */
export function assertSessionDuration(duration: Duration | undefined): void {
  sessionDurationSeconds(duration, MIN_SESSION_DURATION_SECONDS);
}

/** Seconds of a Roles Anywhere session, checked against the service's bounds. */
export function sessionDurationSeconds(duration: Duration | undefined, fallbackSeconds: number): number {
  if (duration === undefined) return fallbackSeconds;
  // A token (e.g. a CfnParameter) passes as a token number: the role's maximum session duration
  // then covers the service's maximum, so any value the parameter takes works.
  if (duration.isUnresolved()) return duration.toSeconds();
  // toMilliseconds() throws aws-cdk's own message on NaN and Infinity.
  if (!Number.isFinite(duration.toSeconds({ integral: false }))) {
    throw new Error(`invalid session duration ${quote(duration.toString())}: expected a whole number of seconds from ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`);
  }
  const millis = duration.toMilliseconds();
  if (millis % 1000 !== 0) {
    throw new Error(`invalid session duration ${duration.toHumanString()}: expected a whole number of seconds`);
  }
  const seconds = millis / 1000;
  if (seconds < MIN_SESSION_DURATION_SECONDS || seconds > MAX_SESSION_DURATION_SECONDS) {
    throw new Error(
      `invalid session duration ${seconds} seconds: expected ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS} seconds (15 minutes to 12 hours)`,
    );
  }
  return seconds;
}

/** STS role session names: 2 to 64 characters of letters, digits and `_+=,.@-`. */
const SESSION_NAME = ROLE_SESSION_NAME;

/** Throws when a role session name would be refused by CreateSession. */
export function assertSessionName(name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!SESSION_NAME.test(name)) {
    throw new Error(`invalid session name ${quote(name)}: expected 2 to 64 letters, digits or _+=,.@- (the STS role session name rule)`);
  }
}
