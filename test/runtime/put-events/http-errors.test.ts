import { answeredError, readErrorAnswer } from '../../../src/runtime/put-events/http-errors';

describe('readErrorAnswer reads the answers real services give itself, as the SDK reads them', () => {
  test.each<[string, string | undefined, string, { code: unknown; message: unknown }]>([
    ['__type before the header', 'ValidationException', '{"__type":"ThrottlingException","message":"Rate exceeded"}', { code: 'ThrottlingException', message: 'Rate exceeded' }],
    ['a code field of any case before the header', 'ValidationException', '{"Code":"ThrottlingException"}', { code: 'ThrottlingException', message: 'UnknownError' }],
    ['the header when the body names nothing', 'AccessDeniedException:http://internal.amazon.com/', '{"Message":"denied"}', { code: 'AccessDeniedException', message: 'denied' }],
    ['namespace and suffix cut', undefined, '{"__type":"com.amazon.coral.validate#ValidationException:http://x"}', { code: 'ValidationException', message: 'UnknownError' }],
    ['an empty body: the header', 'ThrottlingException', '', { code: 'ThrottlingException', message: 'UnknownError' }],
    ['nothing at all', undefined, '{}', { code: 'Unknown', message: 'UnknownError' }],
    ['a body that is not JSON: no code, whatever the header says', 'ThrottlingException', '<html>', { code: undefined, message: undefined }],
  ])('%s', (_name, header, body, expected) => {
    expect(readErrorAnswer(header, body)).toEqual(expected);
  });

  test.each([
    ['a null __type', '{"__type":null}'],
    ['an array __type', '{"__type":["ThrottlingException"]}'],
    ['a message that is an object', '{"__type":"X","message":{}}'],
    ['a body that is a JSON array', '[]'],
    ['a body that is null', 'null'],
  ])('%s is left to the SDK client\'s protocol', (_name, body) => {
    expect(readErrorAnswer(undefined, body)).toBe('ask-the-sdk');
  });
});

describe('answeredError', () => {
  test('a code the SDK could not read is derived from the status, keeping a message the answer gave', () => {
    const error = answeredError(429, 'Unknown', 'Rate exceeded', 'req-1');
    expect({ name: error.name, message: error.message, $metadata: error.$metadata, $fault: error.$fault }).toEqual({
      name: 'ThrottlingException',
      message: 'HTTP 429 with no error code in the response (ThrottlingException derived from the status): Rate exceeded',
      $metadata: { httpStatusCode: 429, requestId: 'req-1' },
      $fault: 'client',
    });
  });

  test('a placeholder message becomes the code and status', () => {
    expect(answeredError(500, 'InternalException', 'UnknownError').message).toBe('InternalException (HTTP 500)');
  });
});
