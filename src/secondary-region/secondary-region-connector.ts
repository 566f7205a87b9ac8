import { ArnFormat, CfnOutput, Duration, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { secondaryApiKeySecretName, secondaryQueueName } from './names';
import type { SecondaryRegionConnectorProps } from './secondary-region-props';
import { registerClaim, setClaimOwner } from '../access/contract-overlap';
import { assertParameterPath, assertResourceNamePrefix } from '../access/validation';
import { bootstrapOutput } from '../connector/bootstrap-output';
import { BootstrapOutputs, checkRegionCode, ParameterKeys, partitionOf, quote } from '../contract';
import { ConnectorParameters } from '../parameters';
import { ConnectorReceiver, ConnectorReceiverOptions, QueueReceiver, QueueReceiverOptions } from '../receiving';
import { generateApiKeySecret } from '../receiving/api-key-secret';
import { ITrustAnchor, Profile, TrustAnchor, TrustAnchorSource } from '../rolesanywhere';

/** CreateEventBus's Name for a new bus: 1 to 256 of `[.\-_A-Za-z0-9]`, not `default`. */
const NEW_EVENT_BUS_NAME = /^[.\-_A-Za-z0-9]{1,256}$/;

/**
 * What a multi-region connector (`EventBridgeConnector` with `secondaryRegion`) needs in its
 * secondary region, in a stack of that region: the bus of the same name (the global endpoint
 * fails over to it), a Roles Anywhere trust anchor and profile (CreateSession is regional)
 * listing the connector's role, the receivers added with `addReceiver` / `addQueueReceiver`,
 * and the contract under the same parameter path, with this region's values and
 * `PrimaryRegion` (no `EndpointId`: a runtime that reads this contract because the primary
 * region is down sends to this region's bus directly).
 *
 * It takes the primary connector's values as plain values (no cross-region reference) and creates
 * no IAM policy: the connector's role in the primary stack is granted this region's resources by
 * ARNs built from the same names. Deploy this stack first, then the primary's (its endpoint names
 * this region's bus).
 */
export class SecondaryRegionConnector extends Construct {
  /** The bus of the same name as the primary's. */
  public readonly eventBus: events.EventBus;

  /** This region's trust anchor (created or given). */
  public readonly trustAnchor: ITrustAnchor;

  /** This region's profile, listing the connector's role. */
  public readonly profile: Profile;

  /** The contract written in this region. */
  public readonly parameters: ConnectorParameters;

  /** ARN of the connector's role, built from its name. */
  public readonly roleArn: string;

  /**
   * The receiving path, once added with {@link SecondaryRegionConnector.addReceiver}.
   *
   * @default - none
   */
  public receiver?: ConnectorReceiver;

  /**
   * The queue receiver, once added with {@link SecondaryRegionConnector.addQueueReceiver}.
   *
   * @default - none
   */
  public queueReceiver?: QueueReceiver;

  private readonly props: SecondaryRegionConnectorProps;

  constructor(scope: Construct, id: string, props: SecondaryRegionConnectorProps) {
    validateSecondaryProps(scope, props);
    super(scope, id);
    this.props = props;
    const primary = props.primary;
    const stack = Stack.of(this);

    this.eventBus = new events.EventBus(this, 'EventBus', { eventBusName: primary.eventBusName });
    registerClaim(this.eventBus, { kind: 'connector', eventBusName: primary.eventBusName }, this);
    this.trustAnchor = props.trustAnchor ?? new TrustAnchor(this, 'TrustAnchor', {
      source: TrustAnchorSource.fromCertificateBundle(primary.caCertificates!),
    });
    this.roleArn = stack.formatArn({
      service: 'iam', region: '', resource: 'role', resourceName: primary.roleName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, partition: partitionOf(stack.region)?.id,
    });
    // Immutable: the role and its policies are the primary stack's.
    const role = iam.Role.fromRoleArn(this, 'ConnectorRole', this.roleArn, { mutable: false });
    this.profile = new Profile(this, 'Profile', {
      roles: [role],
      sessionDuration: Duration.seconds(primary.sessionDurationSeconds),
      acceptRoleSessionName: primary.acceptRoleSessionName,
    });
    this.parameters = new ConnectorParameters(this, 'Parameters', {
      parameterPath: primary.parameterPath,
      eventBus: this.eventBus,
      resourceNamePrefix: primary.resourceNamePrefix,
      session: {
        roleArn: this.roleArn,
        profileArn: this.profile.profileArn,
        trustAnchorArn: this.trustAnchor.trustAnchorArn,
        durationSeconds: primary.sessionDurationSeconds,
        sessionName: primary.sessionName,
        clientCertificateId: primary.clientCertificateId,
      },
    });
    this.parameters.addParameter(ParameterKeys.PRIMARY_REGION, primary.primaryRegion);
    setClaimOwner(this.parameters, this);

    this.output(BootstrapOutputs.REGION, stack.region, 'Secondary region of the connector');
    this.output(BootstrapOutputs.TRUST_ANCHOR_ARN, this.trustAnchor.trustAnchorArn, 'IAM Roles Anywhere trust anchor ARN of the secondary region');
    this.output(BootstrapOutputs.PROFILE_ARN, this.profile.profileArn, 'IAM Roles Anywhere profile ARN of the secondary region');
    this.output(BootstrapOutputs.PARAMETER_PATH, primary.parameterPath, 'SSM path of the connector constants in the secondary region');
  }

  /**
   * Delivers events from this region's bus to the application, as the primary connector's
   * `addReceiver` does from its bus: give the same options. The connection and API destination
   * carry the connector's prefix; the API key lives in a secret named
   * `<parameter path without its leading />/ApiKey`, which the connector's role may read.
   */
  public addReceiver(id: string, options: ConnectorReceiverOptions): ConnectorReceiver {
    if (this.receiver) {
      throw new Error(`secondary region connector ${quote(this.node.id)} already has receiver ${quote(this.receiver.node.id)}: the contract has one set of receiving keys, so add one receiver`);
    }
    const apiKeySecret = options.apiKeySecret ?? this.apiKeySecret();
    const receiver = new ConnectorReceiver(this, id, {
      ...options,
      apiKeySecret,
      eventBus: this.eventBus,
      parameterPath: this.props.primary.parameterPath,
      resourceNamePrefix: this.props.primary.resourceNamePrefix,
    });
    setClaimOwner(receiver, this);
    this.receiver = receiver;
    return receiver;
  }

  /**
   * Delivers events from this region's bus to a queue of this region, as the primary connector's
   * `addQueueReceiver` does: give the same options. The queue is named after the parameter path
   * (`/eventbridge-connector/orders` gives `eventbridge-connector-orders-inbox`), which the
   * connector's role may consume.
   */
  public addQueueReceiver(id: string, options: QueueReceiverOptions = {}): QueueReceiver {
    if (this.queueReceiver) {
      throw new Error(`secondary region connector ${quote(this.node.id)} already has queue receiver ${quote(this.queueReceiver.node.id)}: the contract has one set of queue keys, so add one queue receiver`);
    }
    const receiver = new QueueReceiver(this, id, { ...options, eventBus: this.eventBus, parameterPath: this.props.primary.parameterPath });
    // By name, so that the primary stack grants it without a reference to this stack.
    (receiver.queue.node.defaultChild as sqs.CfnQueue).queueName = secondaryQueueName(this.props.primary.parameterPath);
    setClaimOwner(receiver, this);
    this.queueReceiver = receiver;
    return receiver;
  }

  private apiKeySecret(): secretsmanager.ISecret {
    return generateApiKeySecret(this, {
      secretName: secondaryApiKeySecretName(this.props.primary.parameterPath),
      description: 'API key that EventBridge sends to the application with every delivery of the secondary region',
    });
  }

  /** A bootstrap value as a stack output named and exported as the primary connector's are. */
  private output(name: string, value: string, description: string): CfnOutput {
    return bootstrapOutput(this, name, value, description);
  }
}

/** Checks before any construct exists; throws `invalid <name> '<value>': expected ...`. */
function validateSecondaryProps(scope: Construct, props: SecondaryRegionConnectorProps): void {
  const p = props.primary;
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    throw new Error(`invalid stack region for the secondary region connector: the stack is environment-agnostic, expected a stack with env.region ${quote(p.secondaryRegion)} ` +
      '(the secondary region\'s bus, trust anchor and contract must be where the primary connector\'s endpoint and role expect them)');
  }
  for (const [what, value] of [['primaryRegion', p.primaryRegion], ['secondaryRegion', p.secondaryRegion]] as const) {
    if (Token.isUnresolved(value)) throw new Error(`invalid ${what} ${quote(value)}: expected a literal region code`);
    const problem = checkRegionCode(value);
    if (problem) throw new Error(problem.replace(/^invalid region/, `invalid ${what}`));
  }
  if (p.primaryRegion === p.secondaryRegion) {
    throw new Error(`invalid secondaryRegion ${quote(p.secondaryRegion)}: it is the primaryRegion too, expected another region`);
  }
  if (region !== p.secondaryRegion) {
    throw new Error(`invalid stack region ${quote(region)} for the secondary region connector: expected the connector's secondaryRegion ${quote(p.secondaryRegion)}` +
      (region === p.primaryRegion ? ' (this is the primary region)' : ''));
  }
  for (const [what, value] of [['eventBusName', p.eventBusName], ['parameterPath', p.parameterPath], ['resourceNamePrefix', p.resourceNamePrefix], ['roleName', p.roleName]] as const) {
    if (Token.isUnresolved(value)) throw new Error(`invalid ${what} ${quote(value)}: expected a literal, the secondary region's names are derived from it`);
  }
  if (!NEW_EVENT_BUS_NAME.test(p.eventBusName) || p.eventBusName === 'default') {
    throw new Error(`invalid eventBusName ${quote(p.eventBusName)}: expected 1 to 256 letters, digits, '.', '-' or '_', not 'default' (CreateEventBus)`);
  }
  assertParameterPath(p.parameterPath);
  assertResourceNamePrefix(p.resourceNamePrefix);
  if (!props.trustAnchor && p.caCertificates === undefined) {
    throw new Error('secondary region connector needs a CA to trust: the primary was given a trust anchor, not caCertificates, so give trustAnchor (one of this region)');
  }
}
