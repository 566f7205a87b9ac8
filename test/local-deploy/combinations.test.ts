// Every construct combination the README shows deploys locally with deployLocally: moto's
// CloudFormation, its service APIs, and the loopback Roles Anywhere registry.
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { deployLocally } from '../../src/local/deploy';
import { MotoServer, startMoto } from '../../src/local/moto';
import { EXAMPLE_CA } from '../connector/fixtures';

const ENDPOINT = 'https://orders.example.com/events';

const COMBINATIONS: Array<[string, (stack: Stack, id: string) => EventBridgeConnector]> = [
  ['a connector in session mode', (s, id) => new EventBridgeConnector(s, id, {
    authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }),
  })],
  ['a connector in session mode with an archive and a receiver', (s, id) => {
    const c = new EventBridgeConnector(s, id, {
      archive: { retention: Duration.days(7) },
      authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }),
    });
    c.addReceiver('Receiver', { endpoint: ENDPOINT });
    return c;
  }],
  ['a connector in static mode', (s, id) => new EventBridgeConnector(s, id, { authentication: ConnectorAuthentication.staticCredentials() })],
  ['a connector in static mode with a receiver', (s, id) => {
    const c = new EventBridgeConnector(s, id, { authentication: ConnectorAuthentication.staticCredentials() });
    c.addReceiver('Receiver', { endpoint: ENDPOINT });
    return c;
  }],
];

describe('every README combination deploys locally', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  test.each(COMBINATIONS)('%s', async (_what, build) => {
    // One moto for all: each combination gets its own connector id, and so its own path.
    const n = COMBINATIONS.findIndex(([w]) => w === _what);
    const stackName = `Combination${n}`;
    const stack = new Stack(new App(), stackName);
    const connector = build(stack, `Orders${n}`);
    const registry = { addTrustAnchor: () => undefined, addProfile: () => undefined };
    const result = await deployLocally({ template: Template.fromStack(stack).toJSON(), stackName, endpoint: moto.endpoint, rolesAnywhere: registry });
    expect(result.outputs[`Orders${n}ParameterPath`]).toBe(`/eventbridge-connector/orders${n}`);

    const ssm = new SSMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      const keys: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await ssm.send(new GetParametersByPathCommand({ Path: `/eventbridge-connector/orders${n}`, NextToken }));
        keys.push(...(page.Parameters ?? []).map((p) => p.Name!.split('/').pop()!));
        NextToken = page.NextToken;
      } while (NextToken);
      expect(keys).toEqual(expect.arrayContaining(connector.parameters.keys));
    } finally {
      ssm.destroy();
    }
  });
});
