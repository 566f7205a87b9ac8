import {
  CreateConnectionCommand,
  CreateConnectionCommandOutput,
  CreateConnectionRequest,
  DescribeConnectionCommand,
  DescribeConnectionCommandOutput,
  UpdateConnectionCommand,
  UpdateConnectionCommandOutput,
  UpdateConnectionRequest,
} from '@aws-sdk/client-eventbridge';
import type { ActivityContext } from './context';
import { call } from './service-error';
import type {
  ConnectionAuthorization,
  ConnectionChange,
  ConnectionDescription,
  CreateConnectionInput,
  UpdateConnectionInput,
} from './types';
import { check, checkAuthorization, checkDescription, checkResourceName } from './validate';

type AuthParameters = NonNullable<CreateConnectionRequest['AuthParameters']>;

function authParameters(authorization: ConnectionAuthorization): { AuthorizationType: 'API_KEY' | 'BASIC'; AuthParameters: AuthParameters } {
  return authorization.type === 'API_KEY'
    ? {
      AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: authorization.apiKeyName, ApiKeyValue: authorization.apiKeyValue } },
    }
    : {
      AuthorizationType: 'BASIC',
      AuthParameters: { BasicAuthParameters: { Username: authorization.username, Password: authorization.password } },
    };
}

function change(output: CreateConnectionCommandOutput | UpdateConnectionCommandOutput): ConnectionChange {
  return {
    arn: output.ConnectionArn ?? '',
    state: output.ConnectionState ?? '',
    ...(output.CreationTime && { creationTime: output.CreationTime }),
    ...(output.LastModifiedTime && { lastModifiedTime: output.LastModifiedTime }),
  };
}

/** CreateConnection with API key or basic authorization. */
export async function createConnection(context: ActivityContext, input: CreateConnectionInput): Promise<ConnectionChange> {
  check(
    checkResourceName('connection', input.name, context.resourceNamePrefix),
    checkAuthorization(input.authorization),
    checkDescription(input.description),
  );
  const output = await call<CreateConnectionCommandOutput>(`CreateConnection '${input.name}'`, () =>
    context.events.send(new CreateConnectionCommand({
      Name: input.name,
      ...authParameters(input.authorization),
      Description: input.description,
    })),
  );
  return change(output);
}

/** UpdateConnection: what is left out stays as it is. */
export async function updateConnection(context: ActivityContext, input: UpdateConnectionInput): Promise<ConnectionChange> {
  check(
    checkResourceName('connection', input.name, context.resourceNamePrefix),
    input.authorization === undefined ? undefined : checkAuthorization(input.authorization),
    checkDescription(input.description),
  );
  const request: UpdateConnectionRequest = {
    Name: input.name,
    ...(input.authorization && authParameters(input.authorization)),
    Description: input.description,
  };
  const output = await call<UpdateConnectionCommandOutput>(`UpdateConnection '${input.name}'`, () =>
    context.events.send(new UpdateConnectionCommand(request)),
  );
  return change(output);
}

/** DescribeConnection; a connection that does not exist is a ServiceError `ResourceNotFoundException`. */
export async function describeConnection(context: ActivityContext, name: string): Promise<ConnectionDescription> {
  check(checkResourceName('connection', name, undefined));
  const output = await call<DescribeConnectionCommandOutput>(`DescribeConnection '${name}'`, () =>
    context.events.send(new DescribeConnectionCommand({ Name: name })),
  );
  const auth = output.AuthParameters;
  return {
    name: output.Name ?? name,
    arn: output.ConnectionArn ?? '',
    state: output.ConnectionState ?? '',
    authorizationType: output.AuthorizationType ?? '',
    ...(output.StateReason && { stateReason: output.StateReason }),
    ...(auth?.ApiKeyAuthParameters?.ApiKeyName && { apiKeyName: auth.ApiKeyAuthParameters.ApiKeyName }),
    ...(auth?.BasicAuthParameters?.Username && { username: auth.BasicAuthParameters.Username }),
    ...(output.Description && { description: output.Description }),
    ...(output.SecretArn && { secretArn: output.SecretArn }),
    ...(output.CreationTime && { creationTime: output.CreationTime }),
    ...(output.LastModifiedTime && { lastModifiedTime: output.LastModifiedTime }),
    ...(output.LastAuthorizedTime && { lastAuthorizedTime: output.LastAuthorizedTime }),
  };
}
