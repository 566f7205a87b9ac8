/**
 * A process whose clock is 10 minutes off, once corrected by the first answer's Date header, must
 * not turn every later error answer into a "clock skew corrected, retry" one. Both transports do
 * today: the offset is re-sampled from every answer's 1-second Date header, so it differs from the
 * one the request was signed with by some milliseconds, and any offset of 4 minutes or more that
 * differs at all is flagged `clockSkewCorrected` (the bundled SDK's AwsSdkSigV4Signer.errorHandler
 * does the same; classifyRequestError then makes the error retryable). An access denied answer
 * after the correction should be final, sent once, not maxAttempts times.
 */
import { EventSender } from '../../src/runtime/put-events';
import { listen, putEventsOver, TRANSPORTS } from '../runtime/put-events/sdk';

const event = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n: 1 } };


describe('a clock 10 minutes slow, corrected once: later non-retryable answers are not retried', () => {
  test.each(TRANSPORTS)('AccessDeniedException after the correction is sent once (%s)', async (transport) => {
    const serverOffsetMs = 10 * 60_000;
    let requests = 0;
    let deny = false;
    const { server, endpoint } = await listen((_req, res, body) => {
      requests++;
      res.sendDate = false;
      const headers = { 'content-type': 'application/x-amz-json-1.1', 'date': new Date(Date.now() + serverOffsetMs).toUTCString() };
      if (deny) {
        res.writeHead(400, headers);
        res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not allowed' }));
        return;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: JSON.parse(body).Entries.map(() => ({ EventId: 'e-1' })) }));
    });
    const over = putEventsOver(transport, endpoint);
    const sender = new EventSender(over.putEvents, { baseDelayMs: 1, maxAttempts: 5 });
    try {
      // The first answer corrects the clock.
      expect((await sender.send([event])).entries).toEqual([{ eventId: 'e-1' }]);
      expect(over.client.config.systemClockOffset).toBeGreaterThan(serverOffsetMs - 5_000);
      requests = 0;
      deny = true;
      await new Promise((resolve) => setTimeout(resolve, 20)); // some milliseconds pass, as they do
      const denied = await sender.send([event]);
      expect(denied.entries[0]).toMatchObject({ errorCode: 'AccessDeniedException' });
      expect(requests).toBe(1);
    } finally {
      over.destroy();
      server.close();
    }
  });
});
