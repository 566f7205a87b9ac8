/**
 * The local stand-in for API destination delivery, which moto lacks: it adds an SQS queue as a
 * second target of the rule (moto does deliver to SQS targets) and delivers every event the rule
 * matched to the API destination the way EventBridge does — an HTTP request with the event as
 * JSON body and the connection's API key header read from the connection's secret — retrying
 * 429 and 5xx answers up to the target's retry policy and dead-lettering what still fails.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  Target,
} from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export interface ApiDestinationDeliveryOptions {
  /** moto's endpoint. */
  readonly endpoint: string;
  readonly eventBusName: string;
  /** The rule whose API destination target is delivered. */
  readonly ruleName: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Retries after the first attempt, at most; the target's own retry policy bounds it too. @default 3 */
  readonly maxRetries?: number;
  /** Delay before the first retry, doubled each time. @default 100 */
  readonly retryDelayMs?: number;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
}

export interface DeliveryRecord {
  readonly eventId: string;
  readonly detailType: string;
  readonly status: number | 'network-error';
  readonly attempts: number;
}

export interface ApiDestinationDelivery {
  /** The API destination's endpoint that events are delivered to. */
  readonly invocationEndpoint: string;
  readonly delivered: number;
  readonly failed: number;
  readonly records: readonly DeliveryRecord[];
  /** Resolves once `count` events were delivered or failed; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Stops polling and removes the queue and the extra rule target. */
  stop(): Promise<void>;
}

const TARGET_ID = 'LocalApiDestinationDelivery';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export async function startApiDestinationDelivery(options: ApiDestinationDeliveryOptions): Promise<ApiDestinationDelivery> {
  const config = { region: options.region ?? 'us-east-1', endpoint: options.endpoint, credentials: CREDENTIALS };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  const secrets = new SecretsManagerClient(config);

  const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: options.ruleName, EventBusName: options.eventBusName }))).Targets ?? [];
  const target = targets.find((t) => /:api-destination\//.test(t.Arn ?? ''));
  if (!target) {
    throw new Error(`rule ${options.ruleName} on bus ${options.eventBusName} has no API destination target: nothing to deliver`);
  }
  const destinationName = target.Arn!.split(':api-destination/')[1].split('/')[0];
  const destination = await events.send(new DescribeApiDestinationCommand({ Name: destinationName }));
  const connectionName = destination.ConnectionArn!.split(':connection/')[1].split('/')[0];
  const connection = await events.send(new DescribeConnectionCommand({ Name: connectionName }));
  const headers = await authorizationHeaders(connection.AuthorizationType, connection.SecretArn, secrets);
  const maxRetries = Math.min(options.maxRetries ?? 3, target.RetryPolicy?.MaximumRetryAttempts ?? 185);
  const deadLetterQueueUrl = await queueUrlOfArn(sqs, target.DeadLetterConfig?.Arn);

  // Rule names may hold `.` (the resource name prefix delimiter); queue names may not.
  const queueName = `local-delivery-${options.ruleName.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 70) + `-${randomUUID().slice(0, 6)}`;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const standIn: Target = { Id: TARGET_ID, Arn: queueArn };
  await events.send(new PutTargetsCommand({ Rule: options.ruleName, EventBusName: options.eventBusName, Targets: [standIn] }));

  const records: DeliveryRecord[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let running = true;

  const deliverOne = async (body: string): Promise<DeliveryRecord> => {
    const event = JSON.parse(body) as { 'id'?: string; 'detail-type'?: string };
    let status: number | 'network-error' = 'network-error';
    let attempts = 0;
    for (let retry = 0; retry <= maxRetries; retry++) {
      attempts++;
      try {
        const res = await fetch(destination.InvocationEndpoint!, {
          method: destination.HttpMethod ?? 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Amazon/EventBridge/ApiDestinations', ...headers },
          body,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
        });
        await res.arrayBuffer();
        status = res.status;
        // EventBridge retries throttling and server errors; other answers are final.
        if (status < 500 && status !== 429) break;
      } catch {
        status = 'network-error';
      }
      if (retry < maxRetries) await new Promise((r) => setTimeout(r, (options.retryDelayMs ?? 100) * 2 ** retry));
    }
    if (!isSuccess(status) && deadLetterQueueUrl) {
      await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: body }));
    }
    return { eventId: event.id ?? '', detailType: event['detail-type'] ?? '', status, attempts };
  };

  const poll = async () => {
    while (running) {
      let messages;
      try {
        messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
      } catch (error) {
        if (!running) return;
        throw error;
      }
      await Promise.all(messages.map(async (message) => {
        records.push(await deliverOne(message.Body!));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }));
      for (const waiter of waiters.filter((w) => records.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const polling = poll();

  const isDelivered = (r: DeliveryRecord) => isSuccess(r.status);
  return {
    invocationEndpoint: destination.InvocationEndpoint!,
    get delivered() {
      return records.filter(isDelivered).length;
    },
    get failed() {
      return records.filter((r) => !isDelivered(r)).length;
    },
    records,
    waitFor(count, timeoutMs = 30_000) {
      if (records.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${records.length} of ${count} events delivered after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async stop() {
      running = false;
      await polling.catch(() => undefined);
      const removeTarget = new RemoveTargetsCommand({ Rule: options.ruleName, EventBusName: options.eventBusName, Ids: [TARGET_ID] });
      await events.send(removeTarget).catch(() => undefined);
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
      for (const client of [events, sqs, secrets]) client.destroy();
    },
  };
}

/** Whether a delivery's final answer was a 2xx. */
function isSuccess(status: DeliveryRecord['status']): boolean {
  return typeof status === 'number' && status >= 200 && status < 300;
}

/** The headers the connection's authorization adds to each delivery (API key auth here). */
async function authorizationHeaders(
  type: string | undefined,
  secretArn: string | undefined,
  secrets: SecretsManagerClient,
): Promise<Record<string, string>> {
  if (type !== 'API_KEY') throw new Error(`connection authorization ${type} is not delivered locally: expected API_KEY`);
  if (!secretArn) throw new Error('the connection has no secret to read its API key from');
  const value = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString ?? '{}');
  // EventBridge keeps the key in the connection's secret; moto writes snake_case names there.
  const name = value.api_key_name ?? value.ApiKeyName;
  const key = value.api_key_value ?? value.ApiKeyValue;
  if (typeof name !== 'string' || typeof key !== 'string') throw new Error(`connection secret ${secretArn} holds no API key`);
  return { [name.toLowerCase()]: key };
}

async function queueUrlOfArn(sqs: SQSClient, arn: string | undefined): Promise<string | undefined> {
  if (!arn) return undefined;
  const [, , , , account, name] = arn.split(':');
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))).QueueUrl;
}
