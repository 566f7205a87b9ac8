// Constants checked against each other as far as the runtime can, and every quoted value bounded
// and escaped (the contract's quote()).
import { edit, PROFILE_ARN, RECEIVING_KEYS, SESSION_CONTRACT, TRUST_ANCHOR_ARN } from './support/contracts';
import { ParameterKeys as K } from '../../../src/contract';
import { ConstantsError, parseConstants } from '../../../src/runtime';

function messageOf(contract: Record<string, string>): string {
  try {
    parseConstants(contract, { path: '/eventbridge-connector/orders' });
  } catch (error) {
    expect(error).toBeInstanceOf(ConstantsError);
    return (error as Error).message;
  }
  throw new Error('expected a ConstantsError');
}

describe('constants cross-checked at startup', () => {
  test('a role of another account than the profile is refused: a profile lists only roles of its account', () => {
    expect(messageOf(edit(SESSION_CONTRACT, { [K.ROLE_ARN]: 'arn:aws:iam::444455556666:role/orders-connector' }))).toBe(
      `role 'arn:aws:iam::444455556666:role/orders-connector' is in account '444455556666' but profile '${PROFILE_ARN}' is in '123456789012': ` +
        'expected the role in the profile\'s account (/eventbridge-connector/orders/RoleARN and /eventbridge-connector/orders/ProfileARN)');
  });

  test('a Region other than the region of the trust anchor and profile is refused', () => {
    const other = (arn: string) => arn.replace(':us-east-1:', ':eu-west-1:');
    expect(messageOf(edit(SESSION_CONTRACT, { [K.PROFILE_ARN]: other(PROFILE_ARN), [K.TRUST_ANCHOR_ARN]: other(TRUST_ANCHOR_ARN) }))).toMatch(
      /^Region 'us-east-1' differs from the region 'eu-west-1' of ProfileARN: expected the profile in the connector's region/);
  });

  test('a bus of another region than Region is refused', () => {
    expect(messageOf(edit(SESSION_CONTRACT, { [K.EVENT_BUS_ARN]: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' })))
      .toMatch(/invalid EventBusArn '.*' at \/eventbridge-connector\/orders\/EventBusArn: expected a bus in Region 'us-east-1', not in eu-west-1/);
  });

  test('a bus of another account in Region is accepted: sending across accounts works when its policy allows', () => {
    const constants = parseConstants(edit(SESSION_CONTRACT, { [K.EVENT_BUS_ARN]: 'arn:aws:events:us-east-1:444455556666:event-bus/orders' }));
    expect(constants.eventBusArn).toBe('arn:aws:events:us-east-1:444455556666:event-bus/orders');
  });

  test('a ReceiveEndpoint that is not https is refused', () => {
    expect(messageOf(edit(edit(SESSION_CONTRACT, RECEIVING_KEYS), { [K.RECEIVE_ENDPOINT]: 'http://orders.example.com/events' })))
      .toMatch(/invalid ReceiveEndpoint 'http:\/\/orders.example.com\/events' at .*: expected the https:\/\/ URL the API destination calls/);
    expect(messageOf(edit(edit(SESSION_CONTRACT, RECEIVING_KEYS), { [K.RECEIVE_ENDPOINT]: 'http://127.0.0.1.example.com/events' })))
      .toMatch(/invalid ReceiveEndpoint/);
  });

  test('plain http is accepted on a loopback host only, where the local delivery stand-in calls the app', () => {
    for (const endpoint of ['http://127.0.0.1:8080/events', 'http://localhost:8080/events', 'http://[::1]:8080/events']) {
      expect(parseConstants(edit(edit(SESSION_CONTRACT, RECEIVING_KEYS), { [K.RECEIVE_ENDPOINT]: endpoint })).receiving?.endpoint).toBe(endpoint);
    }
  });

  test('ARNs of unknown partitions or of regions outside their partition are refused', () => {
    expect(messageOf(edit(SESSION_CONTRACT, { [K.ROLE_ARN]: 'arn:aws-bogus:iam::123456789012:role/x' }))).toMatch(/unknown partition 'aws-bogus'/);
    expect(messageOf(edit(SESSION_CONTRACT, { [K.PROFILE_ARN]: PROFILE_ARN.replace('us-east-1', 'moon-1') }))).toMatch(/'moon-1' is not a region of partition aws/);
  });
});

describe('quoted values are bounded and escaped', () => {
  test('a 4,096-character EventBusName gives a short message with its length', () => {
    const message = messageOf(edit(SESSION_CONTRACT, { [K.EVENT_BUS_NAME]: 'o'.repeat(4096) }));
    // Two problems (the name, and the ARN that names another bus), each quoting a bounded prefix.
    expect(message.length).toBeLessThan(1000);
    expect(message).toContain(`'${'o'.repeat(160)}...' (4096 characters)`);
  });

  test('a Region with a newline cannot write a line of its own into a log', () => {
    const message = messageOf(edit(SESSION_CONTRACT, { [K.REGION]: 'us-east-1\nERROR forged log line' }));
    expect(message).toContain("'us-east-1\\nERROR forged log line'");
    expect(message.split('\n').some((line) => line.startsWith('ERROR forged'))).toBe(false);
  });
});
