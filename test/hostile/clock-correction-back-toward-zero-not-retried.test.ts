/**
 * After an offset was learned from an endpoint whose clock was 10 minutes ahead, the endpoint's
 * clock (or the host's) was set right: requests signed with the learned offset are refused with
 * InvalidSignatureException, and the answer's Date gives the new offset, back near zero. Both
 * transports failed after one attempt, counting only corrections of 4 minutes or more from zero;
 * a correction is now measured against the offset the request was signed with.
 */
import { EventSender } from '../../src/runtime/put-events';
import { listen, putEventsOver, TRANSPORTS } from '../runtime/put-events/sdk';

const event = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n: 1 } };

function signedAt(amzDate: string): number {
  return Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
}

describe('a clock correction back toward zero is retried with the new offset', () => {
  test.each(TRANSPORTS)('%s', async (transport) => {
    let serverOffsetMs = 10 * 60_000;
    const signedOffsets: number[] = [];
    const { server, endpoint } = await listen((req, res, body) => {
      const now = Date.now() + serverOffsetMs;
      const signed = signedAt(req.headers['x-amz-date'] as string);
      signedOffsets.push(signed - Date.now());
      res.sendDate = false;
      const headers = { 'content-type': 'application/x-amz-json-1.1', 'date': new Date(now).toUTCString() };
      if (Math.abs(now - signed) > 5 * 60_000) {
        res.writeHead(400, headers);
        res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: 'Signature expired' }));
        return;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: (JSON.parse(body) as { Entries: unknown[] }).Entries.map(() => ({ EventId: 'e-1' })) }));
    });
    const over = putEventsOver(transport, endpoint);
    const sender = new EventSender(over.putEvents, { baseDelayMs: 1, maxAttempts: 5 });
    try {
      // Learned: 10 minutes ahead (first request refused, the retry passes).
      expect((await sender.send([event])).entries).toEqual([{ eventId: 'e-1' }]);
      expect(over.client.config.systemClockOffset).toBeGreaterThan(9 * 60_000);

      serverOffsetMs = 0; // the clock was set right
      signedOffsets.length = 0;
      const result = await sender.send([event]);
      expect(result.entries).toEqual([{ eventId: 'e-1' }]);
      expect(signedOffsets).toHaveLength(2);
      expect(signedOffsets[0]).toBeGreaterThan(9 * 60_000); // signed with the stale offset, refused
      expect(Math.abs(signedOffsets[1])).toBeLessThan(60_000); // retried with the corrected one
      expect(Math.abs(over.client.config.systemClockOffset)).toBeLessThan(60_000);
    } finally {
      over.destroy();
      server.close();
    }
  });
});
