import { ConnectorAuthentication, EventBridgeConnector, ParameterKeys } from '../../src';
import { ParameterKeys as ContractKeys } from '../../src/contract';
import { EXAMPLE_CA, newStack } from '../connector/fixtures';

describe('ParameterKeys on the construct face', () => {
  test('holds every contract key, with the contract value, as jsii-visible static constants', () => {
    const exported = Object.fromEntries(Object.getOwnPropertyNames(ParameterKeys)
      .filter((name) => /^[A-Z_]+$/.test(name))
      .map((name) => [name, (ParameterKeys as any)[name]]));
    expect(exported).toEqual({ ...ContractKeys });
  });

  test('a contract converts to a string like any object: no valueOf shadows Object.prototype', () => {
    const connector = new EventBridgeConnector(newStack(), 'Orders', { authentication: ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA }) });
    expect(() => `${connector.parameters}` + connector.parameters).not.toThrow();
    expect(Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(connector.parameters), 'valueOf')).toBe(false);
    expect(connector.parameters.valueFor(ParameterKeys.DURATION)).toBeDefined();
  });
});
