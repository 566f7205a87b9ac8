/**
 * What a hostile or broken endpoint answers reaches callers bounded, escaped and the same on
 * both transports: error codes are code-shaped, messages escaped and cut, EventIds id-shaped,
 * and an oversized answer is not read to its end.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { putEventsOver, TRANSPORTS } from './sdk';
import { EventSender, PutEventsResult } from '../../../src/runtime/put-events';

const HUGE = `\x1b]0;owned\x07\r\nFAKE LOG LINE ${'x'.repeat(100_000)}`;
type Answer = { status: number; body: string | Buffer; chunked?: boolean };
const ANSWERS: Record<string, (entries: number) => Answer> = {
  hugeerr: () => ({ status: 400, body: JSON.stringify({ __type: `com.amazon#${HUGE}`, message: HUGE }) }),
  codeonly: () => ({ status: 400, body: JSON.stringify({ __type: 'ValidationException' }) }),
  nonjson: () => ({ status: 200, body: '<html>not json</html>' }),
  longid: (n) => ({ status: 200, body: JSON.stringify({ FailedEntryCount: 0, Entries: Array.from({ length: n }, () => ({ EventId: `id\x1b${'9'.repeat(100_000)}` })) }) }),
  entryerr: (n) => ({
    status: 200,
    body: JSON.stringify({ FailedEntryCount: n, Entries: Array.from({ length: n }, () => ({ ErrorCode: HUGE, ErrorMessage: HUGE })) }),
  }),
  huge: () => ({ status: 200, body: Buffer.alloc(3 * 1024 * 1024, 0x20) }),
  hugechunked: () => ({ status: 200, body: Buffer.alloc(3 * 1024 * 1024, 0x20), chunked: true }),
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entries = (JSON.parse(Buffer.concat(chunks).toString()) as { Entries: unknown[] }).Entries.length;
      const answer = ANSWERS[req.url!.split('/')[1]](entries);
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', ...(!answer.chunked && { 'content-length': String(answer.body.length) }) });
      if (answer.chunked) res.write(answer.body.slice(0, 1000));
      res.end(answer.chunked ? answer.body.slice(1000) : answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

async function send(transport: 'lean' | 'sdk', mode: string): Promise<PutEventsResult> {
  const over = putEventsOver(transport, `${base}/${mode}/`, { requestTimeoutMs: 5_000 });
  try {
    const sender = new EventSender(over.putEvents, { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
    return await sender.send([{ source: 's', detailType: 'd', detail: { i: 1 } }, { source: 's', detailType: 'd', detail: { i: 2 } }]);
  } finally {
    over.destroy();
  }
}

const noControl = (text: string) => expect(text).not.toMatch(/[\x00-\x1f\x7f]/);

describe.each(TRANSPORTS)('over the %s transport', (transport) => {
  test('an error answer with a 100,000-character __type and message: code from the status, message escaped and bounded', async () => {
    const result = await send(transport, 'hugeerr');
    const failure = result.entries[0];
    expect(failure.errorCode).toBe('BadRequestException');
    noControl(failure.errorMessage!);
    expect(failure.errorMessage!.length).toBeLessThan(1200);
    expect(failure.errorMessage).toContain('\\x1b]0;owned\\x07\\r\\nFAKE LOG LINE');
    expect(failure.errorMessage).toMatch(/\.\.\. \(\d+ characters\)/);
  });

  test('entry ErrorCode and ErrorMessage from a 200 are bounded and escaped the same way', async () => {
    const failure = (await send(transport, 'entryerr')).entries[1];
    expect(failure.errorCode).toBe('InvalidResponse');
    noControl(failure.errorMessage!);
    expect(failure.errorMessage!.length).toBeLessThan(1200);
  });

  test('an EventId that is not 1-256 printable ASCII characters is not an acknowledgement', async () => {
    const result = await send(transport, 'longid');
    expect(result.failedEntryCount).toBe(2);
    expect(result.entries[0]).toMatchObject({ errorCode: 'InvalidResponse', errorMessage: expect.stringMatching(/^response entry's EventId 'id\\x1b9+\.\.\.' \(100003 characters\) is not an EventId: expected 1 to 256 printable ASCII characters/) });
  });
});

describe.each(TRANSPORTS)('a PutEvents answer over 1 MiB is not read to its end (%s transport)', (transport) => {
  test.each(['huge', 'hugechunked'])('%s: every entry fails InvalidResponse after retries, none acknowledged', async (mode) => {
    const result = await send(transport, mode);
    expect(result.failedEntryCount).toBe(2);
    expect(result.entries[0]).toMatchObject({
      errorCode: 'InvalidResponse',
      attempts: 2,
      errorMessage: expect.stringMatching(/^response body (declares 3145728 bytes|exceeded 1048576 bytes): expected a PutEvents response of at most 1048576 bytes, so no entry is acknowledged \(gave up after 2 attempts\)$/),
    });
  });
});

describe('both transports report the same failures the same way', () => {
  test.each(TRANSPORTS)('%s: a 200 that is not JSON is InvalidResponse', async (transport) => {
    const failure = (await send(transport, 'nonjson')).entries[0];
    expect(failure).toMatchObject({ errorCode: 'InvalidResponse', attempts: 1 });
    expect(failure.errorMessage).toMatch(/^response body is not JSON \(.+\): expected a PutEvents response$/);
    expect(failure.errorMessage).not.toMatch(/Deserialization|\$response/);
  });

  test.each(TRANSPORTS)('%s: a 400 with __type and no message is "<code> (HTTP 400)"', async (transport) => {
    expect((await send(transport, 'codeonly')).entries[0]).toMatchObject({ errorCode: 'ValidationException', errorMessage: 'ValidationException (HTTP 400)', attempts: 1, httpStatusCode: 400 });
  });
});
