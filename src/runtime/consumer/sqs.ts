/**
 * The SQS calls the consumer makes, through an SDK v3 client (`new SQSClient(...)` fits). The
 * command classes load on first use, so a process that never consumes does not pay for them.
 */
import { sqsModule } from '../sdk-modules';

/** An SDK v3 SQS client as the consumer uses it. */
export interface SqsClientLike {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export interface SqsMessage {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly Body?: string;
  readonly Attributes?: Record<string, string>;
}

/** An entry of a batch call that SQS refused, with its code and message. */
export interface BatchFailure {
  readonly handle: string;
  readonly reason: string;
}

interface BatchResult {
  readonly Successful?: readonly { Id?: string }[];
  readonly Failed?: readonly { Id?: string; Code?: string; Message?: string }[];
}


export async function receiveMessages(
  sqs: SqsClientLike,
  input: { queueUrl: string; max: number; waitTimeSeconds: number; visibilityTimeoutSeconds: number },
  signal: AbortSignal,
): Promise<SqsMessage[]> {
  const { ReceiveMessageCommand } = sqsModule();
  const output = (await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: input.queueUrl,
      MaxNumberOfMessages: input.max,
      WaitTimeSeconds: input.waitTimeSeconds,
      VisibilityTimeout: input.visibilityTimeoutSeconds,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
    { abortSignal: signal },
  )) as { Messages?: SqsMessage[] };
  return output.Messages ?? [];
}

/** DeleteMessageBatch of up to 10 receipt handles; resolves to the failed ones with their reason. */
export async function deleteMessages(sqs: SqsClientLike, queueUrl: string, handles: readonly string[]): Promise<BatchFailure[]> {
  const { DeleteMessageBatchCommand } = sqsModule();
  const output = (await sqs.send(
    new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: handles.map((h, i) => ({ Id: String(i), ReceiptHandle: h })) }),
  )) as BatchResult;
  return failures(output, handles);
}

/** ChangeMessageVisibilityBatch of up to 10 receipt handles to `seconds`. */
export async function changeVisibility(sqs: SqsClientLike, queueUrl: string, handles: readonly string[], seconds: number): Promise<BatchFailure[]> {
  const { ChangeMessageVisibilityBatchCommand } = sqsModule();
  const output = (await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: queueUrl,
      Entries: handles.map((h, i) => ({ Id: String(i), ReceiptHandle: h, VisibilityTimeout: seconds })),
    }),
  )) as BatchResult;
  return failures(output, handles);
}

function failures(output: BatchResult, handles: readonly string[]): BatchFailure[] {
  return (output.Failed ?? []).map((f) => ({ handle: handles[Number(f.Id)] ?? '', reason: `${f.Code ?? 'Unknown'}: ${f.Message ?? ''}` }));
}

/** Splits into chunks of at most 10, SQS's batch limit. */
export function inTens<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += 10) chunks.push(items.slice(i, i + 10));
  return chunks;
}
