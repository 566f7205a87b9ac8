// Scripted PutEvents error answers for the tests that hold a reader of them to the SDK's: shapes
// picked by hand (header and body disagreeing, namespaces, suffixes, codes of other cases and
// types, bodies that are no object), a seeded generator of more, and an endpoint that answers them.
import { listen } from './sdk';
import { seededRandom } from '../../../src/local/eventbridge-faults';

/** One error answer: status, headers (lower-case names) and body text. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const ERROR_TYPE_HEADER = 'x-amzn-errortype';
const HEADER = ERROR_TYPE_HEADER;
const json = (value: unknown): string => JSON.stringify(value);

/** Answers picked by hand, by what is odd about each. */
export const PICKED_ANSWERS: ReadonlyArray<readonly [string, Answer]> = [
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
  ['a boolean __type', { status: 400, headers: {}, body: json({ __type: true }) }],
  ['a __type that is an array naming a modeled error', { status: 400, headers: {}, body: json({ __type: ['ResourceNotFoundException'] }) }],
  ['a __type that is an array naming throttling', { status: 400, headers: {}, body: json({ __type: ['ThrottlingException'] }) }],
  ['a __type that is an array of two', { status: 400, headers: {}, body: json({ __type: ['A', 'B'] }) }],
  ['a null code beside a message', { status: 400, headers: {}, body: json({ code: null, message: 'm' }) }],
  ['a body that is not JSON, with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: '<html>' }],
  ['a body that is a JSON string, with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: '"abc"' }],
  ['a body that is JSON null, with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: 'null' }],
  ['a body that is a JSON array, with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: '[{"__type":"ValidationException"}]' }],
  ['an empty body with a header', { status: 400, headers: { [HEADER]: 'ThrottlingException' }, body: '' }],
  ['no code, a message', { status: 429, headers: {}, body: json({ message: 'Rate exceeded' }) }],
  ['errorMessage, which the SDK does not read', { status: 400, headers: {}, body: json({ __type: 'ValidationException', errorMessage: 'EM' }) }],
  ['an empty message beside Message', { status: 400, headers: {}, body: json({ __type: 'ValidationException', message: '', Message: 'M' }) }],
  ['a null message beside Message', { status: 400, headers: {}, body: json({ __type: 'ValidationException', message: null, Message: 'M' }) }],
  ['a numeric message', { status: 400, headers: {}, body: json({ __type: 'ResourceNotFoundException', message: 5 }) }],
  ['a Message that is an object', { status: 400, headers: {}, body: json({ __type: 'ValidationException', Message: {} }) }],
];

/**
 * Fields the SDK copies from the body onto its exception (`$retryable`, `cause`, `code`), posing
 * as what makes an error retryable: none of them may.
 */
export const POSING_AS_RETRYABLE: ReadonlyArray<readonly [string, Answer]> = [
  ['a $retryable field in the body', { status: 400, headers: {}, body: json({ __type: 'ValidationException', $retryable: { throttling: true } }) }],
  ['a cause field posing as a reset', { status: 400, headers: {}, body: json({ __type: 'ValidationException', cause: { code: 'ECONNRESET' } }) }],
  ['a code field posing as a reset', { status: 400, headers: {}, body: json({ code: 'ECONNRESET' }) }],
];

/** `count` answers from `seed`: statuses, header forms and body fields of every type, named by their content. */
export function generatedAnswers(count: number, seed: number): Array<[string, Answer]> {
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

/** A loopback PutEvents endpoint that gives every request the answer set last, counting requests. */
export interface ScriptedEndpoint {
  readonly endpoint: string;
  answer?: Answer;
  requests: number;
  close(): void;
}

export async function scriptedEndpoint(): Promise<ScriptedEndpoint> {
  const state: { answer?: Answer; requests: number } = { requests: 0 };
  const { server, endpoint } = await listen((_req, res) => {
    state.requests++;
    const answer = state.answer ?? { status: 500, headers: {}, body: json({ __type: 'InternalException', message: 'no answer scripted' }) };
    res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', ...answer.headers });
    res.end(answer.body);
  });
  return Object.assign(state, {
    endpoint,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
}
