import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MotoServer } from '../../../src/local/moto';
import { ConnectorClient } from '../../../src/runtime';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface QueueWiring {
  readonly client: ConnectorClient;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/**
 * What `addQueueReceiver` deploys, made through the APIs: a bus, a queue with a dead-letter queue
 * after `maxReceiveCount` receives, and a rule sending every event of `source` to the queue.
 */
export async function wireQueue(moto: MotoServer, name: string, options: { maxReceiveCount?: number } = {}): Promise<QueueWiring> {
  const config = { region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  await events.send(new CreateEventBusCommand({ Name: name }));
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount ?? 2 }) },
    }),
  );
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
  await events.send(new PutRuleCommand({ Name: `${name}-rule`, EventBusName: name, EventPattern: JSON.stringify({ source: ['com.example.orders'] }) }));
  await events.send(new PutTargetsCommand({ Rule: `${name}-rule`, EventBusName: name, Targets: [{ Id: 'queue', Arn: queueArn }] }));
  events.destroy();
  const client = new ConnectorClient({ region: REGION, eventBusName: name, credentials: CREDENTIALS, endpoint: moto.endpoint });
  return { client, sqs, queueUrl: queue.QueueUrl!, deadLetterQueueUrl: dlq.QueueUrl! };
}

/** Waits until `check` holds, polling every 50 ms, for at most `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Bodies of the messages in a queue (received with visibility 0, so they stay). */
export async function peek(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
  return (out.Messages ?? []).map((m) => m.Body ?? '');
}

export function order(orderId: string) {
  return { source: 'com.example.orders', detailType: 'OrderPlaced', detail: { orderId } };
}
