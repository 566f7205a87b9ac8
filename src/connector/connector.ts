// The EventBridgeConnector construct: composes the bus, the principal, the contract and the outputs.
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { bootstrapOutput } from './bootstrap-output';
import { validateConnectorClaimCheck } from './claim-check-option';
import type { EventBridgeConnectorProps } from './connector-props';
import { normalizeConnectorProps } from './connector-validation';
import { checkMultiRegion, setUpPrimaryRegion } from './multi-region';
import {
  AuthenticationMode,
  ConnectorActivity,
  ConnectorRole,
  RolesAnywhereAuthenticationOptions,
  StaticCredentials,
} from '../access';
import { checkClientCertificate } from '../access/client-certificate';
import { registerClaim, setClaimOwner } from '../access/contract-overlap';
import { ClaimCheckStore, ConnectorClaimCheckOptions } from '../claim-check';
import { BootstrapOutputs, ParameterKeys, quote } from '../contract';
import type { GlobalEndpoint } from '../global-endpoint';
import { ConnectorParameters } from '../parameters';
import { ConnectorReceiver, ConnectorReceiverOptions, QueueReceiver, QueueReceiverOptions } from '../receiving';
import { IProfile, ITrustAnchor, Profile, TrustAnchor, TrustAnchorSource } from '../rolesanywhere';
import type { SecondaryRegionAttributes } from '../secondary-region';
import { multiRegionRoleName } from '../secondary-region/names';

/**
 * Everything an application needs to talk to Amazon EventBridge: an event bus (new or imported),
 * a least-privilege principal (a role assumed through IAM Roles Anywhere, or an IAM user with
 * static keys), and the connector constants written as SSM parameters under one path, which the
 * runtime reads at startup. The bootstrap values (region, trust anchor, profile, role, path)
 * are stack outputs.
 */
export class EventBridgeConnector extends Construct {
  /** The connector's event bus. */
  public readonly eventBus: events.IEventBus;

  /**
   * The archive of the bus.
   *
   * @default - no archive
   */
  public readonly archive?: events.Archive;

  /** How the runtime authenticates. */
  public readonly authenticationMode: AuthenticationMode;

  /** The role the runtime assumes, in session mode. */
  public readonly role?: ConnectorRole;

  /** The Roles Anywhere trust anchor, in session mode (created or given). */
  public readonly trustAnchor?: ITrustAnchor;

  /** The Roles Anywhere profile, in session mode. */
  public readonly profile?: IProfile;

  /** The IAM user, access key and secret, in static mode. */
  public readonly staticCredentials?: StaticCredentials;

  /** The IAM user whose keys the runtime uses, in static mode. */
  public readonly user?: iam.IUser;

  /** The SSM contract. */
  public readonly parameters: ConnectorParameters;

  /** SSM path of the contract. */
  public readonly parameterPath: string;

  /** Prefix of the connection and API destination names the connector may manage, e.g. `orders.`. */
  public readonly resourceNamePrefix: string;

  /** Activities the connector's principal is permitted. */
  public readonly activities: ConnectorActivity[];

  /**
   * The receiving path, once added with {@link EventBridgeConnector.addReceiver}.
   *
   * @default - none
   */
  public receiver?: ConnectorReceiver;

  /**
   * The global endpoint of a multi-region connector (`secondaryRegion`).
   *
   * @default - none: single-region
   */
  public readonly globalEndpoint?: GlobalEndpoint;

  /**
   * What the secondary region's stack needs, as plain values: give them to a
   * `SecondaryRegionConnector` in a stack of `secondaryRegion`.
   *
   * @default - none: single-region
   */
  public readonly secondaryRegionAttributes?: SecondaryRegionAttributes;

  /**
   * The claim-check store the connector writes large payloads to, when `claimCheck` is set.
   *
   * @default - no claim check
   */
  public readonly claimCheckStore?: ClaimCheckStore;

  /**
   * The connector's full key prefix in the claim-check store, e.g. `payloads/orders/`.
   *
   * @default - no claim check
   */
  public readonly claimCheckKeyPrefix?: string;

  constructor(scope: Construct, id: string, props: EventBridgeConnectorProps = {}) {
    const { parameterPath, resourceNamePrefix, activities, authentication, session, sessionSeconds, archiveRetention: retention } =
      normalizeConnectorProps(scope, id, props);
    // Multi-region (issue 22): what cannot work fails before any construct exists.
    const secondaryRegion = props.secondaryRegion;
    if (secondaryRegion === undefined && props.globalEndpoint !== undefined) {
      throw new Error(`connector ${quote(id)} has globalEndpoint options but no secondaryRegion: expected secondaryRegion with them, or leave globalEndpoint out`);
    }
    if (secondaryRegion !== undefined) {
      const problem = checkMultiRegion(scope, { ...props, secondaryRegion, staticMode: !session, parameterPath, resourceNamePrefix });
      if (problem) throw new Error(problem);
    }
    if (props.claimCheck) validateConnectorClaimCheck(props.claimCheck);
    super(scope, id);

    this.parameterPath = parameterPath;
    this.resourceNamePrefix = resourceNamePrefix;
    this.activities = activities;
    this.authenticationMode = authentication.mode;
    this.eventBus = props.eventBus ?? new events.EventBus(this, 'EventBus', { eventBusName: props.eventBusName });
    if (!props.eventBus && props.eventBusName !== undefined) registerClaim(this.eventBus, { kind: 'connector', eventBusName: props.eventBusName }, this);
    if (props.archive) {
      this.archive = new events.Archive(this, 'Archive', {
        sourceEventBus: this.eventBus,
        eventPattern: { account: [Stack.of(this).account] },
        retention,
        archiveName: props.archive.archiveName,
        description: props.archive.description ?? `Events of EventBridge connector ${this.node.path}`,
      });
    }

    const permissions = { eventBus: this.eventBus, resourceNamePrefix, parameterPath, activities };
    if (session) {
      if (session.clientCertificate !== undefined) checkClientCertificate(this, session.clientCertificate, session.caCertificates);
      const trustAnchor = session.trustAnchor ?? new TrustAnchor(this, 'TrustAnchor', {
        source: TrustAnchorSource.fromCertificateBundle(session.caCertificates!),
      });
      // A literal name: the secondary region's profile and contract build its ARN from it.
      const roleName = secondaryRegion !== undefined ? multiRegionRoleName(this, Stack.of(this).region) : undefined;
      const role = new ConnectorRole(this, 'Role', {
        ...permissions,
        trustAnchor,
        sessionDuration: Duration.seconds(sessionSeconds),
        subjectCommonNames: session.subjectCommonNames,
        issuerCommonNames: session.issuerCommonNames,
        subjectAlternativeNameDns: session.subjectAlternativeNameDns,
        roleName,
      });
      const profile = new Profile(this, 'Profile', {
        roles: [role],
        sessionDuration: Duration.seconds(sessionSeconds),
        acceptRoleSessionName: acceptsSessionName(session),
      });
      this.trustAnchor = trustAnchor;
      this.role = role;
      this.profile = profile;
      this.parameters = new ConnectorParameters(this, 'Parameters', {
        parameterPath,
        eventBus: this.eventBus,
        resourceNamePrefix,
        session: {
          roleArn: role.roleArn,
          profileArn: profile.profileArn,
          trustAnchorArn: trustAnchor.trustAnchorArn,
          durationSeconds: sessionSeconds,
          sessionName: session.sessionName,
          clientCertificateId: authentication.clientCertificateId,
        },
      });
      this.parameters.grantRead(role);
      if (secondaryRegion !== undefined && roleName !== undefined) {
        const multiRegion = setUpPrimaryRegion(this, {
          ...permissions,
          secondaryRegion,
          options: props.globalEndpoint ?? {},
          role,
          roleName,
          profile,
          parameters: this.parameters,
          session,
          sessionSeconds,
          clientCertificateId: authentication.clientCertificateId,
        });
        this.globalEndpoint = multiRegion.endpoint;
        this.secondaryRegionAttributes = multiRegion.attributes;
      }
    } else {
      const credentials = new StaticCredentials(this, 'StaticCredentials', {
        ...permissions,
        secretName: authentication.staticCredentialsOptions?.secretName,
        userName: authentication.staticCredentialsOptions?.userName,
      });
      this.staticCredentials = credentials;
      this.user = credentials.user;
      this.parameters = new ConnectorParameters(this, 'Parameters', {
        parameterPath,
        eventBus: this.eventBus,
        resourceNamePrefix,
        staticCredentials: credentials,
      });
      this.parameters.grantRead(credentials);
    }

    if (props.claimCheck) {
      const { store, keyPrefix } = this.addClaimCheck(props.claimCheck);
      this.claimCheckStore = store;
      this.claimCheckKeyPrefix = keyPrefix;
    }

    // The region of the parameters, role and profile: where the runtime starts (a bus of another
    // region is refused above).
    this.output(BootstrapOutputs.REGION, Stack.of(this).region, 'Region of the connector');
    if (this.trustAnchor && this.profile && this.role) {
      this.output(BootstrapOutputs.TRUST_ANCHOR_ARN, this.trustAnchor.trustAnchorArn, 'IAM Roles Anywhere trust anchor ARN');
      this.output(BootstrapOutputs.PROFILE_ARN, this.profile.profileArn, 'IAM Roles Anywhere profile ARN');
      this.output(BootstrapOutputs.ROLE_ARN, this.role.roleArn, 'ARN of the role the runtime assumes');
    }
    this.output(BootstrapOutputs.PARAMETER_PATH, parameterPath, 'SSM path of the connector constants');
    setClaimOwner(this.parameters, this);
  }

  /**
   * Delivers events from the connector's bus to the application at `options.endpoint`: a
   * connection whose API key lives in Secrets Manager, an API destination, a rule with a
   * dead-letter queue, and the receiving keys of the contract under the connector's path. The
   * connection and destination names carry the connector's prefix, so the runtime's `registerApp`
   * can point them at the app, and the connector's principal may read the API key to check
   * deliveries.
   */
  public addReceiver(id: string, options: ConnectorReceiverOptions): ConnectorReceiver {
    if (this.receiver) {
      throw new Error(`connector ${quote(this.node.id)} already has receiver ${quote(this.receiver.node.id)}: the contract has one set of receiving keys, so add one receiver per connector`);
    }
    const receiver = new ConnectorReceiver(this, id, {
      ...options,
      eventBus: this.eventBus,
      parameterPath: this.parameterPath,
      resourceNamePrefix: this.resourceNamePrefix,
    });
    setClaimOwner(receiver, this);
    const principal = this.role ?? this.staticCredentials;
    if (principal) receiver.grantReadApiKey(principal);
    this.receiver = receiver;
    return receiver;
  }

  /**
   * Delivers events from the connector's bus to an SQS queue that the application polls with the
   * connector's credentials (`client.consumer()` in the runtime): for applications that cannot
   * take inbound HTTPS. Writes `QueueUrl` and `QueueArn` under the connector's path and lets the
   * connector's principal consume that queue alone. One per connector: the contract has one queue.
   */
  public addQueueReceiver(id: string, options: QueueReceiverOptions = {}): QueueReceiver {
    const existing = this.node.children.find((c) => c instanceof QueueReceiver);
    if (existing) {
      throw new Error(`connector '${this.node.id}' already has queue receiver '${existing.node.id}': the contract has one set of queue keys, so add one queue receiver per connector`);
    }
    const receiver = new QueueReceiver(this, id, { ...options, eventBus: this.eventBus, parameterPath: this.parameterPath });
    setClaimOwner(receiver, this);
    const principal = this.role ?? this.staticCredentials;
    if (principal) receiver.grantConsume(principal);
    return receiver;
  }

  /**
   * The claim check: a new store (or the one given), the connector's own prefix in it reserved,
   * its principal granted `s3:PutObject` and `s3:GetObject` there, and the contract keys written.
   * Both receiving paths read with that principal (the HTTP receiver and the queue consumer run
   * with the connector's credentials), so one read grant serves them.
   */
  private addClaimCheck(options: ConnectorClaimCheckOptions): { store: ClaimCheckStore; keyPrefix: string } {
    const store = options.store ?? new ClaimCheckStore(this, 'ClaimCheck', {
      retention: options.retention,
      encryptionKey: options.encryptionKey,
      serverAccessLogsBucket: options.serverAccessLogsBucket,
      serverAccessLogsPrefix: options.serverAccessLogsPrefix,
    });
    const own = options.keyPrefix ?? defaultClaimCheckPrefix(this.resourceNamePrefix);
    const keyPrefix = store._reserveKeyPrefix(own, this);
    const principal = this.role ?? this.staticCredentials;
    if (principal) {
      store.grantWrite(principal, own);
      store.grantRead(principal, own);
    }
    this.parameters.addParameter(ParameterKeys.CLAIM_CHECK_BUCKET_NAME, store.bucket.bucketName);
    this.parameters.addParameter(ParameterKeys.CLAIM_CHECK_KEY_PREFIX, keyPrefix);
    return { store, keyPrefix };
  }

  /**
   * A bootstrap value as a stack output named `<connector id><name>` and exported as
   * `<stack name>-<connector id><name>`, so a process outside AWS (or another stack) finds it by a
   * name that does not depend on the construct tree.
   */
  private output(name: string, value: string, description: string): CfnOutput {
    return bootstrapOutput(this, name, value, description);
  }

}

function acceptsSessionName(options: RolesAnywhereAuthenticationOptions): boolean {
  return options.acceptRoleSessionName ?? options.sessionName !== undefined;
}

/**
 * `orders.` gives `orders/`: the resource name prefix is already unique in the app and no other
 * connector's extends it, so neither do the key prefixes made from it.
 */
function defaultClaimCheckPrefix(resourceNamePrefix: string): string {
  return `${resourceNamePrefix.replace(/\.$/, '')}/`;
}
