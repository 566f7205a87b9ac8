// A multi-region connector's `globalEndpoint.secondaryTrustAnchorArn` pins the role's trust to
// the secondary region stack's trust anchor (docs/multi-region.md, "What the role may do"). A
// pasted ARN of the primary region, a third region or another account synthesized before, and the
// role then trusted no session of the secondary region: found only during an outage, when
// CreateSession there is refused. Synthesis refuses a literal one; a token is the caller's.
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';
import { ACCOUNT, PRIMARY, SECONDARY, twoRegionApp } from '../secondary-region/fixtures';

const UUID = '0123abcd-0123-4567-89ab-0123456789ab';
const anchorIn = (region: string, account = ACCOUNT) => `arn:aws:rolesanywhere:${region}:${account}:trust-anchor/${UUID}`;

test('a trust anchor of the primary region is refused, naming the ARN and the secondary region', () => {
  expect(() => twoRegionApp({ globalEndpoint: { secondaryTrustAnchorArn: anchorIn(PRIMARY) } }))
    .toThrow(`invalid globalEndpoint.secondaryTrustAnchorArn '${anchorIn(PRIMARY)}': it is in region ${PRIMARY}, expected region ${SECONDARY}`);
});

test('a trust anchor of a third region is refused', () => {
  expect(() => twoRegionApp({ globalEndpoint: { secondaryTrustAnchorArn: anchorIn('us-east-1') } }))
    .toThrow(`it is in region us-east-1, expected region ${SECONDARY}`);
});

test('a trust anchor of another account is refused when the stack\'s account is literal', () => {
  expect(() => twoRegionApp({ globalEndpoint: { secondaryTrustAnchorArn: anchorIn(SECONDARY, '999999999999') } }))
    .toThrow(`it is in account 999999999999, expected account ${ACCOUNT}`);
});

test('the secondary region\'s trust anchor, any account\'s under the CLI\'s account, and a token ARN synthesize', () => {
  expect(() => twoRegionApp({ globalEndpoint: { secondaryTrustAnchorArn: anchorIn(SECONDARY) } })).not.toThrow();
  for (const arn of [anchorIn(SECONDARY, '999999999999'), Lazy.string({ produce: () => anchorIn(SECONDARY) })]) {
    const app = new App();
    const stack = new Stack(app, 'OrdersPrimary', { env: { region: PRIMARY } });
    new EventBridgeConnector(stack, 'Orders', {
      eventBusName: 'orders',
      secondaryRegion: SECONDARY,
      globalEndpoint: { secondaryTrustAnchorArn: arn },
      authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }),
    });
    expect(() => app.synth()).not.toThrow();
  }
});
