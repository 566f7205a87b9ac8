// Cold-start contender: the handler a user writes with cdk-eventbridge-connector/runtime/lambda
// (bundled from source here, as a user's esbuild bundles the package's ES module build).
import { PutEventsClient } from '../../src/runtime/lambda';

const events = new PutEventsClient();

export const handler = async (order: { id: string }): Promise<{ eventId: string }> => {
  const eventId = await events.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: order });
  return { eventId };
};
