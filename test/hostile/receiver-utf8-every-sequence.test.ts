/**
 * "answers 400 to ... invalid UTF-8" (README), for every 1- and 2-byte sequence and the 3- and
 * 4-byte sequences around every boundary of RFC 3629 (overlongs, surrogates ED A0..ED BF,
 * U+FFFE/U+FFFF, which are valid, above U+10FFFF, truncated), inside a delivered string: an
 * invalid body is refused 400 InvalidUtf8, a valid one reaches the handler unchanged, so a
 * handler never sees a U+FFFD that was not sent.
 */
import { isUtf8 } from 'node:buffer';
import { createReceiver } from '../../src/runtime';
import type { ReceiveResponse } from '../../src/runtime/receiver';
import { API_KEY, delivery } from '../runtime/receiver/support';

const [PREFIX, SUFFIX] = JSON.stringify(delivery('Text', { text: 'SPLIT' })).split('SPLIT').map((s) => Buffer.from(s));

function* sequences(): Generator<number[]> {
  for (let a = 0; a < 256; a++) {
    yield [a];
    for (let b = 0; b < 256; b++) yield [a, b];
  }
  const edges = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff];
  for (let a = 0xe0; a <= 0xf7; a++) {
    for (const b of edges) {
      for (const c of edges) {
        yield [a, b, c];
        for (const d of edges) yield [a, b, c, d];
      }
    }
  }
}

test('every sequence is either refused 400 InvalidUtf8 or handed over exactly as sent', () => {
  let seen: string | undefined;
  const receiver = createReceiver({ apiKey: API_KEY }).on('Text', (event) => void (seen = (event.detail as { text: string }).text));
  const wrong: string[] = [];
  let handed = 0;
  for (const bytes of sequences()) {
    const body = Buffer.concat([PREFIX, Buffer.from(bytes), SUFFIX]);
    seen = undefined;
    const answer = receiver.receive({ method: 'POST', headers: { 'x-api-key': API_KEY }, body: { kind: 'parsed', value: body } }) as ReceiveResponse;
    const hex = Buffer.from(bytes).toString('hex');
    if (!isUtf8(body)) {
      if (answer.status !== 400 || answer.body.error !== 'InvalidUtf8') wrong.push(`${hex}: ${answer.status} ${String(answer.body.error)}`);
    } else if (answer.status === 200 && seen !== JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`)) {
      wrong.push(`${hex}: handler saw ${JSON.stringify(seen)}`);
    } else if (answer.body.error === 'InvalidUtf8') {
      wrong.push(`${hex}: valid UTF-8 refused`);
    }
    if (answer.status === 200) handed++;
    if (wrong.length > 10) break;
  }
  expect(wrong).toEqual([]);
  expect(handed).toBeGreaterThan(10_000);
  expect(receiver.handlersInFlight).toBe(0);
});
