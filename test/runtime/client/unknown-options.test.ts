import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CREDENTIALS, REGION } from './support';
import { ConnectorClient, ConnectorClientOptions, EventSender, fromRolesAnywhere, InputError, RolesAnywhereOptions } from '../../../src/runtime';

/** An EventBridge client that counts what it is asked to send: a refused option or entry sends nothing. */
function countingEventBridge() {
  const sent: object[] = [];
  return {
    sent,
    client: {
      send: async (command: object) => {
        sent.push(command);
        return { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
      },
    },
  };
}

const BASE: ConnectorClientOptions = { region: REGION, eventBusName: 'orders', credentials: CREDENTIALS, endpoint: 'http://127.0.0.1:9' };
const QUEUE_URL = 'http://127.0.0.1:9/123456789012/orders';
const ENTRY = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } };

function construct(extra: Record<string, unknown>): () => ConnectorClient {
  return () => new ConnectorClient({ ...BASE, ...extra } as ConnectorClientOptions);
}

const clients: ConnectorClient[] = [];
function client(extra: Record<string, unknown> = {}): ConnectorClient {
  const c = new ConnectorClient({ ...BASE, ...extra } as ConnectorClientOptions);
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

describe('client options', () => {
  test('a typo at the top is refused with the nearest option', () => {
    expect(construct({ requestTimeout: 5000 })).toThrow(InputError);
    expect(construct({ requestTimeout: 5000 })).toThrow("unknown option 'requestTimeout' (did you mean 'requestTimeoutMs'?)");
    expect(construct({ eventBus: 'orders' })).toThrow("unknown option 'eventBus' (did you mean 'eventBusName'?)");
    expect(construct({ colour: 'blue' })).toThrow(/^unknown option 'colour': expected one of region, eventBusName, credentials, endpoint, /);
  });

  test.each([
    ['putEvents', { concurency: 4 }, "unknown option 'putEvents.concurency' (did you mean 'putEvents.concurrency'?)"],
    ['putEvents', { transprot: 'sdk' }, "unknown option 'putEvents.transprot' (did you mean 'putEvents.transport'?)"],
    ['quota', { retyMode: 'adaptive' }, "unknown option 'quota.retyMode' (did you mean 'quota.retryMode'?)"],
    ['quota', { retryToken: 100 }, "unknown option 'quota.retryToken' (did you mean 'quota.retryTokens'?)"],
    ['producer', { maxBufferWaiter: 10 }, "unknown option 'producer.maxBufferWaiter' (did you mean 'producer.maxBufferWaiters'?)"],
    ['producer', { flushWindow: 10 }, "unknown option 'producer.flushWindow' (did you mean 'producer.flushWindowMs'?)"],
    ['endpoints', { eventbridge: 'http://127.0.0.1:9' }, "unknown option 'endpoints.eventbridge'"],
    ['clients', { sns: {} }, "unknown option 'clients.sns'"],
    ['metrics', { onRequests: () => undefined }, "unknown option 'metrics.onRequests' (did you mean 'metrics.onRequest'?)"],
  ])('a typo in %s is refused: %j', (name, value, message) => {
    expect(construct({ [name]: value })).toThrow(message);
  });

  test('the recent options are known', () => {
    expect(() => client({
      quota: { retryMode: 'adaptive', retryTokens: 100, rateLimit: 100, rateLimitBurst: 10, adaptiveConcurrency: true },
      producer: { maxBufferWaiters: 5, flushWindowMs: 1, maxBufferedEvents: 10, maxBufferedBytes: 1024 * 1024, backpressure: 'reject', maxBufferWaitMs: 5 },
      putEvents: { concurrency: 2, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, invalidEntries: 'reject-all', eventBusName: 'orders', transport: 'lean', maxRequestBytes: 262144 },
    })).not.toThrow();
  });

  test('putEvents.endpointId is known and checked; endpointId at the top says where it goes', () => {
    expect(client({ putEvents: { endpointId: 'abcde.veo' } }).region).toBe(REGION);
    expect(construct({ putEvents: { endpointId: 'abcde' } })).toThrow(/^invalid putEvents\.endpointId 'abcde': expected a global endpoint's EndpointId such as abcde\.veo/);
    expect(construct({ putEvents: { endpointId: 'a.b/../c' } })).toThrow(/^invalid putEvents\.endpointId/);
    expect(construct({ endpointId: 'abcde.veo' })).toThrow(/^unsupported option 'endpointId': a global endpoint's EndpointId is set once per client: expected ConnectorClient's putEvents\.endpointId/);
  });

  test('a hostile key is bounded and escaped', () => {
    let message = '';
    try {
      construct({ ['quota\n' + 'x'.repeat(10_240)]: 1 })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^unknown option 'quota\\nxxx/);
    expect(message).toContain('(10246 characters)');
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(600);
  });

  test('fromParameters refuses a typo before reading anything', async () => {
    await expect(ConnectorClient.fromParameters({ pth: '/eventbridge-connector/orders' } as never)).rejects.toThrow("unknown option 'pth' (did you mean 'path'?)");
    await expect(ConnectorClient.fromParameters({ path: '/x', quota: { retryMod: 'adaptive' } } as never)).rejects.toThrow("unknown option 'quota.retryMod'");
    await expect(ConnectorClient.fromParameters({ path: '/x', putEvents: { endpointI: 'a.veo' } } as never)).rejects.toThrow("unknown option 'putEvents.endpointI' (did you mean 'putEvents.endpointId'?)");
  });

  test('close refuses a typo in its options', async () => {
    await expect(client().close({ deadlineMS: 10 } as never)).rejects.toThrow("unknown close option 'deadlineMS' (did you mean 'deadlineMs'?)");
  });
});

describe('entries', () => {
  test('putEvents answers an entry with an unknown field as invalid and sends nothing for it', async () => {
    const events = countingEventBridge();
    const c = client({ endpoint: undefined, clients: { putEvents: events.client } });
    const result = await c.putEvents([{ ...ENTRY, detial: {} } as never, { ...ENTRY, DetailType: 'OrderPlaced' } as never, ENTRY]);
    expect(result.entries[0]).toEqual(expect.objectContaining({
      errorCode: 'InvalidEntry',
      errorMessage: expect.stringContaining("entry 0: unknown field 'detial' (did you mean 'detail'?): expected one of source, detailType, detail, eventBusName, time, resources, traceHeader"),
    }));
    expect(result.entries[1]).toEqual(expect.objectContaining({ errorCode: 'InvalidEntry', errorMessage: expect.stringContaining("unknown field 'DetailType' (did you mean 'detailType'?)") }));
    expect(result.entries[2]).toEqual({ eventId: 'e-1' });
    expect(events.sent).toHaveLength(1);
  });

  test('an entry with endpointId says that it is a client option', async () => {
    const events = countingEventBridge();
    const c = client({ endpoint: undefined, clients: { putEvents: events.client } });
    const result = await c.putEvents([{ ...ENTRY, endpointId: 'a.veo' } as never]);
    expect(result.entries[0].errorMessage).toMatch(/^entry 0: unsupported field 'endpointId': a global endpoint's EndpointId is set once per client/);
    expect(events.sent).toHaveLength(0);
  });

  test('putEvent rejects an entry with an unknown field', async () => {
    const events = countingEventBridge();
    const c = client({ endpoint: undefined, clients: { putEvents: events.client } });
    await expect(c.putEvent({ ...ENTRY, eventBus: 'orders' } as never)).rejects.toThrow("invalid entry: unknown field 'eventBus' (did you mean 'eventBusName'?)");
    expect(events.sent).toHaveLength(0);
  });

  test('putEvents takes no per-call options: a second argument is refused, endpointId with its own message', async () => {
    const events = countingEventBridge();
    const c = client({ endpoint: undefined, clients: { putEvents: events.client } });
    const putEvents = c.putEvents.bind(c) as (...args: unknown[]) => Promise<unknown>;
    await expect(putEvents([ENTRY], { endpointId: 'a.veo' })).rejects.toThrow(/^unsupported putEvents option 'endpointId': a global endpoint's EndpointId is set once per client: expected ConnectorClient's putEvents\.endpointId/);
    await expect(putEvents([ENTRY], { concurrency: 2 })).rejects.toThrow("unknown putEvents option 'concurrency'");
    await expect(putEvents([ENTRY], 5)).rejects.toThrow(/^invalid second argument of putEvents \(a number\): expected putEvents\(entries\) alone/);
    expect(events.sent).toHaveLength(0);
    await expect(putEvents([ENTRY], undefined)).resolves.toEqual(expect.objectContaining({ failedEntryCount: 0 }));
  });
});

describe('sender, consumer, receiver, outbox and Roles Anywhere options', () => {
  test('EventSender refuses a typo', () => {
    expect(() => new EventSender(async () => ({}), { maxAttempt: 3 } as never)).toThrow("unknown option 'maxAttempt' (did you mean 'maxAttempts'?)");
  });

  test('the consumer refuses a typo in its options and in idempotency', () => {
    const c = client();
    expect(() => c.consumer({ queueUrl: QUEUE_URL, visibilityTimeout: 30 } as never)).toThrow("unknown consumer option 'visibilityTimeout' (did you mean 'visibilityTimeoutSeconds'?)");
    expect(() => c.consumer({ queueUrl: QUEUE_URL, queueChek: 'warn' } as never)).toThrow("(did you mean 'queueCheck'?)");
    expect(() => c.consumer({ queueUrl: QUEUE_URL, maxExtension: 1000 } as never)).toThrow("(did you mean 'maxExtensionMs'?)");
    expect(() => c.consumer({ queueUrl: QUEUE_URL, heartbeats: false } as never)).toThrow("(did you mean 'heartbeat'?)");
    expect(() => c.consumer({ queueUrl: QUEUE_URL, idempotency: { lease: 1000 } } as never)).toThrow("unknown consumer option 'idempotency.lease'");
    expect(() => c.consumer({ queueUrl: QUEUE_URL, queueCheck: 'warn', maxExtensionMs: 60_000, heartbeat: false, idempotency: { leaseMs: 20_000 } })).not.toThrow();
  });

  test('the receiver refuses a typo in its options and in idempotency', async () => {
    const c = client();
    await expect(c.receiver({ apiKey: 'k-1', maxBodyByte: 10 } as never)).rejects.toThrow("unknown receiver option 'maxBodyByte' (did you mean 'maxBodyBytes'?)");
    await expect(c.receiver({ apiKey: 'k-1', idempotency: { window: 10 } } as never)).rejects.toThrow("unknown receiver option 'idempotency.window'");
    await expect(c.receiver({ apiKey: 'k-1', idempotency: { windowMs: 10 } })).resolves.toBeDefined();
  });

  test('the outbox refuses a typo before it opens', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'unknown-options-'));
    try {
      await expect(client().outbox({ directory, fsyc: false } as never)).rejects.toThrow("unknown outbox option 'fsyc' (did you mean 'fsync'?)");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('fromRolesAnywhere refuses a typo', () => {
    const options = {
      trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/11111111-1111-1111-1111-111111111111',
      profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/22222222-2222-2222-2222-222222222222',
      roleArn: 'arn:aws:iam::123456789012:role/app',
      durationSecond: 900,
    };
    expect(() => fromRolesAnywhere(options as unknown as RolesAnywhereOptions)).toThrow("unknown option 'durationSecond' (did you mean 'durationSeconds'?)");
  });
});

describe('option groups that are not objects', () => {
  test.each(['quota', 'producer', 'putEvents', 'metrics', 'endpoints', 'clients'])('%s: null, a string, a number or an array is refused, naming the group', (group) => {
    for (const value of [null, 'adaptive', 5, true, []]) {
      expect(construct({ [group]: value })).toThrow(new RegExp(`^invalid option '${group}': expected an object`));
    }
  });
});
