// The loopback global endpoint and outage proxy (docs/multi-region.md, "Run it locally") given
// options that cannot describe an endpoint: they started and answered anyway (a "failover" to the
// same region, requests to a URL that cannot be reached, an EndpointId no client can send), so
// the test built on them passed or failed for the wrong reason. Each is refused by name.
import { startGlobalEndpoint, GlobalEndpointOptions } from '../../src/local/global-endpoint';
import { startRegionOutageProxy } from '../../src/local/region-outage';

const GOOD: GlobalEndpointOptions = {
  endpointId: 'abcde.fgh',
  primary: { region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' },
  secondary: { region: 'us-west-2', endpoint: 'http://127.0.0.1:5000' },
  secretFor: () => undefined,
};

test.each<[string, Partial<GlobalEndpointOptions>, string]>([
  ['an EndpointId of another form', { endpointId: 'not an id' }, "invalid endpointId 'not an id': expected a global endpoint's EndpointId such as abcde.veo"],
  ['the same region twice', { secondary: { ...GOOD.secondary, region: 'us-east-1' } }, "invalid secondary.region 'us-east-1': it is the primary region too, expected another region"],
  ['a region that is no region code', { secondary: { ...GOOD.secondary, region: 'West 2' } }, "invalid secondary.region 'West 2': expected a region code such as eu-west-1"],
  ['an endpoint that is no URL', { primary: { ...GOOD.primary, endpoint: 'moto' } }, "invalid primary.endpoint 'moto': expected the URL of moto or a loopback service"],
  ['no secretFor', { secretFor: undefined as never }, "invalid secretFor 'undefined': expected a function from access key id to secret key"],
])('a global endpoint stand-in with %s is refused before it listens', async (_what, change, message) => {
  await expect(startGlobalEndpoint({ ...GOOD, ...change })).rejects.toThrow(message);
});

test('the stand-in starts on good options, and the outage proxy refuses a target that is no http URL', async () => {
  const global = await startGlobalEndpoint(GOOD);
  await global.stop();
  expect(global.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  for (const target of ['moto', 'https://127.0.0.1:5000']) {
    await expect(startRegionOutageProxy({ target })).rejects.toThrow(`invalid target '${target}': expected the URL of moto or a loopback service`);
  }
});
