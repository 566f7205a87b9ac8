/**
 * Endpoint settings the SDK honours (environment, shared config file, FIPS and dual-stack, base
 * paths) were ignored by the lean transport: a user testing against a local emulator sent to AWS.
 * For every setting, an SDK EventBridgeClient made as a user makes it, our lean transport and our
 * SDK transport (both wired as ConnectorClient wires them) must reach the same host and path.
 * Connections go to a loopback recorder whatever the host, so public hostnames are recorded too.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ConnectorClient } from '../../src/runtime/client';
import { leanPutEvents, SdkConfigLike } from '../../src/runtime/put-events/lean-transport';
import { sdkPutEvents } from '../../src/runtime/put-events/sdk-transport';
import { createSdkClients } from '../../src/runtime/sdk-config';
import { Arrival, endpointRecorder, withEndpointSettings } from '../runtime/put-events/endpoint-recorder';
import { TEST_CREDENTIALS } from '../runtime/put-events/sdk';

const REGION = 'us-east-1';
const ENTRY = { Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: '{}' };

interface Case {
  readonly name: string;
  readonly env?: Record<string, string>;
  /** The shared config file's text. */
  readonly config?: string;
  /** The client's `endpoint` option. */
  readonly endpoint?: string;
  /** Where the request must arrive; or the error all three must refuse with. */
  readonly expected: Arrival | { readonly error: RegExp };
}

const REGIONAL = { host: 'events.us-east-1.amazonaws.com', path: '/' };

const CASES: Case[] = [
  { name: 'nothing set: the regional endpoint', expected: REGIONAL },
  { name: 'AWS_USE_FIPS_ENDPOINT', env: { AWS_USE_FIPS_ENDPOINT: 'true' }, expected: { host: 'events-fips.us-east-1.amazonaws.com', path: '/' } },
  { name: 'use_fips_endpoint in the profile', config: '[default]\nuse_fips_endpoint = true\n', expected: { host: 'events-fips.us-east-1.amazonaws.com', path: '/' } },
  { name: 'AWS_USE_DUALSTACK_ENDPOINT', env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' }, expected: { host: 'events.us-east-1.api.aws', path: '/' } },
  { name: 'FIPS and dual-stack in the profile', config: '[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n', expected: { host: 'events-fips.us-east-1.api.aws', path: '/' } },
  { name: 'AWS_ENDPOINT_URL with a base path', env: { AWS_ENDPOINT_URL: 'http://all-services.test:4000/base' }, expected: { host: 'all-services.test:4000', path: '/base/' } },
  {
    name: 'AWS_ENDPOINT_URL_EVENTBRIDGE over AWS_ENDPOINT_URL',
    env: { AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://eventbridge-only.test:4001/eb/', AWS_ENDPOINT_URL: 'http://all-services.test:4000' },
    expected: { host: 'eventbridge-only.test:4001', path: '/eb/' },
  },
  { name: 'endpoint_url in the profile', config: '[default]\nendpoint_url = http://profile.test:4002/p\n', expected: { host: 'profile.test:4002', path: '/p/' } },
  {
    name: 'endpoint_url of a services section over the profile\'s',
    config: '[default]\nservices = local\nendpoint_url = http://profile.test:4002\n\n[services local]\neventbridge =\n  endpoint_url = http://services-section.test:4003/s/\n',
    expected: { host: 'services-section.test:4003', path: '/s/' },
  },
  {
    name: 'a services section without eventbridge: the profile\'s endpoint_url',
    config: '[default]\nservices = local\nendpoint_url = http://profile.test:4002\n\n[services local]\nsqs =\n  endpoint_url = http://sqs-only.test:4004\n',
    expected: { host: 'profile.test:4002', path: '/' },
  },
  {
    name: 'the environment over the config file',
    env: { AWS_ENDPOINT_URL: 'http://all-services.test:4000' },
    config: '[default]\nendpoint_url = http://profile.test:4002\n',
    expected: { host: 'all-services.test:4000', path: '/' },
  },
  {
    name: 'AWS_PROFILE selects the profile whose endpoint_url counts',
    env: { AWS_PROFILE: 'emulator' },
    config: '[default]\nendpoint_url = http://profile.test:4002\n\n[profile emulator]\nendpoint_url = http://emulator.test:4005/e\n',
    expected: { host: 'emulator.test:4005', path: '/e/' },
  },
  {
    name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: environment and config file ignored',
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://eventbridge-only.test:4001' },
    config: '[default]\nendpoint_url = http://profile.test:4002\n',
    expected: REGIONAL,
  },
  {
    name: 'ignore_configured_endpoint_urls in the profile',
    env: { AWS_ENDPOINT_URL: 'http://all-services.test:4000' },
    config: '[default]\nignore_configured_endpoint_urls = true\nendpoint_url = http://profile.test:4002\n',
    expected: REGIONAL,
  },
  {
    name: 'the endpoint option over everything configured, its base path kept',
    env: { AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://eventbridge-only.test:4001' },
    config: '[default]\nendpoint_url = http://profile.test:4002\n',
    endpoint: 'http://option.test:4006/base',
    expected: { host: 'option.test:4006', path: '/base/' },
  },
  {
    name: 'FIPS with a configured endpoint: refused as the SDK refuses it',
    env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL: 'http://all-services.test:4000' },
    expected: { error: /FIPS and custom endpoint are not supported/ },
  },
  {
    // The SDK's config loader turns the missing section's error into "not configured".
    name: 'a profile naming a services section that is not there: the regional endpoint, as the SDK',
    config: '[default]\nservices = missing\nendpoint_url = http://profile.test:4002\n',
    expected: REGIONAL,
  },
];

/** What a user's own SDK client, our lean transport and our SDK transport did with one request each. */
async function threeWays(c: Case): Promise<Record<'user' | 'lean' | 'sdk', Arrival | { error: string }>> {
  const recorder = await endpointRecorder();
  try {
    return await withEndpointSettings(c.env ?? {}, c.config ?? '', async () => {
      const outcome = async (send: () => Promise<unknown>): Promise<Arrival | { error: string }> => {
        const before = recorder.arrivals.length;
        try {
          await send();
        } catch (error) {
          return { error: (error as Error).message };
        }
        const arrived = recorder.arrivals.length - before;
        return arrived === 1 ? recorder.arrivals[before] : { error: `${arrived} requests arrived` };
      };
      const user = new EventBridgeClient({
        region: REGION,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
        requestHandler: { httpAgent: recorder.agents.http, httpsAgent: recorder.agents.https },
        ...(c.endpoint !== undefined && { endpoint: c.endpoint }),
      });
      const ours = createSdkClients({
        region: REGION,
        credentials: TEST_CREDENTIALS,
        endpoints: { ...(c.endpoint !== undefined && { events: c.endpoint }) },
        requestTimeoutMs: 10_000,
        connectTimeoutMs: 5_000,
        maxAttempts: 1,
        maxSockets: 50,
        agents: recorder.agents,
      });
      const config = ours.ownPutEvents!.config as SdkConfigLike;
      const lean = leanPutEvents({ config, agents: ours.agents, requestTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
      const sdk = sdkPutEvents(ours.clients.putEvents, 10_000);
      try {
        return {
          user: await outcome(() => user.send(new PutEventsCommand({ Entries: [ENTRY] }))),
          lean: await outcome(() => lean([ENTRY])),
          sdk: await outcome(() => sdk([ENTRY])),
        };
      } finally {
        user.destroy();
        for (const client of ours.owned) client.destroy?.();
      }
    });
  } finally {
    await recorder.close();
  }
}

describe('both transports reach the endpoint an SDK client reaches, for every endpoint setting it reads', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const outcomes = await threeWays(c);
    if ('error' in c.expected) {
      expect(outcomes.user).toEqual({ error: expect.stringMatching(c.expected.error) });
    } else {
      expect(outcomes.user).toEqual(c.expected);
    }
    expect(outcomes.lean).toEqual(outcomes.user);
    expect(outcomes.sdk).toEqual(outcomes.user);
  });
});

describe('ConnectorClient (lean by default) sends to the endpoint the environment and config file name', () => {
  test.each([
    ['AWS_ENDPOINT_URL_EVENTBRIDGE', (url: string) => ({ env: { AWS_ENDPOINT_URL_EVENTBRIDGE: `${url}/emulator` }, config: '' })],
    ['a services section of the config file', (url: string) => ({ env: {}, config: `[default]\nservices = local\n\n[services local]\neventbridge =\n  endpoint_url = ${url}/emulator/\n` })],
  ])('%s', async (_name, setting) => {
    const recorder = await endpointRecorder();
    const { env, config } = setting(recorder.url);
    try {
      await withEndpointSettings(env, config, async () => {
        for (const transport of ['lean', 'sdk'] as const) {
          const client = new ConnectorClient({ region: REGION, eventBusName: 'orders', credentials: TEST_CREDENTIALS, putEvents: { transport } });
          const result = await client.putEvents([{ source: 'com.example.orders', detailType: 'OrderPlaced', detail: {} }]);
          client.destroy();
          expect(result.entries).toEqual([{ eventId: 'e-0' }]);
        }
      });
    } finally {
      await recorder.close();
    }
    expect(recorder.arrivals.map((a) => a.path)).toEqual(['/emulator/', '/emulator/']);
  });
});
