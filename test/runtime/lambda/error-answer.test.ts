/**
 * The Lambda entry reads error answers as the SDK does, without the SDK: for hand-picked shapes
 * (header and body disagreeing, namespaces, suffixes, codes of other cases and types) and a
 * seeded set of generated ones, its reading makes the same PutEventsHttpError (code, message) as
 * the main lean transport's reading, which is the SDK's own (loadJsonRpcErrorCode, and the SDK
 * client's protocol object for odd shapes). Then over the wire: the same retry decision.
 */
import * as eventbridge from '@aws-sdk/client-eventbridge';
import { EventBridgeClient, EventBridgeServiceException } from '@aws-sdk/client-eventbridge';
import { PutEventsClient } from '../../../src/runtime/lambda';
import { MODELED_ERRORS, readErrorAnswerWithoutSdk } from '../../../src/runtime/lambda/error-answer';
import { answeredError, readErrorAnswer } from '../../../src/runtime/put-events/http-errors';
import { readWithSdkProtocol } from '../../../src/runtime/put-events/sdk-error-reader';
import { Answer, ERROR_TYPE_HEADER, generatedAnswers, PICKED_ANSWERS, POSING_AS_RETRYABLE, scriptedEndpoint, ScriptedEndpoint } from '../put-events/error-answers';

const HEADER = ERROR_TYPE_HEADER;
const json = (value: unknown): string => JSON.stringify(value);

describe('error answers: the Lambda reader and the SDK reader make the same error', () => {
  const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  afterAll(() => client.destroy());

  async function both(answer: Answer) {
    const raw = Object.entries(answer.headers).flat();
    const fast = readErrorAnswer(answer.headers[HEADER], answer.body);
    const sdk = fast === 'ask-the-sdk' ? await readWithSdkProtocol(client.config, answer.status, raw, answer.body) : fast;
    const lambda = readErrorAnswerWithoutSdk(answer.status, raw, answer.body);
    const error = (r: { code: unknown; message: unknown }) => {
      const e = answeredError(answer.status, r.code, r.message);
      return { code: e.name, message: e.message };
    };
    return { sdk: error(sdk), lambda: error(lambda) };
  }

  test.each([...PICKED_ANSWERS, ...POSING_AS_RETRYABLE])('%s', async (_name, answer) => {
    const { sdk, lambda } = await both(answer);
    expect(lambda).toEqual(sdk);
  });

  test('500 generated answers', async () => {
    const differing: string[] = [];
    for (const [, answer] of generatedAnswers(500, 23)) {
      const { sdk, lambda } = await both(answer);
      if (json(sdk) !== json(lambda)) differing.push(`${answer.status} ${json(answer.headers)} ${answer.body}\n  sdk ${json(sdk)}\n  lambda ${json(lambda)}`);
    }
    expect(differing).toEqual([]);
  });
});

test('the modeled errors the reader knows are the EventBridge client\'s', () => {
  const modeled = Object.entries(eventbridge)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof EventBridgeServiceException)
    .map(([name]) => name);
  expect(new Set(modeled)).toEqual(MODELED_ERRORS);
});

describe('over the wire, the retry decision follows the code the SDK reads', () => {
  let scripted: ScriptedEndpoint;
  beforeAll(async () => {
    scripted = await scriptedEndpoint();
  });
  afterAll(() => scripted.close());

  test.each([
    ['header ValidationException, body ThrottlingException: retried, 3 attempts', PICKED_ANSWERS[0][1], 'ThrottlingException', 3],
    ['header ThrottlingException, body ValidationException: final after 1', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: json({ __type: 'ValidationException' }) }, 'ValidationException', 1],
  ] as const)('%s', async (_name, given, code, attempts) => {
    scripted.answer = given;
    scripted.requests = 0;
    const client = new PutEventsClient({
      endpoint: scripted.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      putEvents: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
      environment: {},
    });
    try {
      const result = await client.putEvents([{ source: 'com.example.orders', detailType: 'OrderPlaced', detail: {} }]);
      expect(result.entries[0]).toEqual(expect.objectContaining({ errorCode: code, attempts }));
      expect(scripted.requests).toBe(attempts);
    } finally {
      client.close();
    }
  });
});
