// The Lambda function of examples/lambda: sends one OrderPlaced event per invocation to the
// connector's bus. It imports the package by name, as a user's function does; NodejsFunction's
// esbuild bundles the package's ES module build (`cdk-eventbridge-connector/runtime/lambda`),
// which loads none of the AWS SDK. Its bus comes from EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME
// (the bus ARN, which gives the region too), its credentials from the execution role.
import { PutEventsClient } from 'cdk-eventbridge-connector/runtime/lambda';

// Outside the handler: made once per execution environment (at INIT, where a missing setting
// fails with its reason), its connections kept across invocations.
const events = new PutEventsClient();

export interface OrderPlaced {
  readonly orderId: string;
}

export const handler = async (order: OrderPlaced): Promise<{ eventId: string }> => {
  const eventId = await events.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: order });
  return { eventId };
};
