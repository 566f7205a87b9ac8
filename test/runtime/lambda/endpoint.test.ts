/**
 * The Lambda entry reaches the host and path an SDK EventBridge client reaches in the same
 * environment: every endpoint variable the SDK reads (values it takes and values it does not),
 * every region of every partition with FIPS and dual-stack on and off, and base paths on the
 * wire. The SDK side is the SDK's own resolution (main's put-events/endpoint.ts calls its
 * getEndpointFromInstructions) of a client made as a user makes it, with an empty shared config
 * file, as in Lambda.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PARTITIONS } from '../../../src/contract/regions.generated';
import { PutEventsClient } from '../../../src/runtime/lambda';
import { resolveEndpoint } from '../../../src/runtime/lambda/endpoint';
import { resolvePutEventsEndpoint } from '../../../src/runtime/put-events/endpoint';
import { endpointRecorder, withEndpointSettings } from '../put-events/endpoint-recorder';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

type Outcome = { host: string; path: string } | { error: string };

/** Where an SDK client and the Lambda entry send PutEvents with these variables set. */
async function bothWays(region: string, env: Record<string, string>): Promise<{ sdk: Outcome; lambda: Outcome }> {
  return withEndpointSettings(env, '', async () => {
    let sdk: Outcome;
    const client = new EventBridgeClient({ region, credentials: CREDENTIALS });
    try {
      const e = await resolvePutEventsEndpoint(client.config);
      sdk = { host: e.host, path: e.path };
    } catch (error) {
      sdk = { error: (error as Error).message };
    } finally {
      client.destroy();
    }
    let lambda: Outcome;
    try {
      const e = resolveEndpoint(process.env, region);
      lambda = { host: e.host, path: e.path };
    } catch (error) {
      lambda = { error: (error as Error).message };
    }
    return { sdk, lambda };
  });
}

const CASES: Array<[string, string, Record<string, string>]> = [
  ['nothing set', 'eu-west-1', {}],
  ['AWS_USE_FIPS_ENDPOINT', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }],
  ['AWS_USE_DUALSTACK_ENDPOINT', 'eu-west-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
  ['FIPS and dual-stack', 'us-east-2', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
  ['FIPS false', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'false' }],
  ['FIPS in capitals, which the SDK does not take', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'TRUE' }],
  ['FIPS 1, which the SDK does not take', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: '1' }],
  ['FIPS empty', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: '' }],
  ['GovCloud FIPS', 'us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' }],
  ['China dual-stack', 'cn-north-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
  ['a region of no partition: the aws partition, as the SDK', 'xx-middle-1', {}],
  ['AWS_ENDPOINT_URL with a base path', 'eu-west-1', { AWS_ENDPOINT_URL: 'http://all-services.test:4000/base' }],
  ['AWS_ENDPOINT_URL_EVENTBRIDGE over AWS_ENDPOINT_URL', 'eu-west-1', { AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://eventbridge-only.test:4001/eb/', AWS_ENDPOINT_URL: 'http://all-services.test:4000' }],
  ['an empty AWS_ENDPOINT_URL_EVENTBRIDGE: AWS_ENDPOINT_URL', 'eu-west-1', { AWS_ENDPOINT_URL_EVENTBRIDGE: '', AWS_ENDPOINT_URL: 'https://all-services.test' }],
  ['a deeper base path', 'eu-west-1', { AWS_ENDPOINT_URL: 'https://proxy.test/a/b' }],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'eu-west-1', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://eventbridge-only.test:4001' }],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS false', 'eu-west-1', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false', AWS_ENDPOINT_URL: 'http://all-services.test:4000' }],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS in capitals, not taken', 'eu-west-1', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE', AWS_ENDPOINT_URL: 'http://all-services.test:4000' }],
  ['FIPS with a configured endpoint: refused', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL: 'http://all-services.test:4000' }],
  ['dual-stack with a configured endpoint: refused', 'us-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_ENDPOINT_URL: 'http://all-services.test:4000' }],
  ['FIPS with an ignored configured endpoint', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://all-services.test:4000' }],
];

describe('the Lambda entry resolves the endpoint an SDK client resolves', () => {
  test.each(CASES)('%s', async (_name, region, env) => {
    const { sdk, lambda } = await bothWays(region, env);
    if ('error' in sdk) {
      expect(lambda).toEqual({ error: expect.stringContaining(sdk.error) });
    } else {
      expect(lambda).toEqual(sdk);
    }
  });

  test('every region of every partition, FIPS and dual-stack on and off', async () => {
    const differing: string[] = [];
    let compared = 0;
    for (const partition of PARTITIONS) {
      for (const region of Object.keys(partition.regions)) {
        for (const fips of ['true', 'false']) {
          for (const dualStack of ['true', 'false']) {
            const { sdk, lambda } = await bothWays(region, { AWS_USE_FIPS_ENDPOINT: fips, AWS_USE_DUALSTACK_ENDPOINT: dualStack });
            compared++;
            if (JSON.stringify(sdk) !== JSON.stringify(lambda)) differing.push(`${region} fips=${fips} dualstack=${dualStack}: sdk ${JSON.stringify(sdk)} lambda ${JSON.stringify(lambda)}`);
          }
        }
      }
    }
    expect(differing).toEqual([]);
    expect(compared).toBeGreaterThan(150);
  });
});

describe('on the wire: an SDK client and PutEventsClient send to the same path of a configured endpoint', () => {
  let recorder: Awaited<ReturnType<typeof endpointRecorder>>;
  beforeAll(async () => {
    recorder = await endpointRecorder();
  });
  afterAll(() => recorder.close());

  test.each([
    ['AWS_ENDPOINT_URL_EVENTBRIDGE with a base path', (url: string) => ({ AWS_ENDPOINT_URL_EVENTBRIDGE: `${url}/emulator` })],
    ['AWS_ENDPOINT_URL with a base path and slash', (url: string) => ({ AWS_ENDPOINT_URL: `${url}/all/services/` })],
    ['the root', (url: string) => ({ AWS_ENDPOINT_URL: url })],
  ])('%s', async (_name, setting) => {
    const env = { ...setting(recorder.url), AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
    recorder.arrivals.length = 0;
    await withEndpointSettings(env, '', async () => {
      const sdk = new EventBridgeClient({ region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
      await sdk.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: '{}' }] }));
      sdk.destroy();
      const ours = new PutEventsClient();
      try {
        expect(await ours.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: {} })).toBe('e-0');
      } finally {
        ours.close();
      }
    });
    expect(recorder.arrivals).toHaveLength(2);
    expect(recorder.arrivals[1]).toEqual(recorder.arrivals[0]);
  });
});
