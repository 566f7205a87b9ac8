import { edit, SESSION_CONTRACT } from './support/contracts';
import { ConstantsError, parseConstants } from '../../../src/runtime';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-inbox';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-inbox';

describe('the queue receiver keys', () => {
  test('QueueUrl and QueueArn become queue constants; without them there is no queue', () => {
    const constants = parseConstants(edit(SESSION_CONTRACT, { QueueUrl: QUEUE_URL, QueueArn: QUEUE_ARN }));
    expect(constants.queue).toEqual({ queueUrl: QUEUE_URL, queueArn: QUEUE_ARN });
    expect(parseConstants(SESSION_CONTRACT).queue).toBeUndefined();
  });

  test.each([
    [{ QueueUrl: 'orders-inbox' }, "invalid QueueUrl 'orders-inbox'"],
    [{ QueueUrl: QUEUE_URL, QueueArn: 'arn:aws:sns:us-east-1:123456789012:orders' }, 'invalid QueueArn'],
    [{ QueueArn: QUEUE_ARN }, 'QueueUrl'],
  ])('refuses %j, naming the key', (values, message) => {
    expect(() => parseConstants(edit(SESSION_CONTRACT, values))).toThrow(ConstantsError);
    expect(() => parseConstants(edit(SESSION_CONTRACT, values))).toThrow(message);
  });
});
