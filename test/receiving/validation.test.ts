import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { busStack, ENDPOINT } from './receiver-stack';
import { ConnectorReceiver, ConnectorReceiverProps } from '../../src/receiving';

type Overrides = (stack: Stack) => Partial<ConnectorReceiverProps>;

const BAD_INPUTS: Array<[string, Overrides, string]> = [
  ['an endpoint that is not a URL', () => ({ endpoint: 'orders.example.com/events' }),
    "invalid endpoint 'orders.example.com/events': expected an https:// URL such as https://app.example.com/events"],
  ['a plain HTTP endpoint', () => ({ endpoint: 'http://orders.example.com/events' }),
    "invalid endpoint 'http://orders.example.com/events': API destinations only call HTTPS endpoints"],
  ['an endpoint with credentials in it', () => ({ endpoint: 'https://admin:hunter2@orders.example.com/events' }),
    "invalid endpoint 'https://***@orders.example.com/events': credentials in the URL are not allowed"],
  ['an endpoint with a fragment', () => ({ endpoint: 'https://orders.example.com/events#new' }),
    "invalid endpoint 'https://orders.example.com/events#new': a fragment is never sent to the server"],
  ['an endpoint with no host', () => ({ endpoint: 'https:///e' }),
    "invalid endpoint 'https:///e': no host, expected a host name after https://"],
  ['an endpoint with an empty DNS label', () => ({ endpoint: 'https://a..example.com/' }),
    "invalid endpoint 'https://a..example.com/': host 'a..example.com', expected a DNS name: labels of 1 to 63 ASCII letters"],
  ['an endpoint whose host starts with a hyphen', () => ({ endpoint: 'https://-a.example.com/' }),
    "host '-a.example.com', expected a DNS name"],
  ['an endpoint with a 64-character label', () => ({ endpoint: `https://${'a'.repeat(64)}.example.com/` }),
    'expected a DNS name: labels of 1 to 63'],
  ['an endpoint whose host ends with a dot', () => ({ endpoint: 'https://a.example.com./' }),
    "host 'a.example.com.' ends with '.', expected the host name without the trailing dot"],
  ['an endpoint with port 99999', () => ({ endpoint: 'https://a.example.com:99999/' }),
    "invalid endpoint 'https://a.example.com:99999/': port '99999', expected a port from 1 to 65535"],
  ['an endpoint with port 0', () => ({ endpoint: 'https://a.example.com:0/' }),
    "port '0', expected a port from 1 to 65535"],
  ['an endpoint with a Unicode host', () => ({ endpoint: 'https://bücher.example/' }),
    "invalid endpoint 'https://bücher.example/': host 'bücher.example' is not ASCII, expected the host name in punycode ('xn--bcher-kva.example')"],
  ['an endpoint with an IPv4 address out of range', () => ({ endpoint: 'https://10.0.0.256/' }),
    "host '10.0.0.256', expected an IPv4 address of four numbers from 0 to 255"],
  ['an endpoint at an IPv6 address, which CloudFormation refuses', () => ({ endpoint: 'https://[2001:db8::1]:8443/events' }),
    "host '[2001:db8::1]' is an IPv6 literal, expected a DNS name or an IPv4 address"],
  ['an endpoint over 2048 characters', () => ({ endpoint: `https://orders.example.com/${'e'.repeat(2030)}` }),
    '2057 characters, at most 2048 allowed'],
  ['a parameter path without a leading slash', () => ({ parameterPath: 'eventbridge-connector/orders' }),
    "invalid parameter path 'eventbridge-connector/orders': expected a path such as /eventbridge-connector/orders"],
  ['a parameter path under the reserved aws prefix', () => ({ parameterPath: '/aws/orders' }),
    "invalid parameter path '/aws/orders': paths may not begin with 'aws' or 'ssm'"],
  ['an empty event pattern', () => ({ eventPattern: {} }),
    'invalid eventPattern {}: EventBridge requires at least one field; leave eventPattern out to receive every event on the bus'],
  ['a header name with a space', () => ({ apiKeyHeaderName: 'x api key' }),
    "invalid apiKeyHeaderName 'x api key': expected an HTTP header name such as x-api-key"],
  ['a header name with a colon', () => ({ apiKeyHeaderName: 'x-api-key:' }),
    "invalid apiKeyHeaderName 'x-api-key:': expected an HTTP header name"],
  ['an empty header name', () => ({ apiKeyHeaderName: '' }),
    "invalid apiKeyHeaderName '': expected an HTTP header name"],
  ['a rate limit of 0', () => ({ rateLimitPerSecond: 0 }),
    'invalid rateLimitPerSecond 0: expected a whole number of invocations per second from 1 to 300'],
  ['a rate limit above 300', () => ({ rateLimitPerSecond: 301 }),
    'invalid rateLimitPerSecond 301: expected a whole number of invocations per second from 1 to 300'],
  ['a fractional rate limit', () => ({ rateLimitPerSecond: 2.5 }),
    'invalid rateLimitPerSecond 2.5: expected a whole number'],
  ['an HTTP method EventBridge does not send', () => ({ httpMethod: 'TRACE' as events.HttpMethod }),
    "invalid httpMethod 'TRACE': expected one of POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE"],
  ['negative retry attempts', () => ({ retryAttempts: -1 }),
    'invalid retryAttempts -1: expected a whole number of attempts from 0 to 185'],
  ['more than 185 retry attempts', () => ({ retryAttempts: 186 }),
    'invalid retryAttempts 186: expected a whole number of attempts from 0 to 185'],
  ['a maximum event age under a minute', () => ({ maxEventAge: Duration.seconds(59) }),
    'invalid maxEventAge 59 seconds: expected a whole number of seconds from 60 (1 minute) to 86400 (24 hours)'],
  ['a maximum event age over 24 hours', () => ({ maxEventAge: Duration.hours(25) }),
    'invalid maxEventAge 1 day 1 hour (90000 seconds): expected a whole number of seconds from 60 (1 minute) to 86400 (24 hours)'],
  ['a maximum event age in fractions of a second', () => ({ maxEventAge: Duration.millis(60_500) }),
    'invalid maxEventAge 1 minute 500 millis (60.5 seconds): expected a whole number of seconds'],
  ['a FIFO dead-letter queue', (stack) => ({ deadLetterQueue: new sqs.Queue(stack, 'Fifo', { fifo: true }) }),
    "invalid deadLetterQueue 'Orders/Fifo': EventBridge sends undelivered events only to standard queues, not FIFO queues"],
  ['a resource name prefix with a slash', () => ({ resourceNamePrefix: 'orders/' }),
    "invalid resourceNamePrefix 'orders/': expected 1 to 39 letters, digits, '-' or '_' ended by one '.', such as 'orders.'"],
  ['a resource name prefix without the delimiter, as the connector refuses it', () => ({ resourceNamePrefix: 'orders-' }),
    "invalid resourceNamePrefix 'orders-': expected 1 to 39 letters, digits, '-' or '_' ended by one '.', such as 'orders.' ('.' is the delimiter"],
  ['a resource name prefix too long to leave room for the generated name', () => ({ resourceNamePrefix: `${'p'.repeat(40)}.` }),
    `invalid resourceNamePrefix '${'p'.repeat(40)}.': expected 1 to 39 letters, digits, '-' or '_' ended by one '.' ('.' is the delimiter no prefix contains elsewhere, so one connector's names never start with another's prefix), at most 40 characters (it has 41)`],
  ['a token prefix with a literal delimiter before its end', (stack) => ({ resourceNamePrefix: `orders.${new CfnParameter(stack, 'Tail').valueAsString}` }),
    "invalid resourceNamePrefix 'orders.${Token["],
];

describe('ConnectorReceiver rejects bad input at synthesis, naming the value and what was expected', () => {
  test.each(BAD_INPUTS)('%s', (_what, overrides, message) => {
    const { stack, bus } = busStack();
    const props = { eventBus: bus, endpoint: ENDPOINT, ...overrides(stack) };
    expect(() => new ConnectorReceiver(stack, 'Receiver', props)).toThrow(message);
  });

  test('the message about credentials in the endpoint does not repeat the password', () => {
    const { stack, bus } = busStack();
    const endpoint = 'https://admin:hunter2@orders.example.com/events';
    let message = '';
    try {
      new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('credentials in the URL are not allowed');
    expect(message).not.toContain('hunter2');
  });
});

describe('the bounds themselves are accepted', () => {
  test.each<[string, Partial<ConnectorReceiverProps>]>([
    ['rate limit 1', { rateLimitPerSecond: 1 }],
    ['rate limit 300', { rateLimitPerSecond: 300 }],
    ['0 retry attempts', { retryAttempts: 0 }],
    ['185 retry attempts', { retryAttempts: 185 }],
    ['a maximum event age of 60 seconds', { maxEventAge: Duration.seconds(60) }],
    ['a maximum event age of 24 hours', { maxEventAge: Duration.hours(24) }],
    ['a 40-character prefix', { resourceNamePrefix: 'a-b_c'.padEnd(39, 'x') + '.' }],
    ['an endpoint at an IPv4 address', { endpoint: 'https://203.0.113.10:443/events' }],
    ['an endpoint in punycode', { endpoint: 'https://xn--bcher-kva.example/events' }],
    ['an endpoint with a port, a query and a path wildcard', { endpoint: 'https://orders.example.com:8443/events/*?tenant=eu' }],
  ])('%s', (_what, overrides) => {
    const { stack, bus } = busStack();
    expect(() => new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, ...overrides })).not.toThrow();
  });
});

test('values that are unresolved tokens are left for deployment to check', () => {
  const { stack, bus } = busStack();
  const text = (id: string) => new CfnParameter(stack, id, { type: 'String' }).valueAsString;
  const number = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
  new ConnectorReceiver(stack, 'Receiver', {
    eventBus: bus,
    endpoint: text('Endpoint'),
    parameterPath: text('Path'),
    apiKeyHeaderName: text('Header'),
    rateLimitPerSecond: number('Rate'),
    retryAttempts: number('Retries'),
    maxEventAge: Duration.seconds(number('MaxAge')),
    resourceNamePrefix: text('Prefix'),
    httpMethod: text('Method') as events.HttpMethod,
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Events::ApiDestination', {
    InvocationEndpoint: { Ref: 'Endpoint' },
    InvocationRateLimitPerSecond: { Ref: 'Rate' },
    HttpMethod: { Ref: 'Method' },
  });
  template.hasResourceProperties('AWS::Events::Connection', {
    AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: { Ref: 'Header' } } },
  });
  template.hasResourceProperties('AWS::Events::Rule', {
    Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: { Ref: 'Retries' }, MaximumEventAgeInSeconds: { Ref: 'MaxAge' } } })],
  });
});
