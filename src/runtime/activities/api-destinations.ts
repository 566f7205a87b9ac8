import {
  CreateApiDestinationCommand,
  CreateApiDestinationCommandOutput,
  DescribeApiDestinationCommand,
  DescribeApiDestinationCommandOutput,
  UpdateApiDestinationCommand,
  UpdateApiDestinationCommandOutput,
} from '@aws-sdk/client-eventbridge';
import type { ActivityContext } from './context';
import { call } from './service-error';
import type {
  ApiDestinationChange,
  ApiDestinationDescription,
  CreateApiDestinationInput,
  UpdateApiDestinationInput,
} from './types';
import { check, checkConnectionArn, checkDescription, checkEndpoint, checkHttpMethod, checkRateLimit, checkResourceName } from './validate';

function change(output: CreateApiDestinationCommandOutput | UpdateApiDestinationCommandOutput): ApiDestinationChange {
  return {
    arn: output.ApiDestinationArn ?? '',
    state: output.ApiDestinationState ?? '',
    ...(output.CreationTime && { creationTime: output.CreationTime }),
    ...(output.LastModifiedTime && { lastModifiedTime: output.LastModifiedTime }),
  };
}

/** CreateApiDestination: where EventBridge delivers, how, and how fast. */
export async function createApiDestination(context: ActivityContext, input: CreateApiDestinationInput): Promise<ApiDestinationChange> {
  check(
    checkResourceName('API destination', input.name, context.resourceNamePrefix),
    checkConnectionArn(input.connectionArn),
    checkEndpoint(input.endpoint),
    checkHttpMethod(input.httpMethod),
    checkRateLimit(input.rateLimitPerSecond),
    checkDescription(input.description),
  );
  const output = await call<CreateApiDestinationCommandOutput>(`CreateApiDestination '${input.name}'`, () =>
    context.events.send(new CreateApiDestinationCommand({
      Name: input.name,
      ConnectionArn: input.connectionArn,
      InvocationEndpoint: input.endpoint,
      HttpMethod: input.httpMethod ?? 'POST',
      InvocationRateLimitPerSecond: input.rateLimitPerSecond,
      Description: input.description,
    })),
  );
  return change(output);
}

/** UpdateApiDestination: what is left out stays as it is. */
export async function updateApiDestination(context: ActivityContext, input: UpdateApiDestinationInput): Promise<ApiDestinationChange> {
  check(
    checkResourceName('API destination', input.name, context.resourceNamePrefix),
    input.connectionArn === undefined ? undefined : checkConnectionArn(input.connectionArn),
    input.endpoint === undefined ? undefined : checkEndpoint(input.endpoint),
    checkHttpMethod(input.httpMethod),
    checkRateLimit(input.rateLimitPerSecond),
    checkDescription(input.description),
  );
  const output = await call<UpdateApiDestinationCommandOutput>(`UpdateApiDestination '${input.name}'`, () =>
    context.events.send(new UpdateApiDestinationCommand({
      Name: input.name,
      // Left out = unchanged: the SDK's JSON serializer drops undefined members, so none is sent.
      ConnectionArn: input.connectionArn,
      InvocationEndpoint: input.endpoint,
      HttpMethod: input.httpMethod,
      InvocationRateLimitPerSecond: input.rateLimitPerSecond,
      Description: input.description,
    })),
  );
  return change(output);
}

/** DescribeApiDestination; one that does not exist is a ServiceError `ResourceNotFoundException`. */
export async function describeApiDestination(context: ActivityContext, name: string): Promise<ApiDestinationDescription> {
  check(checkResourceName('API destination', name, undefined));
  const output = await call<DescribeApiDestinationCommandOutput>(`DescribeApiDestination '${name}'`, () =>
    context.events.send(new DescribeApiDestinationCommand({ Name: name })),
  );
  const rate = output.InvocationRateLimitPerSecond;
  return {
    name: output.Name ?? name,
    arn: output.ApiDestinationArn ?? '',
    state: output.ApiDestinationState ?? '',
    connectionArn: output.ConnectionArn ?? '',
    endpoint: output.InvocationEndpoint ?? '',
    httpMethod: output.HttpMethod ?? '',
    // Some compatible endpoints echo the number back as a string.
    ...(rate !== undefined && rate !== null && { rateLimitPerSecond: Number(rate) }),
    ...(output.Description && { description: output.Description }),
    ...(output.CreationTime && { creationTime: output.CreationTime }),
    ...(output.LastModifiedTime && { lastModifiedTime: output.LastModifiedTime }),
  };
}
