// Checks an EventBridgeConnector's props before any construct exists, and applies their defaults.
import { Duration, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EventBridgeConnectorProps } from './connector-props';
import { AuthenticationMode, ConnectorActivity, ConnectorAuthentication, RolesAnywhereAuthenticationOptions } from '../access';
import { assertPlacementAtDeploy } from '../access/deploy-placement';
import { checkImportedBus, stackPlacement } from '../access/placement';
import { assertParameterPath, assertResourceNamePrefix, MAX_RESOURCE_NAME_PREFIX_LENGTH, resolveActivities } from '../access/validation';
import { BootstrapOutputs, checkPlacement, connectorSlug, DEFAULT_SESSION_DURATION_SECONDS, defaultParameterPath, quote, resourceNamePrefixOf } from '../contract';

/** EventBridge archive names: 1 to 48 of `[.\-_A-Za-z0-9]` (CreateArchive's ArchiveName). */
const ARCHIVE_NAME = /^[.\-_A-Za-z0-9]{1,48}$/;
/** CreateArchive's Description: at most 512 characters. */
const MAX_ARCHIVE_DESCRIPTION_LENGTH = 512;
/** CreateEventBus's Name: 1 to 256 of `[\/\.\-_A-Za-z0-9]`, a new bus may not contain `/` nor be `default`. */
const NEW_EVENT_BUS_NAME = /^[.\-_A-Za-z0-9]{1,256}$/;

/** The connector's props with defaults applied and every literal checked. */
export interface NormalizedConnectorProps {
  readonly parameterPath: string;
  readonly resourceNamePrefix: string;
  readonly activities: ConnectorActivity[];
  readonly authentication: ConnectorAuthentication;
  /** Session-mode options, in session mode. */
  readonly session?: RolesAnywhereAuthenticationOptions;
  /** Session length in seconds (a token when `sessionDuration` is one). */
  readonly sessionSeconds: number;
  readonly archiveRetention?: Duration;
}

/**
 * Checks an `EventBridgeConnector`'s props before any construct exists and returns them with
 * their defaults. Unresolved tokens pass: CloudFormation checks them at deployment. Throws
 * `invalid <prop> '<value>': expected ...`.
 */
export function normalizeConnectorProps(scope: Construct, id: string, props: EventBridgeConnectorProps): NormalizedConnectorProps {
  const slug = Token.isUnresolved(id) ? '' : connectorSlug(id);
  const derives = props.parameterPath === undefined || props.resourceNamePrefix === undefined;
  // The slug keeps ASCII letters and digits only: 'Ørders' would silently become 'rders'.
  if (derives && !Token.isUnresolved(id) && /[^\x00-\x7f]/.test(id)) {
    throw new Error(`invalid connector id ${quote(id)}: expected ASCII letters or digits to derive the parameter path and resource name prefix from, or set parameterPath and resourceNamePrefix`);
  }
  if (derives && slug === '') {
    throw new Error(`invalid connector id ${quote(id)}: expected ASCII letters or digits to derive the parameter path and resource name prefix from, or set parameterPath and resourceNamePrefix`);
  }
  const parameterPath = props.parameterPath ?? defaultParameterPath(id);
  assertParameterPath(parameterPath);
  const derivedPrefix = resourceNamePrefixOf(slug);
  if (props.resourceNamePrefix === undefined && derivedPrefix.length > MAX_RESOURCE_NAME_PREFIX_LENGTH) {
    throw new Error(`invalid connector id ${quote(id)}: the resource name prefix derived from it, ${quote(derivedPrefix)}, has ${derivedPrefix.length} characters, ` +
      `expected at most ${MAX_RESOURCE_NAME_PREFIX_LENGTH}: set resourceNamePrefix, or use a shorter id`);
  }
  const resourceNamePrefix = props.resourceNamePrefix ?? derivedPrefix;
  assertResourceNamePrefix(resourceNamePrefix);

  checkOutputNames(scope, id);

  if (props.eventBus && props.eventBusName !== undefined) {
    throw new Error(`invalid eventBusName ${quote(props.eventBusName)}: eventBus is given too, expected one of them: name a new bus, or give an existing one`);
  }
  if (props.eventBusName !== undefined && !Token.isUnresolved(props.eventBusName) && (!NEW_EVENT_BUS_NAME.test(props.eventBusName) || props.eventBusName === 'default')) {
    throw new Error(`invalid eventBusName ${quote(props.eventBusName)}: expected 1 to 256 letters, digits, '.', '-' or '_', not 'default' (CreateEventBus)`);
  }
  if (props.eventBus) checkImportedBus(scope, props.eventBus, props.archive !== undefined);
  const archiveRetention = checkArchive(props);

  const activities = resolveActivities(withReadParameters(props.activities));
  const authentication = props.authentication ?? ConnectorAuthentication.rolesAnywhere();
  const session = authentication.rolesAnywhereOptions;
  if (authentication.mode === AuthenticationMode.ROLES_ANYWHERE && !session?.trustAnchor && session?.caCertificates === undefined) {
    throw new Error(
      `connector ${quote(id)} uses IAM Roles Anywhere${props.authentication ? '' : ' (the default)'} and needs a CA to trust: ` +
        'give authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates }) or ({ trustAnchor }), ' +
        'or ConnectorAuthentication.staticCredentials() for tests',
    );
  }
  if (session?.trustAnchor) {
    const problem = checkPlacement('trustAnchor', session.trustAnchor.trustAnchorArn, stackPlacement(scope),
      'the profile and role are created in this stack, and a trust anchor only serves profiles of its own account and region');
    if (problem) throw new Error(problem);
    assertPlacementAtDeploy(scope, 'trustAnchor', session.trustAnchor.trustAnchorArn, { account: true, region: true },
      'a trust anchor only serves profiles of its own account and region');
  }
  const sessionSeconds = session?.sessionDuration?.toSeconds() ?? DEFAULT_SESSION_DURATION_SECONDS;
  return { parameterPath, resourceNamePrefix, activities, authentication, session, sessionSeconds, archiveRetention };
}

/** CloudFormation output logical ids and export names: at most 255 characters. */
const MAX_OUTPUT_NAME_LENGTH = 255;

/** The outputs are named `<id><name>` and exported as `<stack name>-<id><name>` (see `EventBridgeConnector`). */
function checkOutputNames(scope: Construct, id: string): void {
  const stackName = Stack.of(scope).stackName;
  if (Token.isUnresolved(id) || Token.isUnresolved(stackName)) return;
  const longest = Math.max(...Object.values(BootstrapOutputs).map((name) => name.length));
  const length = stackName.length + 1 + id.replace(/[^A-Za-z0-9]/g, '').length + longest;
  if (length > MAX_OUTPUT_NAME_LENGTH) {
    throw new Error(`invalid connector id ${quote(id)}: the export names of its outputs (<stack name>-<id><output>) would have ${length} characters, ` +
      `expected at most ${MAX_OUTPUT_NAME_LENGTH} (CloudFormation export names): use a shorter id or stack name`);
  }
}

function checkArchive(props: EventBridgeConnectorProps): Duration | undefined {
  const archive = props.archive;
  if (!archive) return undefined;
  const retention = archive.retention;
  if (retention !== undefined && !retention.isUnresolved()) {
    const days = retention.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(`invalid archive retention ${quote(retention.toHumanString())}: expected a whole number of days, at least 1`);
    }
  }
  const name = archive.archiveName;
  if (name !== undefined && !Token.isUnresolved(name) && !ARCHIVE_NAME.test(name)) {
    throw new Error(`invalid archiveName ${quote(name)}: expected 1 to 48 letters, digits, '.', '-' or '_' (CreateArchive)`);
  }
  const description = archive.description;
  if (description !== undefined && !Token.isUnresolved(description) && description.length > MAX_ARCHIVE_DESCRIPTION_LENGTH) {
    throw new Error(`invalid archive description ${quote(description)}: expected at most ${MAX_ARCHIVE_DESCRIPTION_LENGTH} characters (CreateArchive)`);
  }
  return retention;
}

function withReadParameters(activities: ConnectorActivity[] | undefined): ConnectorActivity[] | undefined {
  if (activities === undefined || activities.length === 0 || activities.includes(ConnectorActivity.READ_PARAMETERS)) return activities;
  return [...activities, ConnectorActivity.READ_PARAMETERS];
}
