/**
 * A fast loopback SQS endpoint (AWS JSON 1.0, as the SDK v3 client speaks it), for benchmarks:
 * moto serves about 250 requests/s, which would measure moto. It keeps standard queues in memory
 * with visibility timeouts, receive counts and long polling, and speaks the calls a consumer makes:
 * CreateQueue, GetQueueUrl, GetQueueAttributes, SendMessage(Batch), ReceiveMessage,
 * DeleteMessage(Batch), ChangeMessageVisibility(Batch). A RedrivePolicy is kept and answered
 * but not acted on: no dead-letter queues, no FIFO, no authentication: use moto to test
 * behaviour, this to measure (and to inject faults moto cannot).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const JSON_10 = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';
/** SQS's limits, which the endpoint enforces as SQS does. */
const MAX_BATCH = 10;
const MAX_WAIT_SECONDS = 20;

interface Message {
  readonly id: string;
  readonly body: string;
  readonly md5: string;
  receiveCount: number;
  handle?: string;
  visibleAt: number;
}

interface Queue {
  readonly name: string;
  readonly url: string;
  readonly visibilitySeconds: number;
  readonly redrivePolicy?: string;
  /** Visible messages, oldest first; `head` is the next to hand out. */
  ready: Message[];
  head: number;
  readonly inFlight: Map<string, Message>;
  waiters: Array<() => void>;
}

class SqsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

export interface SqsEndpointOptions {
  /** @default - a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface SqsEndpoint {
  readonly endpoint: string;
  /** Requests served, by action. */
  readonly requests: Readonly<Record<string, number>>;
  /** Messages in a queue: visible, and received but not deleted. */
  depth(queueName: string): { visible: number; inFlight: number };
  /**
   * Fault injection: deletes the queue's received messages as another consumer would, so their
   * receipt handles are refused from then on. Returns how many were deleted.
   */
  deleteInFlight(queueName: string): number;
  stop(): Promise<void>;
}

export async function startSqsEndpoint(options: SqsEndpointOptions = {}): Promise<SqsEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const queues = new Map<string, Queue>();
  const requests: Record<string, number> = {};
  let base = '';

  const queueOf = (input: Record<string, unknown>): Queue => {
    const url = String(input.QueueUrl ?? '');
    const queue = queues.get(url.slice(url.lastIndexOf('/') + 1));
    if (!queue) throw new SqsError('AWS.SimpleQueueService.NonExistentQueue', `The specified queue does not exist: ${url.slice(0, 128)}`);
    return queue;
  };

  const wake = (queue: Queue) => {
    const waiters = queue.waiters;
    queue.waiters = [];
    for (const w of waiters) w();
  };

  /** Moves in-flight messages whose visibility ran out back to the visible list. */
  const sweep = () => {
    const now = Date.now();
    for (const queue of queues.values()) {
      let returned = false;
      for (const [handle, message] of queue.inFlight) {
        if (message.visibleAt <= now) {
          queue.inFlight.delete(handle);
          message.handle = undefined;
          queue.ready.push(message);
          returned = true;
        }
      }
      if (returned) wake(queue);
    }
  };
  const sweeper = setInterval(sweep, 100);
  sweeper.unref();

  const enqueue = (queue: Queue, body: unknown): { MessageId: string; MD5OfMessageBody: string } => {
    if (typeof body !== 'string' || body.length === 0) throw new SqsError('InvalidParameterValue', 'MessageBody must be a non-empty string');
    if (Buffer.byteLength(body) > 1024 * 1024) throw new SqsError('InvalidParameterValue', 'MessageBody is over 1 MiB');
    const message: Message = { id: randomUUID(), body, md5: createHash('md5').update(body).digest('hex'), receiveCount: 0, visibleAt: 0 };
    queue.ready.push(message);
    return { MessageId: message.id, MD5OfMessageBody: message.md5 };
  };

  const take = (queue: Queue, max: number, visibility: number) => {
    const out: Message[] = [];
    const now = Date.now();
    while (out.length < max && queue.head < queue.ready.length) {
      const message = queue.ready[queue.head++];
      message.receiveCount++;
      message.handle = `${message.id}:${message.receiveCount}:${randomUUID()}`;
      message.visibleAt = now + visibility * 1000;
      queue.inFlight.set(message.handle, message);
      out.push(message);
    }
    if (queue.head > 1024 && queue.head * 2 > queue.ready.length) {
      queue.ready = queue.ready.slice(queue.head);
      queue.head = 0;
    }
    return out;
  };

  const changeVisibility = (queue: Queue, handle: unknown, seconds: unknown) => {
    const message = queue.inFlight.get(String(handle));
    if (!message) throw new SqsError('ReceiptHandleIsInvalid', 'The receipt handle is not valid or the message is not in flight');
    if (typeof seconds !== 'number' || seconds < 0 || seconds > 43200) throw new SqsError('InvalidParameterValue', 'VisibilityTimeout must be 0 to 43200');
    message.visibleAt = Date.now() + seconds * 1000;
    if (seconds === 0) sweep();
  };

  const remove = (queue: Queue, handle: unknown) => {
    // Deleting with a stale handle succeeds on SQS when the message is gone already.
    queue.inFlight.delete(String(handle));
  };

  const batch = (entries: unknown, each: (entry: Record<string, unknown>) => Record<string, unknown> | void) => {
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_BATCH) {
      throw new SqsError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Entries must hold 1 to ${MAX_BATCH} entries`);
    }
    const Successful: Record<string, unknown>[] = [];
    const Failed: Record<string, unknown>[] = [];
    for (const entry of entries as Record<string, unknown>[]) {
      try {
        Successful.push({ Id: entry.Id, ...(each(entry) ?? {}) });
      } catch (error) {
        const e = error as SqsError;
        Failed.push({ Id: entry.Id, Code: e.code, Message: e.message, SenderFault: true });
      }
    }
    return { Successful, Failed };
  };

  const actions: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateQueue(input) {
      const name = String(input.QueueName ?? '');
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new SqsError('InvalidParameterValue', `invalid QueueName '${name.slice(0, 80)}'`);
      if (!queues.has(name)) {
        const attributes = (input.Attributes ?? {}) as Record<string, string>;
        queues.set(name, {
          name,
          url: `${base}/000000000000/${name}`,
          visibilitySeconds: Number(attributes.VisibilityTimeout ?? 30),
          redrivePolicy: attributes.RedrivePolicy,
          ready: [],
          head: 0,
          inFlight: new Map(),
          waiters: [],
        });
      }
      return { QueueUrl: queues.get(name)!.url };
    },
    GetQueueUrl(input) {
      const queue = queues.get(String(input.QueueName ?? ''));
      if (!queue) throw new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist');
      return { QueueUrl: queue.url };
    },
    GetQueueAttributes(input) {
      const queue = queueOf(input);
      return {
        Attributes: {
          ApproximateNumberOfMessages: String(queue.ready.length - queue.head),
          ApproximateNumberOfMessagesNotVisible: String(queue.inFlight.size),
          VisibilityTimeout: String(queue.visibilitySeconds),
          QueueArn: `arn:aws:sqs:us-east-1:000000000000:${queue.name}`,
          RedrivePolicy: queue.redrivePolicy, // JSON: left out when undefined
        },
      };
    },
    SendMessage(input) {
      const queue = queueOf(input);
      const out = enqueue(queue, input.MessageBody);
      wake(queue);
      return out;
    },
    SendMessageBatch(input) {
      const queue = queueOf(input);
      const out = batch(input.Entries, (entry) => enqueue(queue, entry.MessageBody));
      wake(queue);
      return out;
    },
    async ReceiveMessage(input) {
      const queue = queueOf(input);
      const max = Number(input.MaxNumberOfMessages ?? 1);
      if (!Number.isInteger(max) || max < 1 || max > MAX_BATCH) throw new SqsError('InvalidParameterValue', 'MaxNumberOfMessages must be 1 to 10');
      const wait = Number(input.WaitTimeSeconds ?? 0);
      if (!(wait >= 0 && wait <= MAX_WAIT_SECONDS)) throw new SqsError('InvalidParameterValue', 'WaitTimeSeconds must be 0 to 20');
      const visibility = Number(input.VisibilityTimeout ?? queue.visibilitySeconds);
      const until = Date.now() + wait * 1000;
      let messages = take(queue, max, visibility);
      while (messages.length === 0 && Date.now() < until) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, until - Date.now());
          function done() {
            clearTimeout(timer);
            resolve();
          }
          queue.waiters.push(done);
        });
        messages = take(queue, max, visibility);
      }
      return {
        Messages: messages.map((m) => ({
          MessageId: m.id,
          ReceiptHandle: m.handle,
          MD5OfBody: m.md5,
          Body: m.body,
          Attributes: { ApproximateReceiveCount: String(m.receiveCount) },
        })),
      };
    },
    DeleteMessage(input) {
      remove(queueOf(input), input.ReceiptHandle);
      return {};
    },
    DeleteMessageBatch(input) {
      const queue = queueOf(input);
      return batch(input.Entries, (entry) => remove(queue, entry.ReceiptHandle));
    },
    ChangeMessageVisibility(input) {
      changeVisibility(queueOf(input), input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    },
    ChangeMessageVisibilityBatch(input) {
      const queue = queueOf(input);
      return batch(input.Entries, (entry) => changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout));
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': JSON_10, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(TARGET_PREFIX) ? actions[target.slice(TARGET_PREFIX.length)] : undefined;
    try {
      if (req.method !== 'POST' || !action) throw new SqsError('UnsupportedOperation', `unsupported operation '${target.slice(0, 64)}'`);
      requests[target.slice(TARGET_PREFIX.length)] = (requests[target.slice(TARGET_PREFIX.length)] ?? 0) + 1;
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new SqsError('SerializationException', 'the request body is not JSON');
      }
      answer(res, 200, await action(input));
    } catch (error) {
      const e = error instanceof SqsError ? error : new SqsError('InternalError', (error as Error).message, 500);
      res.setHeader('x-amzn-query-error', `${e.code};Sender`);
      answer(res, e.status, { __type: `com.amazonaws.sqs#${e.code}`, message: e.message });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  base = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: base,
    requests,
    depth(name) {
      const queue = queues.get(name);
      return queue ? { visible: queue.ready.length - queue.head, inFlight: queue.inFlight.size } : { visible: 0, inFlight: 0 };
    },
    deleteInFlight(name) {
      const queue = queues.get(name);
      if (!queue) return 0;
      const count = queue.inFlight.size;
      queue.inFlight.clear();
      return count;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        for (const queue of queues.values()) wake(queue);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
