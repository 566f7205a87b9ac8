/**
 * A hostile resourceNamePrefix is refused at synth naming the value "bounded and escaped". Text
 * direction overrides and invisible characters are escaped too: shown raw, `orders\u202e.` prints
 * as a different name than the one refused (the "Trojan Source" trick), and `orders\u200b.` looks
 * like the valid `orders.`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';

function synthWithPrefix(resourceNamePrefix: string): void {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
  new EventBridgeConnector(stack, 'Orders', { authentication: ConnectorAuthentication.staticCredentials(), resourceNamePrefix });
  app.synth();
}

test.each([
  ['right-to-left override', 'orders\u202e.', '\\u202e'],
  ['zero-width space', 'orders\u200b.', '\\u200b'],
  ['left-to-right isolate', 'orders\u2066.', '\\u2066'],
  ['byte order mark', '\ufefforders.', '\\ufeff'],
])('a prefix with a %s is refused with that character escaped', (_name, prefix, escaped) => {
  expect(() => synthWithPrefix(prefix)).toThrow(escaped);
  expect(() => synthWithPrefix(prefix)).toThrow(/^invalid resourceNamePrefix '/);
  expect(() => synthWithPrefix(prefix)).not.toThrow(prefix);
});
