/**
 * Error answers whose `X-Amzn-ErrorType` header and body `__type` disagree (or carry a namespace,
 * a `:http://...` suffix, a `code` field of another case, a `__type` that is not text) were read
 * one way by the SDK and another by the lean transport: the SDK took the body's
 * ThrottlingException and made 3 attempts, the lean transport the header's code and stopped
 * after 1. The same scripted answers now go through both transports, hand-picked shapes and a
 * seeded set of generated ones: same code, message, status, retry decision and attempt count.
 */
import { EventSender } from '../../src/runtime/put-events';
import { Answer, generatedAnswers, PICKED_ANSWERS, POSING_AS_RETRYABLE, scriptedEndpoint, ScriptedEndpoint } from '../runtime/put-events/error-answers';
import { putEventsOver, TRANSPORTS } from '../runtime/put-events/sdk';

const json = (value: unknown): string => JSON.stringify(value);

describe('the same error answers give the same outcome over both transports', () => {
  let scripted: ScriptedEndpoint;
  beforeAll(async () => {
    scripted = await scriptedEndpoint();
  });
  afterAll(() => scripted.close());

  const event = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n: 1 } };

  async function outcomes(given: Answer) {
    scripted.answer = given;
    const byTransport: Record<string, { entry: unknown; requests: number }> = {};
    for (const transport of TRANSPORTS) {
      const over = putEventsOver(transport, scripted.endpoint);
      scripted.requests = 0;
      const result = await new EventSender(over.putEvents, { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 }).send([event]);
      over.destroy();
      byTransport[transport] = { entry: result.entries[0], requests: scripted.requests };
    }
    return byTransport;
  }

  test.each([...PICKED_ANSWERS, ...POSING_AS_RETRYABLE])('%s', async (_name, given) => {
    const { lean, sdk } = await outcomes(given);
    expect(lean).toEqual(sdk);
    expect(lean.requests).toBe((lean.entry as { attempts: number }).attempts);
  });

  test('the header/__type disagreement of the report: ThrottlingException from the body, 3 attempts on both', async () => {
    const { lean, sdk } = await outcomes(PICKED_ANSWERS[0][1]);
    expect(lean).toEqual({ entry: expect.objectContaining({ errorCode: 'ThrottlingException', attempts: 3 }), requests: 3 });
    expect(sdk).toEqual(lean);
  });

  test('fields the SDK copies from the body onto its exception do not make an answer retryable', async () => {
    for (const [, given] of POSING_AS_RETRYABLE) {
      const { lean, sdk } = await outcomes(given);
      expect(sdk).toEqual(lean);
      expect(lean.requests).toBe(1);
    }
  });

  test('300 generated answers', async () => {
    const differing: string[] = [];
    for (const [name, given] of generatedAnswers(300, 24)) {
      const { lean, sdk } = await outcomes(given);
      if (json(lean) !== json(sdk)) differing.push(`${name}\n  lean ${json(lean)}\n  sdk  ${json(sdk)}`);
    }
    expect(differing).toEqual([]);
  });
});
