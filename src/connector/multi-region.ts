// A multi-region connector's primary-region half: the global endpoint, its contract keys, and what
// the role needs of the secondary region (granted by ARNs built from names, never by reference).
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ConnectorGlobalEndpointOptions } from './connector-props';
import { ConnectorActivity, RolesAnywhereAuthenticationOptions } from '../access';
import { acknowledgeScopedWildcards } from '../access/acknowledgements';
import { ParameterKeys, partitionOf, quote, secretReference } from '../contract';
import { GlobalEndpoint } from '../global-endpoint';
import { checkEndpointBus, checkSecondaryRegion } from '../global-endpoint/global-endpoint-validation';
import type { ConnectorParameters } from '../parameters';
import { ITrustAnchor, Profile, RolesAnywherePrincipal, TrustAnchor } from '../rolesanywhere';
import type { SecondaryRegionAttributes } from '../secondary-region';
import { secondaryApiKeySecretName, secondaryQueueName } from '../secondary-region/names';

/** What the consumer calls on its queue (as QueueReceiver grants in the primary region). */
const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'];

/**
 * Why a connector cannot be multi-region, or undefined: a literal stack region other than the
 * secondary, session mode (a static key's secret lives in the primary region's Secrets Manager),
 * a bus with a literal name of the stack's account and region, and a literal parameter path and
 * prefix (the secondary region's names derive from them).
 */
export function checkMultiRegion(scope: Construct, props: {
  secondaryRegion: string; eventBus?: events.IEventBus; eventBusName?: string; staticMode: boolean; parameterPath: string; resourceNamePrefix: string;
}): string | undefined {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    return `invalid secondaryRegion ${quote(props.secondaryRegion)}: the stack is environment-agnostic, expected a stack with env.region ` +
      '(the primary region of the global endpoint, the trust of the secondary region and the secondary contract are built from it)';
  }
  if (Token.isUnresolved(props.secondaryRegion)) return `invalid secondaryRegion ${quote(props.secondaryRegion)}: expected a literal region code`;
  const regionProblem = checkSecondaryRegion(scope, props.secondaryRegion);
  if (regionProblem) return regionProblem;
  if (props.staticMode) {
    return `invalid secondaryRegion ${quote(props.secondaryRegion)}: the connector uses static credentials, whose secret key lives in the primary region's Secrets Manager; ` +
      'expected ConnectorAuthentication.rolesAnywhere(...) for a multi-region connector';
  }
  if (props.eventBus) {
    const busProblem = checkEndpointBus(scope, props.eventBus);
    if (busProblem) return busProblem;
  } else if (props.eventBusName === undefined) {
    return `connector bus has a generated name and secondaryRegion ${quote(props.secondaryRegion)} is set: a multi-region connector needs eventBusName ` +
      '(the global endpoint routes to the bus of the same name in the secondary region, which that region\'s stack creates by the name; a generated name differs there)';
  } else if (Token.isUnresolved(props.eventBusName)) {
    return `invalid eventBusName ${quote(props.eventBusName)}: a multi-region connector needs a literal eventBusName ` +
      '(the global endpoint routes to the bus of the same name in the secondary region, which that region\'s stack creates by the name; a generated name differs there)';
  }
  for (const [what, value] of [['parameterPath', props.parameterPath], ['resourceNamePrefix', props.resourceNamePrefix]] as const) {
    if (Token.isUnresolved(value)) {
      return `invalid ${what} ${quote(value)}: a multi-region connector needs a literal ${what}, the secondary region's contract and names derive from it`;
    }
  }
  return undefined;
}

/** What `setUpPrimaryRegion` is given. */
export interface PrimaryRegionSetup {
  readonly eventBus: events.IEventBus;
  readonly secondaryRegion: string;
  readonly options: ConnectorGlobalEndpointOptions;
  readonly role: iam.Role;
  /** The role's literal name (see `multiRegionRoleName`). */
  readonly roleName: string;
  readonly profile: Profile;
  readonly parameters: ConnectorParameters;
  readonly parameterPath: string;
  readonly resourceNamePrefix: string;
  readonly activities: ConnectorActivity[];
  readonly session: RolesAnywhereAuthenticationOptions;
  readonly sessionSeconds: number;
  readonly clientCertificateId?: string;
}

/**
 * Creates the global endpoint, writes `EndpointId`, `EndpointArn` and `SecondaryRegion`, lets the
 * role trust the secondary region's trust anchors and grants it what the runtime does in the
 * secondary region when the primary is down. Returns the endpoint and the plain values the
 * secondary region's stack is built from.
 */
export function setUpPrimaryRegion(scope: Construct, setup: PrimaryRegionSetup): { endpoint: GlobalEndpoint; attributes: SecondaryRegionAttributes } {
  const endpoint = new GlobalEndpoint(scope, 'GlobalEndpoint', {
    eventBus: setup.eventBus,
    secondaryRegion: setup.secondaryRegion,
    endpointName: setup.options.endpointName,
    healthCheckId: setup.options.healthCheckId,
    healthCheckAlarm: setup.options.healthCheckAlarm,
    replication: setup.options.replication,
  });
  setup.parameters.addParameter(ParameterKeys.ENDPOINT_ID, endpoint.endpointId);
  setup.parameters.addParameter(ParameterKeys.ENDPOINT_ARN, endpoint.endpointArn);
  setup.parameters.addParameter(ParameterKeys.SECONDARY_REGION, setup.secondaryRegion);

  trustSecondaryRegion(scope, setup);
  const statements = secondaryRegionStatements(scope, setup, endpoint);
  for (const statement of statements) setup.role.addToPrincipalPolicy(statement);
  acknowledgeScopedWildcards(setup.role, statements);

  const session = setup.session;
  const attributes: SecondaryRegionAttributes = {
    primaryRegion: Stack.of(scope).region,
    secondaryRegion: setup.secondaryRegion,
    eventBusName: endpoint.eventBusName,
    parameterPath: setup.parameterPath,
    resourceNamePrefix: setup.resourceNamePrefix,
    roleName: setup.roleName,
    sessionDurationSeconds: setup.sessionSeconds,
    acceptRoleSessionName: setup.profile.acceptRoleSessionName,
    sessionName: session.sessionName,
    clientCertificateId: setup.clientCertificateId,
    caCertificates: session.trustAnchor ? undefined : session.caCertificates,
  };
  return { endpoint, attributes };
}

/**
 * The role's trust for sessions created in the secondary region: the trust anchor named by
 * `secondaryTrustAnchorArn`, else any trust anchor of the account in that region (its ARN is
 * generated there, and no reference crosses regions), with the same certificate conditions.
 */
function trustSecondaryRegion(scope: Construct, setup: PrimaryRegionSetup): void {
  const given = setup.options.secondaryTrustAnchorArn;
  const anchor: ITrustAnchor = given !== undefined
    ? TrustAnchor.fromTrustAnchorArn(scope, 'SecondaryTrustAnchor', given)
    : new RegionTrustAnchors(scope, 'SecondaryTrustAnchors', setup.secondaryRegion);
  if (given !== undefined) checkSecondaryTrustAnchor(scope, given, anchor.env, setup.secondaryRegion);
  new RolesAnywherePrincipal(anchor, {
    subjectCommonNames: setup.session.subjectCommonNames,
    issuerCommonNames: setup.session.issuerCommonNames,
    subjectAlternativeNameDns: setup.session.subjectAlternativeNameDns,
  }).addToAssumeRolePolicy(setup.role.assumeRolePolicy!);
}

/**
 * A pinned trust anchor of another region or account would leave the role trusting no session
 * of the secondary region: that shows only when the primary is down and CreateSession there is
 * refused, so a literal ARN's region and account are checked here (a token ARN is the caller's).
 */
function checkSecondaryTrustAnchor(scope: Construct, arn: string, env: { account: string; region: string }, secondaryRegion: string): void {
  const problem = (what: string, value: string, expected: string) =>
    `invalid globalEndpoint.secondaryTrustAnchorArn ${quote(arn)}: it is in ${what} ${value}, expected ${what} ${expected} ` +
    '(the secondary region stack\'s TrustAnchorArn output: the role trusts sessions created there when the primary is down)';
  if (!Token.isUnresolved(env.region) && env.region !== secondaryRegion) throw new Error(problem('region', env.region, secondaryRegion));
  const account = Stack.of(scope).account;
  if (!Token.isUnresolved(env.account) && !Token.isUnresolved(account) && env.account !== account) throw new Error(problem('account', env.account, account));
}

/** Every trust anchor of the stack's account in one region: the `aws:SourceArn` pattern of a trust statement. */
class RegionTrustAnchors extends Construct implements ITrustAnchor {
  public readonly trustAnchorArn: string;
  public readonly trustAnchorId = '*';
  public readonly stack: Stack;
  public readonly env: { account: string; region: string };

  constructor(scope: Construct, id: string, region: string) {
    super(scope, id);
    this.stack = Stack.of(scope);
    this.env = { account: this.stack.account, region };
    this.trustAnchorArn = this.stack.formatArn({
      service: 'rolesanywhere', region, resource: 'trust-anchor', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME, partition: partitionOf(region)?.id,
    });
  }

  public get trustAnchorRef() {
    return { trustAnchorArn: this.trustAnchorArn, trustAnchorId: this.trustAnchorId };
  }

  public applyRemovalPolicy(): void {
    throw new Error('RegionTrustAnchors is a pattern of ARNs, not a resource');
  }
}

/** The runtime's permissions in the secondary region, by ARNs built from the connector's names. */
function secondaryRegionStatements(scope: Construct, setup: PrimaryRegionSetup, endpoint: GlobalEndpoint): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const region = setup.secondaryRegion;
  const partition = partitionOf(region)?.id;
  const arn = (service: string, resource: string, resourceName: string | undefined, arnFormat: ArnFormat) =>
    stack.formatArn({ service, region, resource, resourceName, arnFormat, partition });
  const path = setup.parameterPath;
  const prefix = setup.resourceNamePrefix;
  const activities = setup.activities;
  const statements: iam.PolicyStatement[] = [];

  if (activities.includes(ConnectorActivity.SEND_EVENTS)) {
    // Through the endpoint, or to the secondary bus directly: EventBridge authorizes against the bus routed to.
    statements.push(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [endpoint.primaryEventBusArn, endpoint.secondaryEventBusArn] }));
  }
  if (activities.includes(ConnectorActivity.INSPECT)) {
    statements.push(new iam.PolicyStatement({ actions: ['events:DescribeEventBus'], resources: [endpoint.secondaryEventBusArn] }));
  }
  // The contract in the secondary region (READ_PARAMETERS is always an activity), as readParameterPathAccess.
  statements.push(new iam.PolicyStatement({
    actions: ['ssm:GetParametersByPath'],
    resources: [arn('ssm', `parameter${path}`, undefined, ArnFormat.NO_RESOURCE_NAME)],
    conditions: { StringNotEqualsIgnoreCase: { 'ssm:Recursive': 'true' } },
  }));
  statements.push(new iam.PolicyStatement({
    actions: ['ssm:GetParameter', 'ssm:GetParameters'],
    resources: Object.values(ParameterKeys).map((key) => arn('ssm', `parameter${path}/${key}`, undefined, ArnFormat.NO_RESOURCE_NAME)),
  }));
  if (activities.includes(ConnectorActivity.MANAGE_DESTINATIONS)) {
    const connections = arn('events', 'connection', `${prefix}*`, ArnFormat.SLASH_RESOURCE_NAME);
    statements.push(
      new iam.PolicyStatement({ actions: ['events:CreateConnection', 'events:UpdateConnection', 'events:DescribeConnection'], resources: [connections] }),
      new iam.PolicyStatement({
        actions: ['events:CreateApiDestination', 'events:UpdateApiDestination', 'events:DescribeApiDestination'],
        resources: [arn('events', 'api-destination', `${prefix}*`, ArnFormat.SLASH_RESOURCE_NAME), connections],
      }),
      new iam.PolicyStatement({
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:UpdateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:GetSecretValue'],
        resources: [arn('secretsmanager', 'secret', `events!connection/${prefix}*`, ArnFormat.COLON_RESOURCE_NAME)],
      }),
    );
  }
  // The secondary region's receivers (SecondaryRegionConnector names them after the path).
  const apiKeySecret = secondaryApiKeySecretName(path);
  statements.push(
    new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [arn('ssm', `parameter${secretReference(apiKeySecret)}`, undefined, ArnFormat.NO_RESOURCE_NAME)] }),
    // Secrets Manager appends `-` and six characters to the name in the ARN.
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [arn('secretsmanager', 'secret', `${apiKeySecret}-??????`, ArnFormat.COLON_RESOURCE_NAME)] }),
    new iam.PolicyStatement({ actions: CONSUME_ACTIONS, resources: [arn('sqs', secondaryQueueName(path), undefined, ArnFormat.NO_RESOURCE_NAME)] }),
  );
  return statements;
}
