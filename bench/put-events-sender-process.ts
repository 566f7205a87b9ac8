// One PutEvents sender in a process of its own: a warm-up send, then a measured one. Prints one
// JSON line: events/s and CPU microseconds per event (process.cpuUsage, user + system) of the
// measured send. Usage: <contender> <endpoint> <events>
import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { minimalSender } from './minimal-signed-sender';
import { Contender } from './put-events-contenders';
import { ConnectorClient } from '../src/runtime/client';


const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const REGION = 'us-east-1';
const BUS = 'bench';
/** Requests in flight for every contender: the connector's default concurrency. */
const IN_FLIGHT = 10;

/** About 250 bytes per entry as EventBridge counts them, like a typical domain event. */
function makeEvents(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    source: 'com.example.orders',
    detailType: 'OrderPlaced',
    detail: { orderId: `o-${i}`, customerId: `c-${i % 977}`, amount: i % 1000, currency: 'EUR', items: ['sku-1', 'sku-2', 'sku-3'], note: 'x'.repeat(120) },
  }));
}

type Events = ReturnType<typeof makeEvents>;

async function rawPool(client: EventBridgeClient, events: Events, perRequest: number): Promise<number> {
  let next = 0;
  let acknowledged = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < events.length) {
      const slice = events.slice(next, next + perRequest);
      next += perRequest;
      const Entries: PutEventsRequestEntry[] = slice.map((e) => ({
        Source: e.source,
        DetailType: e.detailType,
        Detail: JSON.stringify(e.detail),
        EventBusName: BUS,
      }));
      const out = await client.send(new PutEventsCommand({ Entries }));
      acknowledged += Entries.length - (out.FailedEntryCount ?? 0);
    }
  }));
  return acknowledged;
}

function senderFor(contender: Contender, endpoint: string): { send: (events: Events) => Promise<number>; destroy: () => void } {
  switch (contender) {
    case 'putEvents':
    case 'putEvents-sdk-transport': {
      const client = new ConnectorClient({
        region: REGION,
        eventBusName: BUS,
        credentials: CREDENTIALS,
        endpoint,
        putEvents: { transport: contender === 'putEvents' ? 'lean' : 'sdk' },
      });
      return {
        send: async (events) => {
          const result = await client.putEvents(events);
          return result.entries.length - result.failedEntryCount;
        },
        destroy: () => client.destroy(),
      };
    }
    case 'raw-sdk-batched':
    case 'raw-sdk-single': {
      const client = new EventBridgeClient({ region: REGION, endpoint, credentials: CREDENTIALS });
      return { send: (events) => rawPool(client, events, contender === 'raw-sdk-batched' ? 10 : 1), destroy: () => client.destroy() };
    }
    case 'minimal-signed-http': {
      const sender = minimalSender(endpoint, REGION, CREDENTIALS, BUS);
      return { send: (events) => sender.send(events, IN_FLIGHT), destroy: sender.destroy };
    }
  }
}

void (async () => {
  const [contender, endpoint, countText] = process.argv.slice(2) as [Contender, string, string];
  const count = Number(countText);
  const sender = senderFor(contender, endpoint);
  const events = makeEvents(count);
  // Warm-up: JIT, sockets, signing key, credentials.
  await sender.send(events);
  await sender.send(events);
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const acknowledged = await sender.send(events);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  sender.destroy();
  if (acknowledged !== count) throw new Error(`${contender}: ${acknowledged} of ${count} events acknowledged`);
  process.stdout.write(`${JSON.stringify({ contender, eventsPerSecond: count / seconds, cpuMicrosPerEvent: (cpu.user + cpu.system) / count })}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
