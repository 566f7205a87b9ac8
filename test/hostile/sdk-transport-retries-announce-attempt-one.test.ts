/**
 * Over the SDK transport every retry said `amz-sdk-request: attempt=1; max=1`: the SDK client
 * makes one attempt per request (the sender retries), and its retry middleware wrote its own
 * count. Each request must announce the sender's attempt and maximum.
 */
import { EventSender } from '../../src/runtime/put-events';
import { listen, putEventsOver } from '../runtime/put-events/sdk';

test('retries over the SDK transport announce attempt=N; max=M', async () => {
  const announced: string[] = [];
  const { server, endpoint } = await listen((req, res, body) => {
    announced.push(String(req.headers['amz-sdk-request']));
    if (announced.length < 3) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ FailedEntryCount: 0, Entries: (JSON.parse(body) as { Entries: unknown[] }).Entries.map(() => ({ EventId: 'e-1' })) }));
  });
  const over = putEventsOver('sdk', endpoint, { maxAttempts: 4 });
  try {
    const result = await new EventSender(over.putEvents, { baseDelayMs: 1, maxAttempts: 4 }).send([{ source: 'com.example.orders', detailType: 'OrderPlaced', detail: {} }]);
    expect(result.entries).toEqual([{ eventId: 'e-1' }]);
    expect(announced).toEqual(['attempt=1; max=4', 'attempt=2; max=4', 'attempt=3; max=4']);
  } finally {
    over.destroy();
    server.close();
  }
});
