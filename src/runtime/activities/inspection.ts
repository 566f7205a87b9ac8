import {
  DescribeEventBusCommand,
  DescribeEventBusCommandOutput,
  EventBus,
  ListEventBusesCommand,
  ListEventBusesCommandOutput,
} from '@aws-sdk/client-eventbridge';
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { ServiceError } from '../errors';
import { EVENT_BUS_NAME } from '../names';
import type { AwsClientLike } from '../sdk-config';
import { stsModule } from '../sdk-modules';
import { call } from './service-error';
import type { CallerIdentity, EventBusDescription, EventBusSummary, ListEventBusesInput } from './types';
import { check } from './validate';

/** STS GetCallerIdentity: proves the credentials work and says whose they are. Needs no permission. */
export async function validateCredentials(sts: AwsClientLike): Promise<CallerIdentity> {
  const output = await call<GetCallerIdentityCommandOutput>('GetCallerIdentity', () => sts.send(new (stsModule().GetCallerIdentityCommand)({})));
  if (!output.Account || !output.Arn || !output.UserId) {
    throw new ServiceError('InvalidResponse', 'GetCallerIdentity answered without Account, Arn or UserId');
  }
  return { account: output.Account, arn: output.Arn, userId: output.UserId };
}

/** The largest page ListEventBuses serves. */
const PAGE_SIZE = 100;

/** Every event bus of the account and region (all pages), optionally those with a name prefix. */
export async function listEventBuses(events: AwsClientLike, input: ListEventBusesInput = {}): Promise<EventBusSummary[]> {
  const { namePrefix } = input;
  check(namePrefix === undefined || EVENT_BUS_NAME.test(namePrefix)
    ? undefined
    : `invalid namePrefix '${namePrefix}': expected 1 to 256 letters, digits, and . - _ /`);
  const buses: EventBusSummary[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await call<ListEventBusesCommandOutput>('ListEventBuses', () =>
      events.send(new ListEventBusesCommand({ Limit: PAGE_SIZE, NextToken: nextToken, NamePrefix: namePrefix })),
    );
    buses.push(...(page.EventBuses ?? []).map(summary));
    nextToken = page.NextToken || undefined;
    if (nextToken !== undefined) {
      // An endpoint that hands back a token twice would otherwise be paged forever.
      if (seen.has(nextToken)) throw new ServiceError('InvalidNextToken', 'ListEventBuses returned the same NextToken twice');
      seen.add(nextToken);
    }
  } while (nextToken !== undefined);
  return buses;
}

function summary(bus: EventBus): EventBusSummary {
  return {
    name: bus.Name ?? '',
    arn: bus.Arn ?? '',
    ...(bus.Description && { description: bus.Description }),
    ...(bus.Policy && { policy: bus.Policy }),
    ...(bus.CreationTime && { creationTime: bus.CreationTime }),
    ...(bus.LastModifiedTime && { lastModifiedTime: bus.LastModifiedTime }),
  };
}

/** DescribeEventBus by name or ARN. */
export async function describeEventBus(events: AwsClientLike, name: string): Promise<EventBusDescription> {
  check(typeof name === 'string' && name.length > 0 && name.length <= 1600
    ? undefined
    : `invalid event bus '${String(name)}': expected a bus name or ARN`);
  const output = await call<DescribeEventBusCommandOutput>(`DescribeEventBus '${name}'`, () =>
    events.send(new DescribeEventBusCommand({ Name: name })),
  );
  return {
    ...summary(output),
    ...(output.KmsKeyIdentifier && { kmsKeyIdentifier: output.KmsKeyIdentifier }),
    ...(output.DeadLetterConfig?.Arn && { deadLetterQueueArn: output.DeadLetterConfig.Arn }),
  };
}
