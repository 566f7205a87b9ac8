import { InputError } from '../../src/runtime';
import { checkKnownKeys, knownKeys, nearestKey, unknownKeyProblem } from '../../src/runtime/known-keys';

const QUOTA = knownKeys<{ retryMode?: string; retryTokens?: number; rateLimit?: number; rateLimitBurst?: number; adaptiveConcurrency?: boolean }>({
  retryMode: true, retryTokens: true, rateLimit: true, rateLimitBurst: true, adaptiveConcurrency: true,
});

describe('unknownKeyProblem', () => {
  test('known keys pass, whatever their values (undefined included)', () => {
    expect(unknownKeyProblem({ retryMode: 'adaptive', rateLimit: undefined }, QUOTA, 'option')).toBeUndefined();
    expect(unknownKeyProblem({}, QUOTA, 'option')).toBeUndefined();
  });

  test('a typo is named with the nearest known key and every key expected', () => {
    expect(unknownKeyProblem({ retyMode: 'adaptive' }, QUOTA, 'option', 'quota.')).toBe(
      "unknown option 'quota.retyMode' (did you mean 'quota.retryMode'?): expected one of retryMode, retryTokens, rateLimit, rateLimitBurst, adaptiveConcurrency",
    );
  });

  test('an unknown key with an undefined value is refused too: it is still a typo', () => {
    expect(unknownKeyProblem({ ratelimit: undefined }, QUOTA, 'option')).toContain("did you mean 'rateLimit'?");
  });

  test('a key far from every known one gets no guess', () => {
    const problem = unknownKeyProblem({ colour: 'blue' }, QUOTA, 'option')!;
    expect(problem).toMatch(/^unknown option 'colour': expected one of /);
    expect(problem).not.toContain('did you mean');
  });

  test('endpointId where it is not taken says where it is, not that it is a typo', () => {
    const problem = unknownKeyProblem({ endpointId: 'abcde.veo' }, QUOTA, 'option', 'quota.')!;
    expect(problem).toMatch(/^unsupported option 'quota\.endpointId': a global endpoint's EndpointId is set once per client: expected ConnectorClient's putEvents\.endpointId option/);
    expect(problem).not.toContain('did you mean');
  });

  test('inherited keys are not own keys and are not checked; non-objects are left to their own checks', () => {
    const options = Object.create({ inherited: 1 }) as object;
    expect(unknownKeyProblem(options, QUOTA, 'option')).toBeUndefined();
    expect(unknownKeyProblem(undefined, QUOTA, 'option')).toBeUndefined();
    expect(unknownKeyProblem(true, QUOTA, 'option')).toBeUndefined();
  });

  test('a 10 KB key is shown bounded, with its length', () => {
    const key = 'r'.repeat(10_240);
    const problem = unknownKeyProblem({ [key]: 1 }, QUOTA, 'option')!;
    expect(problem.length).toBeLessThan(400);
    expect(problem).toContain('(10240 characters)');
  });

  test('a key with control and bidirectional characters cannot write a log line of its own', () => {
    const problem = unknownKeyProblem({ 'retryMode\n[ERROR] forged\u202e': 1 }, QUOTA, 'option')!;
    expect(problem).not.toMatch(/[\n\r\u202e]/);
    expect(problem).toContain("'retryMode\\n[ERROR] forged\\u202e'");
  });
});

describe('checkKnownKeys', () => {
  test('throws an InputError with the problem', () => {
    expect(() => checkKnownKeys({ retryTokns: 5 }, QUOTA, 'option', 'quota.')).toThrow(InputError);
    expect(() => checkKnownKeys({ retryTokns: 5 }, QUOTA, 'option', 'quota.')).toThrow("unknown option 'quota.retryTokns' (did you mean 'quota.retryTokens'?)");
    expect(() => checkKnownKeys({ retryTokens: 5 }, QUOTA, 'option')).not.toThrow();
  });
});

describe('nearestKey', () => {
  const entry = ['source', 'detailType', 'detail', 'eventBusName', 'time', 'resources', 'traceHeader'];

  test("the SDK's PascalCase names the camelCase field", () => {
    expect(nearestKey('DetailType', entry)).toBe('detailType');
    expect(nearestKey('EventBusName', entry)).toBe('eventBusName');
    expect(nearestKey('Source', entry)).toBe('source');
  });

  test('one swap, one missing letter or one extra letter is one edit', () => {
    expect(nearestKey('deatil', entry)).toBe('detail');
    expect(nearestKey('detal', entry)).toBe('detail');
    expect(nearestKey('resource', entry)).toBe('resources');
    expect(nearestKey('tim', entry)).toBe('time');
  });

  test('the closest wins, and short keys allow one edit only', () => {
    expect(nearestKey('details', entry)).toBe('detail');
    expect(nearestKey('tm', entry)).toBeUndefined();
    expect(nearestKey('payload', entry)).toBeUndefined();
  });

  test('a huge key is not compared letter by letter against short ones', () => {
    expect(nearestKey('x'.repeat(1_000_000), entry)).toBeUndefined();
  });
});

describe('nearestKey with a unit or noun left out', () => {
  test('the shortest known key the given one begins', () => {
    expect(nearestKey('visibilityTimeout', ['visibilityTimeoutSeconds', 'heartbeatIntervalSeconds'])).toBe('visibilityTimeoutSeconds');
    expect(nearestKey('eventBus', ['eventBusName', 'source'])).toBe('eventBusName');
    expect(nearestKey('maxBuffered', ['maxBufferedEvents', 'maxBufferedBytes'])).toBe('maxBufferedBytes');
  });

  test('an edit match wins over a prefix, and short prefixes are no guess', () => {
    expect(nearestKey('detal', ['detail', 'detailType'])).toBe('detail');
    expect(nearestKey('max', ['maxAttempts', 'maxDelayMs'])).toBeUndefined();
  });
});
