// Cold-start floor, not a contender: the same event signed and sent by the bench's hand-written
// minimal sender (node:http, or node:https for an https endpoint, and node:crypto alone; no
// validation, retries or timeouts): the least a handler that sends one event can take.
import { minimalSender } from '../minimal-signed-sender';

const env = process.env;
const endpoint = env.AWS_ENDPOINT_URL_EVENTBRIDGE!;
// Made at INIT; node:https (for an https endpoint alone) starts loading then, as ours does.
const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
const sender = (async () => minimalSender(endpoint, env.AWS_REGION!, credentials, env.EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME!,
  endpoint.startsWith('https:') ? await import('node:https') : undefined))();

export const handler = async (order: { id: string }): Promise<{ eventId: string }> => {
  const acknowledged = await (await sender).send([{ source: 'com.example.orders', detailType: 'OrderPlaced', detail: order }], 1);
  if (acknowledged !== 1) throw new Error('event not acknowledged');
  return { eventId: 'acknowledged (the minimal sender counts EventIds)' };
};
