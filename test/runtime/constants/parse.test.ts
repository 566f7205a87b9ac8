import { edit, PROFILE_ARN, RECEIVING_KEYS, ROLE_ARN, SESSION_CONTRACT, STATIC_CONTRACT, TRUST_ANCHOR_ARN } from './support/contracts';
import { ConstantsError, parseConstants } from '../../../src/runtime';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConstantsError);
    return (error as Error).message;
  }
  throw new Error('expected a ConstantsError');
}

describe('parseConstants (the object form)', () => {
  test('a session-mode contract becomes session constants and nothing else', () => {
    expect(parseConstants(SESSION_CONTRACT)).toEqual({
      schemaVersion: '2',
      region: 'us-east-1',
      eventBusName: 'orders',
      eventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders',
      useStaticCredentials: false,
      resourceNamePrefix: 'orders.',
      session: { roleArn: ROLE_ARN, profileArn: PROFILE_ARN, trustAnchorArn: TRUST_ANCHOR_ARN, durationSeconds: 3600 },
    });
  });

  test('a static-mode contract keeps the SecretKey reference, not a secret', () => {
    const constants = parseConstants(STATIC_CONTRACT, { path: '/eventbridge-connector/orders' });
    expect(constants.useStaticCredentials).toBe(true);
    expect(constants.static).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretKeyReference: '/aws/reference/secretsmanager/orders/secret-key' });
    expect(constants.session).toBeUndefined();
    expect(constants.parameterPath).toBe('/eventbridge-connector/orders');
  });

  test('the receiving keys become receiving constants; their ARNs are optional', () => {
    const values = edit(SESSION_CONTRACT, { ...RECEIVING_KEYS, ConnectionArn: undefined, ApiDestinationArn: undefined });
    expect(parseConstants(values).receiving).toEqual({
      connectionName: 'orders.app',
      apiDestinationName: 'orders.app',
      endpoint: 'https://orders.example.com/events',
      apiKeyHeader: 'x-api-key',
      apiKeySecretReference: '/aws/reference/secretsmanager/orders/api-key',
    });
  });

  test('keys the contract does not know, and keys of the other mode, are ignored', () => {
    const values = edit(SESSION_CONTRACT, { Team: 'payments', AccessKey: 'not-checked-in-session-mode' });
    expect(parseConstants(values)).toEqual(parseConstants(SESSION_CONTRACT));
  });

  test('one problem is the whole message, naming the parameter, its value and the bounds', () => {
    const message = messageOf(() => parseConstants(edit(SESSION_CONTRACT, { Duration: '60' }), { path: '/eventbridge-connector/orders' }));
    expect(message).toBe("invalid Duration '60' at /eventbridge-connector/orders/Duration: expected whole seconds from 900 to 43200");
  });

  test('without a path, messages name the key alone', () => {
    const message = messageOf(() => parseConstants(edit(SESSION_CONTRACT, { RoleARN: 'orders-connector' })));
    expect(message).toBe("invalid RoleARN 'orders-connector': expected an IAM role ARN such as arn:aws:iam::123456789012:role/name");
  });

  test('an empty value counts as missing', () => {
    const message = messageOf(() => parseConstants(edit(SESSION_CONTRACT, { EventBusName: '' })));
    expect(message).toBe('missing EventBusName: expected the event bus name');
  });

  test('without a known mode, present keys are checked and no mode keys are demanded', () => {
    const values = edit(SESSION_CONTRACT, { UseStaticCredentials: 'TRUE', RoleARN: 'arn:aws:iam::123456789012:user/bob', Duration: undefined });
    const error = (() => {
      try {
        parseConstants(values);
      } catch (e) {
        return e as ConstantsError;
      }
      throw new Error('expected a ConstantsError');
    })();
    expect(error.key).toBe('UseStaticCredentials');
    expect(error.message.split('\n')).toEqual([
      '2 problems with the connector constants:',
      "  - invalid UseStaticCredentials 'TRUE': expected 'true' (static keys) or 'false' (Roles Anywhere session)",
      "  - invalid RoleARN 'arn:aws:iam::123456789012:user/bob': expected an IAM role ARN such as arn:aws:iam::123456789012:role/name",
    ]);
  });

  test('the fingerprint is kept in the lowercase form the runtime compares', () => {
    const upper = 'A3:F1:C2:D4:E5:B6:A7:98:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78';
    const constants = parseConstants(edit(SESSION_CONTRACT, { AWS_ClientCertificateID: upper }));
    expect(constants.session?.clientCertificateId).toBe(upper.replace(/:/g, '').toLowerCase());
  });

  test('a partner event bus name with slashes matches its ARN', () => {
    const name = 'aws.partner/example.com/123/orders';
    const values = edit(SESSION_CONTRACT, { EventBusName: name, EventBusArn: `arn:aws:events:us-east-1:123456789012:event-bus/${name}` });
    expect(parseConstants(values).eventBusName).toBe(name);
  });
});
