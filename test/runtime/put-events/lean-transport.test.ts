import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { listen, putEventsOver, TEST_CREDENTIALS, TRANSPORTS } from './sdk';
import { EventSender } from '../../../src/runtime/put-events';
import { resolveTarget } from '../../../src/runtime/put-events/lean-transport';
import { classifyRequestError } from '../../../src/runtime/put-events/retry';

const event = { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n: 1 } };


interface EndpointConfig { region: string; useFipsEndpoint?: boolean; useDualstackEndpoint?: boolean; endpoint?: string }

describe('the endpoint is the one the SDK\'s ruleset gives, resolved once per client', () => {
  test.each<[EndpointConfig, string, string]>([
    [{ region: 'eu-west-1' }, 'https://events.eu-west-1.amazonaws.com/', 'eu-west-1'],
    [{ region: 'cn-north-1' }, 'https://events.cn-north-1.amazonaws.com.cn/', 'cn-north-1'],
    [{ region: 'us-gov-west-1', useFipsEndpoint: true }, 'https://events.us-gov-west-1.amazonaws.com/', 'us-gov-west-1'],
    [{ region: 'us-east-1', useFipsEndpoint: true }, 'https://events-fips.us-east-1.amazonaws.com/', 'us-east-1'],
    [{ region: 'eu-west-1', useDualstackEndpoint: true }, 'https://events.eu-west-1.api.aws/', 'eu-west-1'],
    // The ruleset gives `/base`; the SDK's JSON-RPC serializer sends to `/base/`, and so do we.
    [{ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4010/base' }, 'http://127.0.0.1:4010/base/', 'eu-west-1'],
  ])('%j -> %s', async (config, url, signingRegion) => {
    const client = new EventBridgeClient({ ...config, credentials: TEST_CREDENTIALS });
    const sdkUrl = client.config.endpointProvider({
      Region: config.region,
      UseFIPS: config.useFipsEndpoint ?? false,
      UseDualStack: config.useDualstackEndpoint ?? false,
      ...(config.endpoint !== undefined && { Endpoint: config.endpoint }),
    }).url.href;
    const target = await resolveTarget(client.config);
    client.destroy();
    expect(`${target.https ? 'https' : 'http'}://${target.host}${target.path}`).toBe(url);
    expect(sdkUrl.endsWith('/') ? sdkUrl : `${sdkUrl}/`).toBe(url);
    expect(target.signingRegion).toBe(signingRegion);
    expect(target.signingName).toBe('events');
  });
});

describe('clock skew is corrected from the Date header, as the SDK does', () => {
  test.each(TRANSPORTS)('a process clock 10 minutes slow: the first request is refused, the retry signed with the corrected clock passes (%s)', async (transport) => {
    const serverOffsetMs = 10 * 60_000;
    const dates: string[] = [];
    const { server, endpoint } = await listen((req, res, body) => {
      const now = Date.now() + serverOffsetMs;
      const amzDate = req.headers['x-amz-date'] as string;
      dates.push(amzDate);
      const signed = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      res.sendDate = false;
      const headers = { 'content-type': 'application/x-amz-json-1.1', 'date': new Date(now).toUTCString() };
      if (Math.abs(now - signed) > 5 * 60_000) {
        res.writeHead(400, headers);
        res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: 'Signature expired: the request is too old' }));
        return;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: JSON.parse(body).Entries.map(() => ({ EventId: 'e-1' })) }));
    });
    const over = putEventsOver(transport, endpoint);
    const result = await new EventSender(over.putEvents, { baseDelayMs: 1 }).send([event]);
    over.destroy();
    server.close();
    expect(result.entries).toEqual([{ eventId: 'e-1' }]);
    expect(dates).toHaveLength(2);
    expect(over.client.config.systemClockOffset).toBeGreaterThan(serverOffsetMs - 5_000);
  });
});

describe('error answers become the codes the SDK gives', () => {
  const ANSWERS: Array<[string, number, Record<string, string>, string]> = [
    ['__type with a namespace', 400, {}, JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'bad entries' })],
    ['X-Amzn-ErrorType header', 400, { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/' }, JSON.stringify({ Message: 'not allowed' })],
    ['capitalized Message', 400, {}, JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' })],
    ['a 5xx with a code', 500, {}, JSON.stringify({ __type: 'InternalException', message: 'oops' })],
    ['a body that is not JSON', 502, {}, '<html>Bad Gateway</html>'],
  ];

  test.each(ANSWERS)('%s', async (_name, status, headers, body) => {
    const { server, endpoint } = await listen((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers });
      res.end(body);
    });
    const outcomes: Record<string, ReturnType<typeof classifyRequestError>> = {};
    for (const transport of TRANSPORTS) {
      const over = putEventsOver(transport, endpoint);
      outcomes[transport] = classifyRequestError(await over.putEvents([{ Source: 's', DetailType: 'd', Detail: '{}' }]).then(() => 'no error', (e: unknown) => e));
      over.destroy();
    }
    server.close();
    expect({ code: outcomes.lean.code, retryable: outcomes.lean.retryable, status: outcomes.lean.httpStatusCode })
      .toEqual({ code: outcomes.sdk.code, retryable: outcomes.sdk.retryable, status: outcomes.sdk.httpStatusCode });
    expect(outcomes.lean.httpStatusCode).toBe(status);
    if (status < 502) expect(outcomes.lean.message).toBe(outcomes.sdk.message);
  });
});
