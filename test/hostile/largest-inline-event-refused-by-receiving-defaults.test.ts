// Since PutEvents takes entries of up to 1 MiB, the default sender puts such events inline; the
// receiving defaults were still 256 KiB, so both paths refused what was sent (413 from the
// receiver, the dead-letter queue from the consumer). Each default now takes the largest event its
// path can carry.
import { createReceiver, DEFAULT_MAX_REQUEST_BYTES, ReceivedEvent } from '../../src/runtime';
import { QueueConsumer } from '../../src/runtime/consumer/consumer';
import { envelope, sendAll, useLoopbackQueue } from '../runtime/consumer/loopback';
import { eventually } from '../runtime/consumer/support';
import { API_KEY, delivery, post, serve } from '../runtime/receiver/support';

jest.setTimeout(60_000);

const SOURCE = 'com.example.orders';
const TYPE = 'OrderPlaced';

describe('the receiving defaults take the largest event the default sender puts inline', () => {
  test('the HTTP receiver: an event whose entry is exactly PutEvents\' 1 MiB limit, with its envelope', async () => {
    // The entry as PutEvents counts it: source, detail-type and detail (the only fields here).
    const detail = { pad: '' };
    detail.pad = 'x'.repeat(DEFAULT_MAX_REQUEST_BYTES - SOURCE.length - TYPE.length - JSON.stringify(detail).length);
    expect(SOURCE.length + TYPE.length + JSON.stringify(detail).length).toBe(DEFAULT_MAX_REQUEST_BYTES);
    const received: ReceivedEvent[] = [];
    const receiver = createReceiver({ apiKey: API_KEY }).on(TYPE, (event) => {
      received.push(event);
    });
    const server = await serve(receiver.handle);
    try {
      const res = await post(server.url, delivery(TYPE, detail));
      expect(res.status).toBe(200);
      expect(received).toHaveLength(1);
      expect((received[0].detail as { pad: string }).pad.length).toBe(detail.pad.length);
    } finally {
      await server.close();
    }
  });

  describe('the queue consumer', () => {
    const queue = useLoopbackQueue();

    test('a message of the largest an event can be in a queue (SQS takes up to 1 MiB)', async () => {
      const empty = envelope('e-big', { pad: '' });
      const body = envelope('e-big', { pad: 'x'.repeat(1024 * 1024 - Buffer.byteLength(empty)) });
      expect(Buffer.byteLength(body)).toBe(1024 * 1024);
      await sendAll(queue.sqs, queue.queueUrl, [body]);
      const handled: string[] = [];
      const consumer = new QueueConsumer(queue.sqs, { queueUrl: queue.queueUrl, waitTimeSeconds: 1, visibilityTimeoutSeconds: 5 });
      consumer.on<{ pad: string }>(TYPE, (event) => {
        handled.push(event.id);
      });
      consumer.start();
      try {
        await eventually(() => consumer.stats().deleted === 1);
      } finally {
        await consumer.stop();
      }
      expect(handled).toEqual(['e-big']);
      expect(queue.endpoint.depth(queue.name)).toEqual({ visible: 0, inFlight: 0 });
    });
  });
});
