// The real SDK client wired to a loopback endpoint, the way ConnectorClient wires it to AWS.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsFunction } from '../../../src/runtime/put-events';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** An SDK client with retries off (the sender does them) and the PutEventsFunction over it. */
export function sdkPutEvents(endpoint: string): { client: EventBridgeClient; putEvents: PutEventsFunction } {
  const client = new EventBridgeClient({ region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return { client, putEvents: (entries) => client.send(new PutEventsCommand({ Entries: entries })) };
}
