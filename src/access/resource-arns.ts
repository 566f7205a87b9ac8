import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { secretReference } from '../contract';

// ARNs the connector's policies name. All go through Stack.formatArn, so the partition, region and
// account come from the stack and are never written as `aws`. Connections, API destinations and
// their secrets are the stack's account's even when the bus is another account's: the runtime
// creates them with its own credentials, in its own account.

/** `connection/<prefix>*` in the stack's account and region: the connections the connector may manage. */
export function connectionsArn(scope: IConstruct, prefix: string): string {
  return eventsResourcesArn(scope, 'connection', prefix);
}

/** `api-destination/<prefix>*` in the stack's account and region. */
export function apiDestinationsArn(scope: IConstruct, prefix: string): string {
  return eventsResourcesArn(scope, 'api-destination', prefix);
}

/** `<resource>/<prefix>*` of EventBridge in the bus's account and region. */
function eventsResourcesArn(scope: IConstruct, resource: 'connection' | 'api-destination', prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'events',
    resource,
    resourceName: `${prefix}*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The secrets EventBridge keeps for the connector's connections. EventBridge names them
 * `events!connection/<connection name>/<uuid>`, so the prefix pins them to the connector's
 * connections.
 */
export function connectionSecretsArn(scope: IConstruct, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `events!connection/${prefix}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The service-linked role EventBridge creates on the first connection in an account. */
export function apiDestinationsServiceLinkedRoleArn(scope: IConstruct): string {
  return Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: 'aws-service-role/apidestinations.events.amazonaws.com/AWSServiceRoleForAmazonEventBridgeApiDestinations',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The path itself, `parameter<path>`: what SSM authorizes `GetParametersByPath` against (it checks
 * the requested path, not the parameters it returns).
 */
export function parameterPathArn(scope: IConstruct, path: string): string {
  return Stack.of(scope).formatArn({ service: 'ssm', resource: `parameter${path}`, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/** One parameter of the contract, `parameter<path>/<key>`: what `GetParameter(s)` is authorized against. */
export function parameterArn(scope: IConstruct, path: string, key: string): string {
  return Stack.of(scope).formatArn({ service: 'ssm', resource: `parameter${path}/${key}`, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/**
 * The SSM name that resolves a Secrets Manager secret (`/aws/reference/secretsmanager/<name>`):
 * `GetParameter` is authorized against it, then SSM reads the secret with the caller's
 * credentials.
 */
export function secretReferenceParameterArn(scope: IConstruct, secretName: string): string {
  return Stack.of(scope).formatArn({
    service: 'ssm',
    resource: `parameter${secretReference(secretName)}`,
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
}

/**
 * A secret by name, any version suffix: Secrets Manager appends `-` and six characters to the
 * name in the ARN.
 */
export function secretByNameArn(scope: IConstruct, secretName: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${secretName}-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Name of the secret that holds a static-mode connector's secret access key, derived from the
 * parameter path so that a stack importing the connector by path can find it:
 * `/eventbridge-connector/orders` gives `eventbridge-connector/orders/SecretKey`.
 */
export function staticSecretName(path: string): string | undefined {
  if (Token.isUnresolved(path)) return undefined;
  return `${path.slice(1)}/SecretKey`;
}
