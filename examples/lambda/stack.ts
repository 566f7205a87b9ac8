// The stack of examples/lambda: a connector, and a Lambda function that sends to its bus. The
// function is a NodejsFunction bundled by esbuild on this machine (no Docker), as an ES module;
// the connector's bus is given to it by ARN in its environment, and the bus grants it PutEvents.
import { Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';

/** Properties of the {@link LambdaSenderStack}. */
export interface LambdaSenderStackProps extends StackProps {
  /** The CA certificates (PEM) the connector's trust anchor trusts, for the app outside AWS. */
  readonly caCertificates: string;

  /**
   * The function's source file, relative to the working directory (the app runs bundled from a
   * cache directory, so not relative to this file).
   *
   * @default 'examples/lambda/handler.ts'
   */
  readonly entry?: string;
}

/** A connector and a function that sends its events from AWS Lambda. */
export class LambdaSenderStack extends Stack {
  public readonly connector: EventBridgeConnector;
  public readonly sender: NodejsFunction;

  constructor(scope: Construct, id: string, props: LambdaSenderStackProps) {
    super(scope, id, props);
    this.connector = new EventBridgeConnector(this, 'Orders', {
      authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: props.caCertificates }),
    });

    this.sender = new NodejsFunction(this, 'OrderSender', {
      entry: props.entry ?? 'examples/lambda/handler.ts',
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        // esbuild from node_modules, on this machine.
        forceDockerBundling: false,
        // ES module builds of the packages first, as the package's exports map offers them.
        mainFields: ['module', 'main'],
      },
      environment: {
        // The bus by ARN: the client takes the bus's region from it.
        EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME: this.connector.eventBus.eventBusArn,
      },
    });
    // PutEvents on the connector's bus, and nothing else.
    this.connector.eventBus.grantPutEventsTo(this.sender);
  }
}
