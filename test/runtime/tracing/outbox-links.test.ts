// The outbox's spans: a create span when the entry is stored (a child of the caller's span), the
// creation context kept in the record (the carrier in its detail), and every delivery's request
// span linked to it, also by the next process that opens the directory. Old records still go out.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, Otel, parentOf, startOtel } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { TRACE_CARRIER_KEY } from '../../../src/runtime';
import { clientFor, order, UNREACHABLE } from '../outbox/support';

describe('outbox spans', () => {
  let directory: string;
  let endpoint: EventBridgeEndpoint;
  let otel: Otel;

  beforeEach(async () => {
    directory = await fs.mkdtemp(join(tmpdir(), 'outbox-traced-'));
    endpoint = await startEventBridgeEndpoint();
    otel = startOtel();
  });
  afterEach(async () => {
    await otel.shutdown();
    await endpoint.stop();
    await fs.rm(directory, { recursive: true, force: true });
  });

  test('add inside a span: a create span, its context in the record, the delivery linked to it', async () => {
    const client = clientFor(endpoint.endpoint);
    const outbox = await client.outbox({ directory });
    const { traceId, spanId } = await inSpan('POST /orders', () => outbox.add(order(1)));
    await outbox.flush();
    const [create] = otel.named('create orders');
    expect(create.kind).toBe(SpanKind.PRODUCER);
    expect(create.spanContext().traceId).toBe(traceId);
    expect(parentOf(create)).toBe(spanId);
    const [sent] = [...endpoint.accepted.values()];
    const carried = JSON.parse(sent.detail)[TRACE_CARRIER_KEY].traceparent;
    expect(carried).toBe(`00-${traceId}-${create.spanContext().spanId}-01`);
    const [send] = otel.named('send orders');
    expect(send.links.map((l) => l.context.spanId)).toEqual([create.spanContext().spanId]);
    await client.close();
  });

  test('what a previous process stored is delivered with a link to the context it was added in', async () => {
    const down = clientFor(UNREACHABLE, { putEvents: { maxAttempts: 1 } });
    const first = await down.outbox({ directory, retryDelayMs: 60_000 });
    const { traceId } = await inSpan('POST /orders', () => first.add(order(2)));
    await down.close({ deadlineMs: 50 });
    const [create] = otel.named('create orders');
    const stored = (await fs.readdir(directory)).filter((f) => f.endsWith('.log'));
    const onDisk = Buffer.concat(await Promise.all(stored.map((f) => fs.readFile(join(directory, f))))).toString('latin1');
    expect(onDisk).toContain(`00-${traceId}-${create.spanContext().spanId}-01`);

    otel.spans.reset();
    const up = clientFor(endpoint.endpoint);
    const second = await up.outbox({ directory });
    await second.flush();
    expect([...endpoint.accepted.values()].map((e) => JSON.parse(e.detail).n)).toEqual([2]);
    const delivered = otel.named('send orders').find((s) => s.links.length > 0)!;
    expect(delivered.links[0].context).toMatchObject({ traceId, spanId: create.spanContext().spanId });
    await up.close();
  });

  test('records written before tracing (EBOXLOG1, no carrier) are delivered; their trace starts at the delivery', async () => {
    const crc32 = (zlib as unknown as { crc32: (data: Uint8Array) => number }).crc32;
    const payload = Buffer.from(JSON.stringify({ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: '{"n":3}', EventBusName: 'orders' }));
    const header = Buffer.alloc(8);
    header.writeUInt32LE(payload.length, 0);
    header.writeUInt32LE(crc32(payload), 4);
    await fs.writeFile(join(directory, '000000000001.log'), Buffer.concat([Buffer.from('EBOXLOG1', 'ascii'), header, payload]));
    const client = clientFor(endpoint.endpoint);
    const outbox = await client.outbox({ directory });
    await outbox.flush();
    // No creation context was stored: the delivery starts the entry's trace, as putEvents would.
    const [accepted] = [...endpoint.accepted.entries()];
    const { [TRACE_CARRIER_KEY]: carrier, ...detail } = JSON.parse(accepted[1].detail);
    expect(detail).toEqual({ n: 3 });
    const [create] = otel.named('create orders');
    expect(create.attributes['messaging.message.id']).toBe(accepted[0]);
    expect(parentOf(create)).toBeUndefined();
    expect(carrier.traceparent).toBe(`00-${create.spanContext().traceId}-${create.spanContext().spanId}-01`);
    await client.close();
  });
});
