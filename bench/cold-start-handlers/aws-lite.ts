// Cold-start contender: the same handler with @aws-lite/client. There is no @aws-lite/eventbridge
// plugin, so PutEvents goes through the client's raw request with the JSON 1.1 target header.
// aws-lite reads AWS_ENDPOINT_URL but not the per-service variable, so the endpoint is passed.
import awsLite from '@aws-lite/client';

const client = awsLite({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE });
const eventBusName = process.env.EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME;

interface PutEventsAnswer { Entries?: Array<{ EventId?: string; ErrorCode?: string }> }

export const handler = async (order: { id: string }): Promise<{ eventId: string }> => {
  const aws = await client;
  const out = await aws({
    service: 'events',
    method: 'POST',
    path: '/',
    headers: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' },
    // aws-lite would marshal an AWS JSON body as DynamoDB attribute values without this.
    awsjson: false,
    payload: { Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(order), EventBusName: eventBusName }] },
  });
  const entry = (out.payload as PutEventsAnswer).Entries?.[0];
  if (!entry?.EventId) throw new Error(`event not acknowledged: ${entry?.ErrorCode ?? 'no entry'}`);
  return { eventId: entry.EventId };
};
