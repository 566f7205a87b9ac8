/**
 * Options of the Lambda entry's PutEventsClient as a user mistypes them (cases from a new-user
 * trial): a misspelt `eventBusName` once sent every event to the default bus. Every key is
 * checked, groups must be objects, and a per-call argument is refused; nothing is sent.
 */
import { PutEventsClient } from '../../src/runtime/lambda';

const ENVIRONMENT = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
const make = (options: object) => () => new PutEventsClient({ environment: ENVIRONMENT, endpoint: 'http://127.0.0.1:9', ...options } as never);

test('a misspelt option is refused with the nearest name, never sent to the default bus', () => {
  expect(make({ eventBusNmae: 'orders' })).toThrow("unknown option 'eventBusNmae' (did you mean 'eventBusName'?)");
  expect(make({ regoin: 'eu-west-1' })).toThrow("(did you mean 'region'?)");
  expect(make({ endpointId: 'abc.xyz' })).toThrow(/unsupported option 'endpointId': a global endpoint's EndpointId is set once per client.*the Lambda entry send to regional buses/);
});

test('a nested putEvents option names its path; a group that is no object is refused', () => {
  expect(make({ putEvents: { concurency: 2 } })).toThrow("unknown option 'putEvents.concurency' (did you mean 'putEvents.concurrency'?)");
  expect(make({ putEvents: 'fast' })).toThrow("invalid option 'putEvents': expected an object");
  expect(make({ putEvents: null })).toThrow(/invalid option 'putEvents': expected an object .* got null/);
  expect(make({ putEvents: [] })).toThrow(/got an array/);
});

test('hostile keys are bounded and escaped', () => {
  const error = (() => {
    try {
      make({ ['\u001b[31m\u202e' + 'k'.repeat(10_000)]: 1 })();
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  expect(error).toMatch(/^unknown option '\\x1b\[31m\\u202ek+/);
  expect(error.length).toBeLessThan(1_000);
  expect(make(JSON.parse('{"__proto__": 1}'))).toThrow("unknown option '__proto__'");
});

test('options that are not an object are refused', () => {
  expect(() => new PutEventsClient([] as never)).toThrow('invalid options an array: expected an object or nothing');
  expect(() => new PutEventsClient(5 as never)).toThrow("invalid options '5': expected an object or nothing");
});

test('putEvents refuses a second argument instead of ignoring it', async () => {
  const client = make({})();
  await expect((client.putEvents as (...a: unknown[]) => Promise<unknown>)([], { endpointId: 'x' })).rejects.toThrow(/unsupported putEvents option 'endpointId'/);
  await expect((client.putEvents as (...a: unknown[]) => Promise<unknown>)([], 'fast')).rejects.toThrow('invalid second argument of putEvents (string)');
  client.close();
});
