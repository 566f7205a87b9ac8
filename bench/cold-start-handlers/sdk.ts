// Cold-start contender: the same handler with the raw AWS SDK v3 EventBridge client, which reads
// its region, credentials and AWS_ENDPOINT_URL_EVENTBRIDGE from the environment itself.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

const client = new EventBridgeClient({});
const eventBusName = process.env.EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME;

export const handler = async (order: { id: string }): Promise<{ eventId: string }> => {
  const out = await client.send(new PutEventsCommand({
    Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(order), EventBusName: eventBusName }],
  }));
  const entry = out.Entries?.[0];
  if (!entry?.EventId) throw new Error(`event not acknowledged: ${entry?.ErrorCode ?? 'no entry'}`);
  return { eventId: entry.EventId };
};
