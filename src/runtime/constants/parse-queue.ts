import { Problems } from './problems';
import type { QueueConstants } from './types';
import { ParameterKey, ParameterKeys, parseArn } from '../../contract';
import { definedOnly } from '../../contract/defined-only';

const K = ParameterKeys;

/** The queue receiver's keys: `QueueUrl` is needed to consume, `QueueArn` is informative. */
export function parseQueue(problems: Problems, get: (key: ParameterKey) => string | undefined): QueueConstants | undefined {
  const queueUrl = get(K.QUEUE_URL);
  const queueArn = get(K.QUEUE_ARN);
  if (queueUrl === undefined && queueArn === undefined) return undefined;
  if (queueUrl === undefined) {
    problems.missing(K.QUEUE_URL, 'the queue URL, since QueueArn is present');
    return undefined;
  }
  const before = problems.length;
  if (!isQueueUrl(queueUrl)) {
    problems.invalid(K.QUEUE_URL, queueUrl, 'an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/orders');
  }
  if (queueArn !== undefined) {
    const parts = parseArn(queueArn);
    if (!parts || parts.service !== 'sqs' || !/^\d{12}$/.test(parts.account) || parts.resource.length === 0) {
      problems.invalid(K.QUEUE_ARN, queueArn, 'an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders');
    }
  }
  if (problems.length > before) return undefined;
  return { queueUrl, ...definedOnly({ queueArn }) };
}

function isQueueUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname.split('/').filter(Boolean).length === 2;
  } catch {
    return false;
  }
}
