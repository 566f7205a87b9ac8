import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { eventually, order, peek, QueueWiring, wireQueue } from './support';
import { MotoServer, startMoto } from '../../../src/local/moto';
import type { ReceivedEvent } from '../../../src/runtime';

jest.setTimeout(60_000);

let moto: MotoServer;
let wiring: QueueWiring;
let n = 0;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  wiring = await wireQueue(moto, `orders-${++n}`);
});
afterEach(() => {
  wiring.client.destroy();
  wiring.sqs.destroy();
});

const quick = { waitTimeSeconds: 1, visibilityTimeoutSeconds: 1, stopTimeoutMs: 2_000 } as const;

describe('client.consumer on moto', () => {
  test('events put on the bus reach the handler through the rule and the queue, and are deleted', async () => {
    const { client, sqs, queueUrl } = wiring;
    const seen: ReceivedEvent<{ orderId: string }>[] = [];
    const consumer = client.consumer({ ...quick, queueUrl });
    consumer.on<{ orderId: string }>('OrderPlaced', (event) => {
      seen.push(event);
    });
    consumer.start();
    const put = await client.putEvents([order('o-1'), order('o-2')]);
    await eventually(() => seen.length === 2);
    await consumer.stop();

    expect(seen.map((e) => e.detail.orderId).sort()).toEqual(['o-1', 'o-2']);
    expect(seen.map((e) => e.id).sort()).toEqual(put.entries.map((e) => ('eventId' in e ? e.eventId : '')).sort());
    expect(seen[0]).toMatchObject({ source: 'com.example.orders', detailType: 'OrderPlaced', region: 'us-east-1' });
    expect(await peek(sqs, queueUrl)).toEqual([]);
  });

  test('a handler that throws sees the event again, then the message lands in the dead-letter queue', async () => {
    const { client, sqs, queueUrl, deadLetterQueueUrl } = wiring;
    let calls = 0;
    const consumer = client.consumer({ ...quick, queueUrl });
    consumer.on('OrderPlaced', () => {
      calls++;
      throw new Error('database down');
    });
    consumer.start();
    await client.putEvents([order('o-3')]);
    await eventually(async () => (await peek(sqs, deadLetterQueueUrl)).length === 1);
    await consumer.stop();

    expect(calls).toBe(2); // maxReceiveCount
    const [body] = await peek(sqs, deadLetterQueueUrl);
    expect(JSON.parse(body).detail).toEqual({ orderId: 'o-3' });
  });

  test('a repeated delivery calls the handler once (idempotency by event id)', async () => {
    const { client, sqs, queueUrl } = wiring;
    const calls: string[] = [];
    const consumer = client.consumer({ ...quick, queueUrl, idempotency: true });
    consumer.on<{ orderId: string }>('OrderPlaced', (event) => {
      calls.push(event.detail.orderId);
    });
    consumer.start();
    await client.putEvents([order('o-4')]);
    await eventually(() => calls.length === 1);
    // The same event delivered again, as a redelivery or a second rule would.
    const delivered = { 'version': '0', 'id': 'fixed-id', 'detail-type': 'OrderPlaced', 'source': 'com.example.orders', 'account': '123456789012', 'time': '2026-11-29T00:00:00Z', 'region': 'us-east-1', 'resources': [], 'detail': { orderId: 'o-5' } };
    for (let i = 0; i < 3; i++) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(delivered) }));
    await eventually(async () => calls.length >= 2 && (await peek(sqs, queueUrl)).length === 0);
    await new Promise((r) => setTimeout(r, 300));
    await consumer.stop();

    expect(calls).toEqual(['o-4', 'o-5']);
  });

  test('stop() during a slow handler loses nothing: finished work is deleted, the rest is returned to the queue', async () => {
    const { client, sqs, queueUrl } = wiring;
    const finished: string[] = [];
    const aborted: string[] = [];
    const consumer = client.consumer({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 30, heartbeatIntervalSeconds: 1, stopTimeoutMs: 500, queueUrl });
    consumer.on<{ orderId: string }>('OrderPlaced', async (event, { signal }) => {
      const ms = event.detail.orderId === 'slow' ? 60_000 : 10;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          aborted.push(event.detail.orderId);
          resolve();
        });
      });
      if (!signal.aborted) finished.push(event.detail.orderId);
    });
    consumer.start();
    await client.putEvents([order('fast'), order('slow')]);
    await eventually(() => finished.length === 1 && consumer.handlersInFlight === 1);
    const result = await consumer.stop();

    expect(result).toEqual({ returned: 1 });
    expect(aborted).toEqual(['slow']);
    // Visible again at once (a 30 s visibility timeout was set), and only the slow one.
    const left = await peek(sqs, queueUrl);
    expect(left.map((b) => JSON.parse(b).detail.orderId)).toEqual(['slow']);
  });

  test('a message that is not JSON or not an event is logged with its id and left for the dead-letter queue; the loop goes on', async () => {
    const { client, sqs, queueUrl, deadLetterQueueUrl } = wiring;
    const errors: string[] = [];
    const logger = { warn: () => undefined, error: (message: string) => errors.push(message) };
    const seen: string[] = [];
    const consumer = client.consumer({ ...quick, queueUrl, logger, maxMessageBytes: 2048 });
    consumer.on<{ orderId: string }>('OrderPlaced', (event) => {
      seen.push(event.detail.orderId);
    });
    consumer.start();
    const notJson = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello\u0007' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ source: 'x' }) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ pad: 'x'.repeat(3000) }) }));
    await client.putEvents([order('o-6')]);
    await eventually(async () => seen.length === 1 && (await peek(sqs, deadLetterQueueUrl)).length === 3);
    await consumer.stop();

    expect(seen).toEqual(['o-6']);
    expect(errors.some((e) => e.includes(notJson.MessageId!) && e.includes('not JSON') && e.includes('\\u0007'))).toBe(true);
    expect(errors.some((e) => e.includes("not an EventBridge event: missing or invalid 'detail-type'"))).toBe(true);
    expect(errors.some((e) => e.includes('over the limit of 2048 bytes'))).toBe(true);
  });

  test('a long handler keeps its message hidden with the visibility heartbeat', async () => {
    const { client, sqs, queueUrl } = wiring;
    let calls = 0;
    const consumer = client.consumer({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 2, heartbeatIntervalSeconds: 1, queueUrl });
    consumer.on('OrderPlaced', async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5_000));
    });
    consumer.start();
    await client.putEvents([order('o-7')]);
    await eventually(() => calls === 1);
    await new Promise((r) => setTimeout(r, 5_500));
    await consumer.stop();
    expect(calls).toBe(1); // without the heartbeat it would have come back after 2 s
    expect(await peek(sqs, queueUrl)).toEqual([]);
  });

  test('an aborted signal stops the consumer; bad options are refused naming the value', async () => {
    const controller = new AbortController();
    const consumer = wiring.client.consumer({ ...quick, queueUrl: wiring.queueUrl }).start({ signal: controller.signal });
    expect(consumer.running).toBe(true);
    controller.abort();
    await eventually(() => !consumer.running);
    expect(() => wiring.client.consumer({ queueUrl: wiring.queueUrl, batchSize: 11 })).toThrow("invalid batchSize '11': expected a whole number of messages from 1 to 10");
    expect(() => wiring.client.consumer({ queueUrl: 'orders' })).toThrow("invalid queueUrl 'orders': expected an SQS queue URL");
    expect(() => wiring.client.consumer()).toThrow('missing queueUrl');
  });
});
