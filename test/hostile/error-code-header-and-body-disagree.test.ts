/**
 * Error answers whose `X-Amzn-ErrorType` header and body `__type` disagree (or carry a namespace,
 * a `:http://...` suffix, a `code` field of another case, a `__type` that is not text) were read
 * one way by the SDK and another by the lean transport: the SDK took the body's
 * ThrottlingException and made 3 attempts, the lean transport the header's code and stopped
 * after 1. The same scripted answers now go through both transports, hand-picked shapes and a
 * seeded set of generated ones: same code, message, status, retry decision and attempt count.
 */
import { seededRandom } from '../../src/local/eventbridge-faults';
import { EventSender } from '../../src/runtime/put-events';
import { listen, putEventsOver, TRANSPORTS } from '../runtime/put-events/sdk';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const HEADER = 'x-amzn-errortype';
const json = (value: unknown): string => JSON.stringify(value);

const PICKED: Array<[string, Answer]> = [
  ['header and __type disagree', { status: 400, headers: { [HEADER]: 'ValidationException' }, body: json({ __type: 'ThrottlingException', message: 'Rate exceeded' }) }],
  ['header and code disagree', { status: 400, headers: { [HEADER]: 'ValidationException' }, body: json({ code: 'ThrottlingException' }) }],
  ['__type and code disagree', { status: 400, headers: {}, body: json({ __type: 'ValidationException', code: 'ThrottlingException' }) }],
  ['a CODE field in capitals', { status: 400, headers: {}, body: json({ CODE: 'ThrottlingException' }) }],
  ['a namespaced __type', { status: 400, headers: {}, body: json({ __type: 'com.amazon.coral.availability#ThrottlingException', message: 'm' }) }],
  ['two # in __type', { status: 400, headers: {}, body: json({ __type: 'a#ThrottlingException#c' }) }],
  ['a header with a :http:// suffix', { status: 400, headers: { [HEADER]: 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/' }, body: '{}' }],
  ['a code with namespace and suffix', { status: 400, headers: {}, body: json({ code: 'aws.x#ThrottlingException:http://x' }) }],
  ['a __type with spaces around it', { status: 400, headers: {}, body: json({ __type: ' ThrottlingException ' }) }],
  ['a numeric __type', { status: 400, headers: {}, body: json({ __type: 429 }) }],
  ['a null __type over a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: json({ __type: null }) }],
  ['a __type that is an object, on a 500', { status: 500, headers: {}, body: json({ __type: {} }) }],
  ['a __type that is an array naming a modeled error', { status: 400, headers: {}, body: json({ __type: ['ResourceNotFoundException'] }) }],
  ['a __type that is an array naming throttling', { status: 400, headers: {}, body: json({ __type: ['ThrottlingException'] }) }],
  ['a body that is not JSON, with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: '<html>' }],
  ['a body that is a JSON string, with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: '"abc"' }],
  ['an empty body with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: '' }],
  ['no code, a message', { status: 429, headers: {}, body: json({ message: 'Rate exceeded' }) }],
  ['errorMessage, which the SDK does not read', { status: 400, headers: {}, body: json({ __type: 'ValidationException', errorMessage: 'EM' }) }],
  ['an empty message beside Message', { status: 400, headers: {}, body: json({ __type: 'ValidationException', message: '', Message: 'M' }) }],
  ['a $retryable field in the body', { status: 400, headers: {}, body: json({ __type: 'ValidationException', $retryable: { throttling: true } }) }],
  ['a cause field posing as a reset', { status: 400, headers: {}, body: json({ __type: 'ValidationException', cause: { code: 'ECONNRESET' } }) }],
  ['a code field posing as a reset', { status: 400, headers: {}, body: json({ code: 'ECONNRESET' }) }],
];

/** A seeded generator of answers: statuses, header forms and body fields of every type. */
function generated(count: number, seed: number): Array<[string, Answer]> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const codes = ['ThrottlingException', 'ValidationException', 'InternalException', 'AccessDeniedException', 'InvalidSignatureException', 'ResourceNotFoundException', 'Unknown', ''];
  const decorated = (code: string) => pick([code, `com.amazon.coral#${code}`, `${code}:http://internal.amazon.com/`, `${code},Other`, `ns#${code}:http://x`, ` ${code}`]);
  const values = (): unknown => pick([decorated(pick(codes)), 503, null, true, [], [pick(codes)], {}, '']);
  const answers: Array<[string, Answer]> = [];
  for (let i = 0; i < count; i++) {
    const status = pick([400, 403, 404, 413, 429, 500, 502, 503]);
    const headers: Record<string, string> = random() < 0.5 ? { [HEADER]: decorated(pick(codes)) } : {};
    const kind = pick(['object', 'object', 'object', 'object', 'not json', 'empty', 'array', 'null']);
    let body: string;
    if (kind === 'object') {
      const fields: Record<string, unknown> = {};
      for (const name of ['__type', 'code', 'Code', 'CODE', 'message', 'Message']) {
        if (random() < 0.35) fields[name] = name.toLowerCase() === 'message' ? pick(['Rate exceeded', '', 'Unknown', 5, null, {}]) : values();
      }
      body = json(fields);
    } else {
      body = kind === 'not json' ? '<html>Bad Gateway</html>' : kind === 'empty' ? '' : kind === 'array' ? '[{"__type":"ThrottlingException"}]' : 'null';
    }
    answers.push([`generated ${i}: ${status} ${json(headers)} ${body}`, { status, headers, body }]);
  }
  return answers;
}

describe('the same error answers give the same outcome over both transports', () => {
  let answer: Answer;
  let requests = 0;
  let server: Awaited<ReturnType<typeof listen>>['server'];
  let endpoint: string;
  beforeAll(async () => {
    ({ server, endpoint } = await listen((_req, res) => {
      requests++;
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', ...answer.headers });
      res.end(answer.body);
    }));
  });
  afterAll(() => server.close());

  const event = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n: 1 } };

  async function outcomes(given: Answer) {
    answer = given;
    const byTransport: Record<string, { entry: unknown; requests: number }> = {};
    for (const transport of TRANSPORTS) {
      const over = putEventsOver(transport, endpoint);
      requests = 0;
      const result = await new EventSender(over.putEvents, { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 }).send([event]);
      over.destroy();
      byTransport[transport] = { entry: result.entries[0], requests };
    }
    return byTransport;
  }

  test.each(PICKED)('%s', async (_name, given) => {
    const { lean, sdk } = await outcomes(given);
    expect(lean).toEqual(sdk);
    expect(lean.requests).toBe((lean.entry as { attempts: number }).attempts);
  });

  test('the header/__type disagreement of the report: ThrottlingException from the body, 3 attempts on both', async () => {
    const { lean, sdk } = await outcomes(PICKED[0][1]);
    expect(lean).toEqual({ entry: expect.objectContaining({ errorCode: 'ThrottlingException', attempts: 3 }), requests: 3 });
    expect(sdk).toEqual(lean);
  });

  test('fields the SDK copies from the body onto its exception do not make an answer retryable', async () => {
    for (const [, given] of PICKED.slice(-3)) {
      const { lean, sdk } = await outcomes(given);
      expect(sdk).toEqual(lean);
      expect(lean.requests).toBe(1);
    }
  });

  test('300 generated answers', async () => {
    const differing: string[] = [];
    for (const [name, given] of generated(300, 24)) {
      const { lean, sdk } = await outcomes(given);
      if (json(lean) !== json(sdk)) differing.push(`${name}\n  lean ${json(lean)}\n  sdk  ${json(sdk)}`);
    }
    expect(differing).toEqual([]);
  });
});
