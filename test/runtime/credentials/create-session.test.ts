/**
 * One CreateSession against a loopback service that verifies the X.509 signature and answers
 * like IAM Roles Anywhere: the request's shape, the credentials it returns, and every way it
 * can fail, each as a typed error.
 */
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { ARNS, PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from './support/arns';
import { Pki } from './support/pki';
import { Reply, SessionServer, serviceError, verifyThenCreate } from './support/session-server';
import { RolesAnywhereError } from '../../../src/runtime/credentials';
import { checkEndpoint, createSession, CreateSessionInput, FetchLike } from '../../../src/runtime/credentials/create-session';
import { amzDate } from '../../../src/runtime/credentials/x509-signature';
import { ServiceError } from '../../../src/runtime/errors';

let pki: Pki;
let server: SessionServer;
let certificate: X509Certificate;
let privateKey: KeyObject;
const date = new Date('2026-03-01T12:34:56Z');

beforeAll(async () => {
  pki = Pki.create();
  server = await SessionServer.start();
  const leaf = pki.issue('app', 'p256');
  certificate = new X509Certificate(pki.read(leaf.cert));
  privateKey = createPrivateKey(pki.read(leaf.key));
});

afterEach(() => {
  server.respond = verifyThenCreate;
});

afterAll(async () => {
  await server?.close();
  pki?.cleanup();
});

function input(extra: Partial<CreateSessionInput> = {}): CreateSessionInput {
  return { ...ARNS, certificate, privateKey, region: 'eu-west-1', endpoint: server.url, durationSeconds: 900, date, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<RolesAnywhereError> {
  const error = await promise.then(() => undefined, (e) => e);
  expect(error).toBeInstanceOf(RolesAnywhereError);
  expect(error).toBeInstanceOf(ServiceError);
  return error;
}

describe('the request', () => {
  test('is POST /sessions with the ARNs in the query, the duration as the body, signed at the given time', async () => {
    await createSession(input());
    const request = server.requests[server.count - 1];
    expect(request.signatureProblem).toBeUndefined();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/sessions');
    expect(request.query).toEqual({ profileArn: PROFILE_ARN, roleArn: ROLE_ARN, trustAnchorArn: TRUST_ANCHOR_ARN });
    expect(request.body).toBe('{"durationSeconds":900}');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-amz-date']).toBe(amzDate(date));
    expect(request.authorization).toMatchObject({ region: 'eu-west-1', service: 'rolesanywhere', date: amzDate(date).slice(0, 8) });
  });

  test('carries roleSessionName in the body when one is set', async () => {
    await createSession(input({ roleSessionName: 'orders-worker-1', durationSeconds: 3600 }));
    expect(JSON.parse(server.requests[server.count - 1].body)).toEqual({ durationSeconds: 3600, roleSessionName: 'orders-worker-1' });
  });

  test('keeps a path prefix of the endpoint override', async () => {
    await createSession(input({ endpoint: `${server.url}/roles-anywhere/` }));
    const request = server.requests[server.count - 1];
    expect(request.path).toBe('/roles-anywhere/sessions');
    expect(request.signatureProblem).toBeUndefined();
  });

  test('goes to the trust anchor region\'s endpoint in its partition when no endpoint is given', async () => {
    const urls: string[] = [];
    const recordOnly: FetchLike = async (url) => {
      urls.push(url);
      throw new TypeError('not sent');
    };
    await failure(createSession(input({ endpoint: undefined, fetch: recordOnly })));
    await failure(createSession(input({ endpoint: undefined, region: 'cn-north-1', fetch: recordOnly })));
    expect(urls.map((u) => new URL(u).origin + new URL(u).pathname)).toEqual([
      'https://rolesanywhere.eu-west-1.amazonaws.com/sessions',
      'https://rolesanywhere.cn-north-1.amazonaws.com.cn/sessions',
    ]);
    expect(new URL(urls[0]).searchParams.get('trustAnchorArn')).toBe(TRUST_ANCHOR_ARN);
  });

  test('a body changed after signing is refused by the verifying service (so the other tests\' checks are real)', async () => {
    const tamper: FetchLike = (url, init) => fetch(url, { ...init, body: init.body.replace('900', '901') });
    const error = await failure(createSession(input({ fetch: tamper })));
    expect(error.code).toBe('AccessDeniedException');
    expect(error.serviceMessage).toBe('signature does not verify: signature mismatch');
  });
});

test('a 201 becomes credentials with the expiration as a Date', async () => {
  const credentials = await createSession(input());
  expect(credentials).toEqual({
    accessKeyId: `ASIASESSION${server.count}`,
    secretAccessKey: `secret-${server.count}`,
    sessionToken: `token-${server.count}`,
    expiration: new Date(date.getTime() + 900_000),
  });
});

describe('service errors become RolesAnywhereError with the service\'s code, message and status', () => {
  test.each<[number, string, string]>([
    [403, 'AccessDeniedException', 'Unable to assume role for arn:aws:iam::123456789012:role/orders-connector'],
    [400, 'ValidationException', 'durationSeconds must be between 900 and 43200'],
    [404, 'ResourceNotFoundException', 'Profile not found'],
  ])('%i %s (type in x-amzn-ErrorType)', async (status, type, message) => {
    server.respond = () => serviceError(status, type, message);
    const error = await failure(createSession(input()));
    expect(error).toMatchObject({ code: type, statusCode: status, serviceMessage: message, requestId: `req-${status}`, endpoint: `${server.url}/sessions` });
    expect(error.message).toBe(`roles anywhere CreateSession at ${server.url}/sessions failed with ${status} ${type}: ${message}`);
  });

  test.each<[string, Reply, string, string]>([
    ['__type with a namespace', { status: 429, body: '{"__type":"com.amazonaws.rolesanywhere#ThrottlingException","message":"Rate exceeded"}' }, 'ThrottlingException', 'Rate exceeded'],
    ['code and Message', { status: 400, body: '{"code":"ValidationException","Message":"roleSessionName is not accepted"}' }, 'ValidationException', 'roleSessionName is not accepted'],
    ['a proxy\'s plain text', { status: 502, body: 'Bad Gateway' }, 'UnknownError', 'Bad Gateway'],
  ])('type from the body when the header is absent: %s', async (_, reply, code, message) => {
    server.respond = () => reply;
    const error = await failure(createSession(input()));
    expect(error).toMatchObject({ code, statusCode: reply.status, serviceMessage: message });
  });

  test('a hostile error answer: a code that is no code becomes UnknownError, the message is escaped and bounded', async () => {
    const hostile = `\x1b]0;owned\x07\r\n${'x'.repeat(100_000)}`;
    server.respond = () => ({ status: 400, body: JSON.stringify({ __type: hostile, message: hostile }) });
    const error = await failure(createSession(input()));
    expect(error.code).toBe('UnknownError');
    expect(error.message).not.toMatch(/[\x00-\x1f]/);
    expect(error.message.length).toBeLessThan(1300);
    expect(error.message).toContain(': \\x1b]0;owned\\x07\\r\\nxxx');
  });

  test.each<[string, string]>([
    ['not JSON', 'created'],
    ['no credentialSet', '{"subjectArn":"x"}'],
    ['credentials without a sessionToken', '{"credentialSet":[{"credentials":{"accessKeyId":"A","secretAccessKey":"S","expiration":"2026-03-01T13:00:00Z"}}]}'],
    ['an expiration that is no date', '{"credentialSet":[{"credentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":"soon"}}]}'],
  ])('a 201 with %s is an InvalidResponse', async (_, body) => {
    server.respond = () => ({ status: 201, body });
    const error = await failure(createSession(input()));
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toMatch(/expected credentialSet\[0\]\.credentials with accessKeyId, secretAccessKey, sessionToken and expiration$/);
  });
});

describe('when the service does not answer', () => {
  test('a request that gets no answer within the timeout fails with RequestTimeout', async () => {
    server.respond = () => new Promise<Reply>(() => undefined);
    const error = await failure(createSession(input({ timeoutMs: 200 })));
    expect(error.code).toBe('RequestTimeout');
    expect(error.message).toBe(`roles anywhere endpoint ${server.url}/sessions did not answer CreateSession within 200 ms: expected an answer (is the endpoint right?)`);
  });

  test('an unreachable endpoint fails with NetworkError naming it and the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(createSession(input({ endpoint: url })));
    expect(error.code).toBe('NetworkError');
    expect(error.statusCode).toBeUndefined();
    expect(error.message).toBe(`cannot reach the roles anywhere endpoint ${url}/sessions (ECONNREFUSED): expected a reachable CreateSession endpoint`);
  });
});

describe('endpoint overrides', () => {
  test.each(['https://rolesanywhere.example.internal', 'http://127.0.0.1:8443', 'http://localhost:9000/base', 'http://[::1]:8080'])('%s is accepted', (endpoint) => {
    expect(checkEndpoint(endpoint)).toBeUndefined();
  });

  test.each<[string, string]>([
    ['http://rolesanywhere.example.internal', "invalid endpoint 'http://rolesanywhere.example.internal': http is allowed on loopback addresses only (localhost, 127.0.0.1, [::1]); expected https"],
    ['ftp://127.0.0.1', "invalid endpoint 'ftp://127.0.0.1': expected an https URL"],
    ['rolesanywhere.eu-west-1.amazonaws.com', "invalid endpoint 'rolesanywhere.eu-west-1.amazonaws.com': expected a URL such as https://rolesanywhere.eu-west-1.amazonaws.com"],
    ['https://example.com/?x=1', "invalid endpoint 'https://example.com/?x=1': expected a URL without query, fragment or credentials"],
  ])('%s is refused', (endpoint, message) => {
    expect(checkEndpoint(endpoint)).toBe(message);
  });
});
