import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { busStack, ENDPOINT, logicalIdOf, receiverStack } from './receiver-stack';
import { ParameterKey, ParameterKeys, parameterName, parseSecretReference, RECEIVING_KEYS } from '../../src/contract';
import { ConnectorReceiver } from '../../src/receiving';
import { writeReceivingParameters } from '../../src/receiving/receiving-parameters';

const PATH = '/eventbridge-connector/orders';

describe('receiving parameters under a path', () => {
  const { stack, receiver } = receiverStack({ parameterPath: PATH, apiKeyHeaderName: 'x-orders-key' });
  const template = Template.fromStack(stack);
  const parameters = Object.values(template.findResources('AWS::SSM::Parameter')).map((r) => r.Properties);
  const valueOf = (key: ParameterKey) => parameters.find((p) => p.Name === parameterName(PATH, key))?.Value;

  test('one String parameter per receiving key of the contract, named <path>/<key>', () => {
    expect(parameters.map((p) => p.Name).sort()).toEqual(RECEIVING_KEYS.map((k) => `${PATH}/${k}`).sort());
    expect(parameters.every((p) => p.Type === 'String')).toBe(true);
    expect(receiver.parameterPath).toBe(PATH);
  });

  test('names and ARNs come from the connection and the API destination', () => {
    expect(valueOf(ParameterKeys.CONNECTION_NAME)).toEqual({ Ref: logicalIdOf(receiver.connection) });
    expect(valueOf(ParameterKeys.CONNECTION_ARN)).toEqual({ 'Fn::GetAtt': [logicalIdOf(receiver.connection), 'Arn'] });
    expect(valueOf(ParameterKeys.API_DESTINATION_NAME)).toEqual({ Ref: logicalIdOf(receiver.apiDestination) });
    expect(valueOf(ParameterKeys.API_DESTINATION_ARN)).toEqual({ 'Fn::GetAtt': [logicalIdOf(receiver.apiDestination), 'Arn'] });
  });

  test('the endpoint and the header name are written as given', () => {
    expect(valueOf(ParameterKeys.RECEIVE_ENDPOINT)).toBe(ENDPOINT);
    expect(valueOf(ParameterKeys.API_KEY_HEADER)).toBe('x-orders-key');
  });

  test('the API key parameter holds a Secrets Manager reference to the secret by name, never the key', () => {
    const reference = JSON.stringify(valueOf(ParameterKeys.API_KEY_SECRET));
    expect(reference).toContain('/aws/reference/secretsmanager/');
    // The generated secret's name is cut from its ARN (the ARN adds a 6-character suffix).
    expect(reference).toContain(JSON.stringify({ Ref: logicalIdOf(receiver.apiKeySecret) }));
    expect(reference).toContain('Fn::Split');
    expect(JSON.stringify(parameters)).not.toContain('resolve:secretsmanager');
  });
});

test('a given secret is referenced by its name, in the form the runtime parses', () => {
  const { stack, bus } = busStack();
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/api-key-AbCdEf';
  new ConnectorReceiver(stack, 'Receiver', {
    eventBus: bus,
    endpoint: ENDPOINT,
    parameterPath: PATH,
    apiKeySecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', arn),
  });
  const parameters = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter')).map((r) => r.Properties);
  const reference = parameters.find((p) => p.Name === `${PATH}/${ParameterKeys.API_KEY_SECRET}`)?.Value;
  expect(reference).toBe('/aws/reference/secretsmanager/orders/api-key');
  expect(parseSecretReference(reference)).toBe('orders/api-key');
});

test('a path given as a token is used as is', () => {
  const { stack, bus } = busStack();
  const path = new CfnParameter(stack, 'Path', { type: 'String', default: PATH }).valueAsString;
  new ConnectorReceiver(stack, 'Receiver', { eventBus: bus, endpoint: ENDPOINT, parameterPath: path });
  const names = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter')).map((r) => r.Properties.Name);
  expect(names).toHaveLength(RECEIVING_KEYS.length);
  expect(names).toContainEqual({ 'Fn::Join': ['', [{ Ref: 'Path' }, `/${ParameterKeys.CONNECTION_NAME}`]] });
});

test('a receiving key of the contract left without a value fails synthesis, naming the key', () => {
  const { stack } = busStack();
  expect(() => writeReceivingParameters(stack, PATH, { [ParameterKeys.CONNECTION_NAME]: 'orders-conn' })).toThrow(
    "no value for receiving parameter 'ConnectionArn': every key in RECEIVING_KEYS must be written",
  );
});
