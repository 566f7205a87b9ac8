// The spans and metrics name their instrumentation scope with the package's version, so a
// backend can tell which release of the connector made them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Otel, startOtel } from './support';
import { EventBridgeEndpoint, startEventBridgeEndpoint } from '../../../src/local/eventbridge-endpoint';
import { ConnectorClient } from '../../../src/runtime';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

let endpoint: EventBridgeEndpoint;
let otel: Otel;
let client: ConnectorClient;

afterEach(async () => {
  client?.destroy();
  await endpoint?.stop();
  await otel?.shutdown();
});

test('spans and metrics carry the scope cdk-eventbridge-connector at the package version', async () => {
  otel = startOtel();
  endpoint = await startEventBridgeEndpoint();
  client = new ConnectorClient({ region: 'us-east-1', eventBusName: 'orders', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoint: endpoint.endpoint });
  await client.putEvent({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } });
  const [create] = otel.named('create orders');
  expect(create.instrumentationScope).toEqual(expect.objectContaining({ name: 'cdk-eventbridge-connector', version: VERSION }));
  await otel.reader.forceFlush();
  const scopes = otel.metrics.getMetrics().flatMap((r) => r.scopeMetrics.map((s) => s.scope));
  expect(scopes).toContainEqual(expect.objectContaining({ name: 'cdk-eventbridge-connector', version: VERSION }));
});
