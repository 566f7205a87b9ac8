// Which connectors and receivers of one app can reach each other's parameters and names: only those
// that deploy into one account and region, compared by their text even when they hold tokens.
import { App, CfnParameter, Stack, Stage } from 'aws-cdk-lib';
import { ConnectorAuthentication, ConnectorReceiver, EventBridgeConnector, QueueReceiver } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';

const STATIC = ConnectorAuthentication.staticCredentials();
// A token path needs session mode: static mode derives its secret's name from a literal path.
const SESSION = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });
const EU = { account: '111111111111', region: 'eu-west-1' };
const orders = (stack: Stack, id = 'Orders', props = {}) => new EventBridgeConnector(stack, id, { authentication: STATIC, ...props });
const synth = (build: (app: App) => void) => () => {
  const app = new App();
  build(app);
  app.synth();
};
const inOneStack = (build: (stack: Stack) => void) => synth((app) => build(new Stack(app, 'Shop', { env: EU })));

describe('the same connector in several environments of one app', () => {
  test('two accounts', () => {
    expect(synth((app) => {
      orders(new Stack(app, 'Dev', { env: EU }));
      orders(new Stack(app, 'Prod', { env: { ...EU, account: '222222222222' } }));
    })).not.toThrow();
  });

  test('two regions of one account', () => {
    expect(synth((app) => {
      orders(new Stack(app, 'Eu', { env: EU }));
      orders(new Stack(app, 'Us', { env: { ...EU, region: 'us-east-1' } }));
    })).not.toThrow();
  });

  test('two stages', () => {
    expect(synth((app) => {
      orders(new Stack(new Stage(app, 'Dev', { env: EU }), 'Orders'));
      orders(new Stack(new Stage(app, 'Prod', { env: { ...EU, account: '222222222222' } }), 'Orders'));
    })).not.toThrow();
  });

  test('two stacks of one environment still collide', () => {
    expect(synth((app) => {
      orders(new Stack(app, 'A', { env: EU }));
      orders(new Stack(app, 'B', { env: EU }));
    })).toThrow(/connectors 'A\/Orders\/Parameters' and 'B\/Orders\/Parameters' both write parameter path '\/eventbridge-connector\/orders'/);
  });

  test('an env-agnostic stack deploys wherever the CLI points, so it may meet any other', () => {
    expect(synth((app) => {
      orders(new Stack(app, 'A'));
      orders(new Stack(app, 'B', { env: EU }));
    })).toThrow(/both write parameter path '\/eventbridge-connector\/orders'/);
  });
});

describe('tokens compare by their text', () => {
  test('one token as the parameterPath of two connectors', () => {
    expect(inOneStack((s) => {
      const path = new CfnParameter(s, 'Path').valueAsString;
      orders(s, 'A', { authentication: SESSION, parameterPath: path });
      orders(s, 'B', { authentication: SESSION, parameterPath: path });
    })).toThrow(/connectors 'Shop\/A\/Parameters' and 'Shop\/B\/Parameters' both write parameter path '\$\{Token\[/);
  });

  test('one token as the resourceNamePrefix of two connectors', () => {
    expect(inOneStack((s) => {
      const prefix = new CfnParameter(s, 'Prefix').valueAsString;
      orders(s, 'A', { resourceNamePrefix: prefix });
      orders(s, 'B', { resourceNamePrefix: prefix });
    })).toThrow(/both have resource name prefix '\$\{Token\[.*expected one prefix per connector/);
  });

  test('/x/<token> is under /x whatever the token', () => {
    expect(inOneStack((s) => {
      orders(s, 'A', { authentication: SESSION, parameterPath: '/x/' + new CfnParameter(s, 'Path').valueAsString });
      orders(s, 'B', { authentication: SESSION, parameterPath: '/x' });
    })).toThrow(/connector 'Shop\/A\/Parameters' writes parameter path '\/x\/\$\{Token\[.*under the path '\/x' of 'Shop\/B\/Parameters'/);
  });

  test('a.<token> is refused whatever the token: its grant would reach the names of a connector with prefix a.', () => {
    expect(inOneStack((s) => {
      orders(s, 'A', { resourceNamePrefix: 'a.' + new CfnParameter(s, 'Prefix').valueAsString });
    })).toThrow(/invalid resourceNamePrefix 'a\.\$\{Token\[.*expected letters, digits, '-' or '_' around its tokens and one '\.' at its end only/);
  });

  test('a-<token>. and <token>. are left to deployment', () => {
    expect(inOneStack((s) => {
      orders(s, 'A', { resourceNamePrefix: `a-${new CfnParameter(s, 'PrefixA').valueAsString}.` });
      orders(s, 'B', { resourceNamePrefix: `${new CfnParameter(s, 'PrefixB').valueAsString}.` });
    })).not.toThrow();
  });

  test('two different tokens are left to deployment', () => {
    expect(inOneStack((s) => {
      orders(s, 'A', { authentication: SESSION, parameterPath: new CfnParameter(s, 'PathA').valueAsString, resourceNamePrefix: 'a.' });
      orders(s, 'B', { authentication: SESSION, parameterPath: new CfnParameter(s, 'PathB').valueAsString, resourceNamePrefix: 'b.' });
    })).not.toThrow();
  });
});

describe('a standalone ConnectorReceiver is checked like a connector', () => {
  test('on the path of a connector that has a receiver', () => {
    expect(inOneStack((s) => {
      const a = orders(s, 'A');
      a.addReceiver('Receiver', { endpoint: 'https://a.example.com/' });
      new ConnectorReceiver(s, 'X', { eventBus: a.eventBus, endpoint: 'https://b.example.com/', parameterPath: '/eventbridge-connector/a', resourceNamePrefix: 'x.' });
    })).toThrow(/connector and receiver 'Shop\/A\/Parameters' and 'Shop\/X' both write parameter path '\/eventbridge-connector\/a'|receiver and connector 'Shop\/X' and 'Shop\/A\/Parameters' both write/);
  });

  test('with its own path but the prefix of a connector: its connection would fall in the connector\'s grant', () => {
    expect(inOneStack((s) => {
      const a = orders(s, 'A');
      new ConnectorReceiver(s, 'X', { eventBus: a.eventBus, endpoint: 'https://b.example.com/', parameterPath: '/other/x', resourceNamePrefix: 'a.' });
    })).toThrow(/connector and receiver 'Shop\/A\/Parameters' and 'Shop\/X' both have resource name prefix 'a\.'|receiver and connector 'Shop\/X' and 'Shop\/A\/Parameters' both have resource name prefix 'a\.'/);
  });

  test('the receiver a connector adds belongs to it and does not collide with it', () => {
    expect(inOneStack((s) => {
      orders(s, 'A').addReceiver('Receiver', { endpoint: 'https://a.example.com/' });
      new ConnectorReceiver(s, 'X', { eventBus: orders(s, 'B').eventBus, endpoint: 'https://b.example.com/', parameterPath: '/other/x', resourceNamePrefix: 'x.' });
    })).not.toThrow();
  });
});

describe('a standalone QueueReceiver is checked like a connector', () => {
  test('writing its queue keys under another connector\'s path', () => {
    expect(inOneStack((s) => {
      const a = orders(s, 'A');
      new QueueReceiver(s, 'X', { eventBus: a.eventBus, parameterPath: '/eventbridge-connector/a' });
    })).toThrow(/both write parameter path '\/eventbridge-connector\/a'/);
  });

  test('under a path nested in another connector\'s', () => {
    expect(inOneStack((s) => {
      const a = orders(s, 'A');
      new QueueReceiver(s, 'X', { eventBus: a.eventBus, parameterPath: '/eventbridge-connector/a/inbox' });
    })).toThrow(/receiver 'Shop\/X' writes parameter path '\/eventbridge-connector\/a\/inbox' under the path '\/eventbridge-connector\/a'/);
  });

  test('the queue receiver a connector adds belongs to it', () => {
    expect(inOneStack((s) => {
      orders(s, 'A').addQueueReceiver('Inbox', { sources: ['com.example.orders'] });
      new QueueReceiver(s, 'X', { eventBus: orders(s, 'B').eventBus, parameterPath: '/other/x' });
    })).not.toThrow();
  });
});

describe('two connectors naming one new event bus', () => {
  test('in one stack', () => {
    expect(inOneStack((s) => {
      orders(s, 'A', { eventBusName: 'shared' });
      orders(s, 'B', { eventBusName: 'shared' });
    })).toThrow(/connectors 'Shop\/A\/EventBus' and 'Shop\/B\/EventBus' both create event bus 'shared' in one account and region/);
  });

  test('in two stacks of one environment', () => {
    expect(synth((app) => {
      orders(new Stack(app, 'S', { env: EU }), 'A', { eventBusName: 'shared' });
      orders(new Stack(app, 'T', { env: EU }), 'B', { eventBusName: 'shared' });
    })).toThrow(/both create event bus 'shared'/);
  });

  test('in two accounts', () => {
    expect(synth((app) => {
      orders(new Stack(app, 'S', { env: EU }), 'A', { eventBusName: 'shared' });
      orders(new Stack(app, 'T', { env: { ...EU, account: '222222222222' } }), 'B', { eventBusName: 'shared' });
    })).not.toThrow();
  });
});
