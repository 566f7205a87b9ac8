/**
 * The environment variables through which a function that sends to a connector's bus (an AWS
 * Lambda function, a container) gets the contract values it needs without reading SSM at cold
 * start: the construct side sets them, `cdk-eventbridge-connector/runtime/lambda` reads them.
 */
export const FunctionEnvironment = {
  /** The connector's bus by name or ARN: the contract's `EventBusName` or `EventBusArn`. */
  EVENT_BUS_NAME: 'EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME',
  /**
   * The bus's region, the contract's `Region`; read when the bus is given by name.
   * Unset: the region of the bus ARN, else the function's own (`AWS_REGION`).
   */
  REGION: 'EVENTBRIDGE_CONNECTOR_REGION',
} as const;
