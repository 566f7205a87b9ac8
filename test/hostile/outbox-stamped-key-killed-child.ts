// A process that adds COUNT events to an outbox with stampIdempotencyKey on, through an endpoint
// that records them and loses every answer, and prints "ready" once every add resolved (the
// entries, with their keys, are on disk); the test then kills it with SIGKILL.
import { ConnectorClient } from '../../src/runtime';

const [directory, endpoint, count] = process.argv.slice(2);
void (async () => {
  const client = new ConnectorClient({
    region: 'us-east-1',
    eventBusName: 'orders',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    endpoint,
    putEvents: { maxAttempts: 1, stampIdempotencyKey: true },
  });
  const outbox = await client.outbox({ directory, retryDelayMs: 50 });
  await Promise.all(Array.from({ length: Number(count) }, (_, n) => outbox.add({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } })));
  process.stdout.write('ready\n');
})();
