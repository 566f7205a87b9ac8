/**
 * The Lambda entry: a handler bundled with it (esbuild, ESM, minified, as NodejsFunction bundles)
 * carries none of the AWS SDK's EventBridge, SSM or STS clients, and the client sends to a
 * loopback EventBridge endpoint with the credentials, region and bus of its environment.
 */
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { startEventBridgeEndpoint, EventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { PutEventsClient } from '../../../src/runtime/lambda';

const ROOT = join(__dirname, '../../..');

test('a handler bundle of runtime/lambda has no SDK client, SSM, STS or Roles Anywhere code', () => {
  const { metafile } = buildSync({
    stdin: {
      contents: "import { PutEventsClient } from './src/runtime/lambda'; const events = new PutEventsClient(); export const handler = () => events.putEvent({ source: 'a', detailType: 'b', detail: {} });",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  // What the bundle carries: esbuild parses modules a used file imports (http-errors.ts imports
  // the SDK's error-code reader, which the main client uses) and drops what nothing uses.
  const [output] = Object.values(metafile!.outputs);
  const inputs = Object.entries(output.inputs).filter(([, use]) => use.bytesInOutput > 0).map(([input]) => input);
  expect(inputs).toContain('src/runtime/put-events/sender.ts');
  expect(inputs.filter((input) => /@aws-sdk[\\/]|@smithy[\\/]|src[\\/]runtime[\\/](credentials|constants|activities)[\\/]/.test(input))).toEqual([]);
});

describe('PutEventsClient from the environment', () => {
  let endpoint: EventBridgeEndpoint;
  beforeAll(async () => {
    endpoint = await startEventBridgeEndpoint();
  });
  afterAll(() => endpoint.stop());

  const environment = (extra: Record<string, string> = {}) => ({
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'token',
    AWS_REGION: 'eu-west-1',
    EVENTBRIDGE_CONNECTOR_EVENT_BUS_NAME: 'orders',
    ...extra,
  });

  test('sends to the loopback endpoint and gets EventIds, on the bus of the environment', async () => {
    const client = new PutEventsClient({ environment: environment({ AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.endpoint }) });
    try {
      const id = await client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { id: 1 } });
      const many = await client.putEvents(Array.from({ length: 25 }, (_, i) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { i } })));
      expect(many.failedEntryCount).toBe(0);
      for (const eventId of [id, ...many.entries.map((e) => e.eventId!)]) expect(endpoint.accepted.get(eventId)?.eventBusName).toBe('orders');
      expect(client.region).toBe('eu-west-1');
    } finally {
      client.close();
    }
  });

  test('refuses at construction an environment without credentials or region', () => {
    expect(() => new PutEventsClient({ environment: { AWS_REGION: 'eu-west-1' } })).toThrow(/no credentials: AWS_ACCESS_KEY_ID is not set/);
    expect(() => new PutEventsClient({ environment: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' } })).toThrow(/no region/);
  });
});
