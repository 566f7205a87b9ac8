import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import { MAX_RESOURCE_NAME_PREFIX_LENGTH, MAX_SESSION_DURATION_SECONDS, MIN_SESSION_DURATION_SECONDS, ROLE_SESSION_NAME, checkParameterPath, checkResourceNamePrefix, quote } from '../contract';
import { ConnectorActivity } from './activity';

/** Every activity, in declaration order: what a connector principal gets unless told otherwise. */
export const ALL_ACTIVITIES: readonly ConnectorActivity[] = [
  ConnectorActivity.SEND_EVENTS,
  ConnectorActivity.MANAGE_DESTINATIONS,
  ConnectorActivity.INSPECT,
  ConnectorActivity.READ_PARAMETERS,
];

export { MAX_RESOURCE_NAME_PREFIX_LENGTH };

/** Throws {@link resourceNamePrefixProblem}'s message, if any. */
export function assertResourceNamePrefix(prefix: string): void {
  const problem = resourceNamePrefixProblem(prefix);
  if (problem) throw new Error(problem);
}

/**
 * Why a resource name prefix breaks the contract's rule (`checkResourceNamePrefix`: letters,
 * digits, `-` or `_` ended by the one `.`), or undefined. With tokens, what is literal must fit
 * whatever they become: a `.` before the end never does (`a.<token>` would be granted names of
 * the connector whose prefix is `a.`); the rest is left to the runtime's check at startup.
 */
export function resourceNamePrefixProblem(prefix: string): string | undefined {
  if (!Token.isUnresolved(prefix)) return checkResourceNamePrefix(prefix);
  const literal = Tokenization.reverseString(prefix).mapTokens({ mapToken: () => TOKEN_STANDIN }).join({ join: (l, r) => `${l}${r}` });
  if (/^[A-Za-z0-9_\-\0]*\.?$/.test(literal)) return undefined;
  return `invalid resourceNamePrefix ${quote(prefix)}: expected letters, digits, '-' or '_' around its tokens and one '.' at its end only, whatever the tokens become ` +
    '(\'.\' is the delimiter no prefix contains elsewhere, so one connector\'s names never start with another\'s prefix)';
}

/** What a token counts as when the literal rest of a prefix is checked. */
const TOKEN_STANDIN = '\0';

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
