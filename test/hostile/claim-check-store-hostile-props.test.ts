// Claim-check props a careless or hostile caller could write: each fails synth with a message
// naming the value, before a bucket exists; tokens pass where deployment checks them, but not
// where the literal rest of a key prefix would widen a grant.
import { App, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ClaimCheckStore, ClaimCheckStoreProps, ConnectorAuthentication, EventBridgeConnector } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';

const SESSION = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });
const newStack = () => new Stack(new App(), 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });

describe('ClaimCheckStore refuses', () => {
  test.each<[string, ClaimCheckStoreProps, string]>([
    ['a retention under a day', { retention: Duration.hours(12) }, "invalid retention '12 hours': expected a whole number of days, at least 1"],
    ['a retention of part days', { retention: Duration.hours(36) }, "invalid retention '1 day 12 hours': expected a whole number of days"],
    ['a zero retention', { retention: Duration.days(0) }, "invalid retention '0 days'"],
    ['a prefix without its closing /', { keyPrefix: 'payloads' }, "invalid keyPrefix 'payloads': expected segments of letters"],
    ['an empty prefix (the whole bucket)', { keyPrefix: '' }, "invalid keyPrefix '': expected segments"],
    ['a wildcard in the prefix', { keyPrefix: 'pay*/' }, "invalid keyPrefix 'pay*/'"],
    ['a ? in the prefix', { keyPrefix: 'pay?/' }, "invalid keyPrefix 'pay?/'"],
    ['a leading /', { keyPrefix: '/payloads/' }, "invalid keyPrefix '/payloads/'"],
    ['an empty segment', { keyPrefix: 'payloads//' }, "invalid keyPrefix 'payloads//'"],
    ['a .. segment', { keyPrefix: 'payloads/../' }, "invalid keyPrefix 'payloads/../': '.' and '..' segments are not allowed"],
    ['a new line, escaped in the message', { keyPrefix: 'pay\nloads/' }, "invalid keyPrefix 'pay\\nloads/'"],
    ['a prefix too long for an S3 key', { keyPrefix: `${'a'.repeat(600)}/` }, '601 characters, expected at most 512'],
    ['an upper-case bucket name', { bucketName: 'Payloads' }, "invalid bucketName 'Payloads': expected 3 to 63 lower-case letters"],
    ['a bucket name like an IP address', { bucketName: '192.168.1.1' }, "invalid bucketName '192.168.1.1'"],
    ['a log prefix without a log bucket', { serverAccessLogsPrefix: 'logs/' }, "invalid serverAccessLogsPrefix 'logs/': no serverAccessLogsBucket is given"],
  ])('%s', (_what, props, message) => {
    const stack = newStack();
    expect(() => new ClaimCheckStore(stack, 'Payloads', props)).toThrow(message);
    expect(stack.node.tryFindChild('Payloads')).toBeUndefined();
  });

  test('a grant on a prefix with a wildcard', () => {
    const stack = newStack();
    const store = new ClaimCheckStore(stack, 'Payloads');
    const role = new EventBridgeConnector(stack, 'Orders', { authentication: SESSION }).role!;
    expect(() => store.grantRead(role, '*')).toThrow("invalid keyPrefix '*'");
    expect(() => store.grantWrite(role, 'orders')).toThrow("invalid keyPrefix 'orders'");
  });
});

describe('tokens', () => {
  test('a token retention, bucket name and a prefix of a token then a literal / pass', () => {
    const stack = newStack();
    const store = new ClaimCheckStore(stack, 'Payloads', {
      retention: Duration.days(Token.asNumber(Lazy.number({ produce: () => 20 }))),
      bucketName: Lazy.string({ produce: () => 'shop-payloads' }),
      keyPrefix: `${Lazy.string({ produce: () => 'tenant-a' })}/`,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'shop-payloads',
      LifecycleConfiguration: { Rules: [{ Id: 'ExpirePayloads', Prefix: 'tenant-a/', ExpirationInDays: 20, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }] },
    });
    expect(Stack.of(store).resolve(store.keyPrefix)).toBe('tenant-a/');
  });

  test('a prefix that ends in a token is refused: the token could drop the closing /', () => {
    expect(() => new ClaimCheckStore(newStack(), 'Payloads', { keyPrefix: `payloads/${Lazy.string({ produce: () => 'x' })}` }))
      .toThrow(/invalid keyPrefix .*a literal '\/' at its end/);
  });

  test('a wildcard beside a token is refused', () => {
    expect(() => new ClaimCheckStore(newStack(), 'Payloads', { keyPrefix: `${Lazy.string({ produce: () => 'x' })}*/` })).toThrow(/invalid keyPrefix/);
  });
});

describe('the connector option refuses', () => {
  test('bucket options beside a given store, naming them', () => {
    const stack = newStack();
    const store = new ClaimCheckStore(stack, 'Payloads');
    expect(() => new EventBridgeConnector(stack, 'Orders', { authentication: SESSION, claimCheck: { store, retention: Duration.days(3), serverAccessLogsBucket: new s3.Bucket(stack, 'Logs') } }))
      .toThrow('invalid claimCheck retention, serverAccessLogsBucket: a store is given, and these are the store\'s own');
  });

  test('a bad retention of a new store, before the connector exists', () => {
    const stack = newStack();
    expect(() => new EventBridgeConnector(stack, 'Orders', { authentication: SESSION, claimCheck: { retention: Duration.minutes(90) } }))
      .toThrow("invalid claimCheck retention '1 hour 30 minutes'");
    expect(stack.node.tryFindChild('Orders')).toBeUndefined();
  });

  test('a bad key prefix of its own', () => {
    expect(() => new EventBridgeConnector(newStack(), 'Orders', { authentication: SESSION, claimCheck: { keyPrefix: 'orders*' } }))
      .toThrow("invalid claimCheck keyPrefix 'orders*'");
  });

  test('two connectors with one prefix in a shared store, or one under the other', () => {
    const stack = newStack();
    const store = new ClaimCheckStore(stack, 'Payloads');
    new EventBridgeConnector(stack, 'Orders', { authentication: SESSION, eventBusName: 'orders', claimCheck: { store } });
    expect(() => new EventBridgeConnector(stack, 'Copy', { authentication: SESSION, eventBusName: 'copy', claimCheck: { store, keyPrefix: 'orders/' } }))
      .toThrow("invalid claimCheck keyPrefix 'orders/' of 'Shop/Copy': its payloads under 'payloads/orders/' would overlap 'payloads/orders/' of 'Shop/Orders'");
    expect(() => new EventBridgeConnector(stack, 'Nested', { authentication: SESSION, eventBusName: 'nested', claimCheck: { store, keyPrefix: 'orders/eu/' } }))
      .toThrow("would overlap 'payloads/orders/' of 'Shop/Orders'");
  });
});
