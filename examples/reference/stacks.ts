import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConnectorAuthentication, ConnectorParameters, EventBridgeConnector, IConnectorParameters, ParameterKeys } from '../../src';


/** Where the reference connector writes its contract. */
export const REFERENCE_PARAMETER_PATH = '/eventbridge-connector/orders';

/** Properties of the {@link ReferenceConnectorStack}. */
export interface ReferenceConnectorStackProps extends StackProps {
  /** The CA certificates (PEM) the connector's trust anchor trusts. */
  readonly caCertificates: string;

  /**
   * The application's client certificate (PEM), pinned through `AWS_ClientCertificateID`.
   *
   * @default - no pinned certificate
   */
  readonly clientCertificate?: string;

  /**
   * Where the application receives events; the app's `registerApp` re-points the API destination
   * at its real URL when it starts.
   *
   * @default REFERENCE_RECEIVE_ENDPOINT
   */
  readonly receiveEndpoint?: string;
}

/** The receive URL the reference connector is synthesized with. */
export const REFERENCE_RECEIVE_ENDPOINT = 'https://orders.example.com/eventbridge/events';

/**
 * A session-mode connector: new bus with a week's archive, trust anchor from a CA, SSM contract,
 * and a receiving path that delivers the bus's events to the application.
 */
export class ReferenceConnectorStack extends Stack {
  public readonly connector: EventBridgeConnector;

  constructor(scope: Construct, id: string, props: ReferenceConnectorStackProps) {
    super(scope, id, props);
    this.connector = new EventBridgeConnector(this, 'Orders', {
      parameterPath: REFERENCE_PARAMETER_PATH,
      archive: { retention: Duration.days(7) },
      authentication: ConnectorAuthentication.rolesAnywhere({
        caCertificates: props.caCertificates,
        clientCertificate: props.clientCertificate,
        sessionDuration: Duration.hours(1),
      }),
    });
    this.connector.addReceiver('Receiver', { endpoint: props.receiveEndpoint ?? REFERENCE_RECEIVE_ENDPOINT });
    // The same orders through a queue the app polls: for apps that take no inbound HTTPS.
    this.connector.addQueueReceiver('Inbox', { sources: ['com.example.orders'] });

    // The library acknowledges cdk-nag's findings on what it creates (the role's scoped wildcards).
  }
}

/** Properties of the {@link ReferenceConsumerStack}. */
export interface ReferenceConsumerStackProps extends StackProps {
  /** Parameter path of the connector to use. */
  readonly parameterPath: string;
}

/**
 * Another stack that uses the connector by its parameter path only: an application role that may
 * read the contract, and a rule on the connector's bus that queues order events.
 */
export class ReferenceConsumerStack extends Stack {
  public readonly parameters: IConnectorParameters;
  public readonly applicationRole: iam.Role;
  public readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ReferenceConsumerStackProps) {
    super(scope, id, props);
    this.parameters = ConnectorParameters.fromPath(this, 'Orders', props.parameterPath);

    this.applicationRole = new iam.Role(this, 'ApplicationRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Task role of an application that loads the orders connector contract at startup',
    });
    this.parameters.grantRead(this.applicationRole);
    // grantRead names each contract parameter exactly: no wildcard for cdk-nag to flag.

    const bus = events.EventBus.fromEventBusArn(this, 'OrdersBus', this.parameters.valueFor(ParameterKeys.EVENT_BUS_ARN));
    const deadLetters = new sqs.Queue(this, 'OrderEventsDeadLetters', { enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.queue = new sqs.Queue(this, 'OrderEvents', {
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });
    new events.Rule(this, 'OrderPlaced', {
      eventBus: bus,
      description: 'Queues the orders connector\'s OrderPlaced events',
      eventPattern: { detailType: ['OrderPlaced'] },
      targets: [new targets.SqsQueue(this.queue)],
    });
  }
}
