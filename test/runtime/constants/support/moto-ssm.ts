/** SSM clients pointed at moto, with a record of every HTTP request they send. */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { REGION } from './contracts';

/** Any static keys work while moto does not check signatures. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** One HTTP request as the SDK sent it, and the parameter names its response carried. */
export interface RecordedRequest {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly returnedNames: readonly string[];
  /** The NextToken the response handed back, if any. */
  returnedNextToken?: string;
}

export interface RecordingSsm {
  readonly client: SSMClient;
  readonly requests: RecordedRequest[];
}

/**
 * An SSM client whose middleware records each attempt: the deserialize step runs once per HTTP
 * request (retries included), so the record counts requests, not calls.
 */
export function recordingSsm(endpoint: string, options: { credentials?: typeof TEST_CREDENTIALS } = {}): RecordingSsm {
  const client = new SSMClient({ endpoint, region: REGION, credentials: options.credentials ?? TEST_CREDENTIALS });
  const requests: RecordedRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const record: RecordedRequest & { returnedNames: string[] } = {
        command: context.commandName ?? 'unknown',
        input: { ...(args.input as Record<string, unknown>) },
        returnedNames: [],
      };
      requests.push(record);
      const result = await next(args);
      const output = result.output as { Parameters?: Array<{ Name?: string }>; Parameter?: { Name?: string }; NextToken?: string };
      record.returnedNextToken = output.NextToken;
      const returned = output.Parameters ?? (output.Parameter ? [output.Parameter] : []);
      record.returnedNames.push(...returned.map((p) => p.Name ?? ''));
      return result;
    },
    { step: 'deserialize', priority: 'high', name: 'recordRequests' },
  );
  return { client, requests };
}

/** Writes each `key -> value` as a String parameter under `path`. */
export async function putParameters(ssm: SSMClient, path: string, values: Readonly<Record<string, string>>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await ssm.send(new PutParameterCommand({ Name: `${path}/${key}`, Value: value, Type: 'String', Overwrite: true }));
  }
}
