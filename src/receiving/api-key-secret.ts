// The generated API key secret a receiving path's connection sends with every delivery, shared by
// the connector's receiver and the secondary region's.
import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * A new secret `ApiKey` under `scope` holding a 64-character alphanumeric key (it travels as an
 * HTTP header value and in shell variables), with cdk-nag's rotation finding acknowledged.
 */
export function generateApiKeySecret(
  scope: Construct,
  options: { readonly description: string; readonly secretName?: string },
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'ApiKey', {
    secretName: options.secretName,
    description: options.description,
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The EventBridge connection copies the API key when the stack deploys; a Secrets Manager rotation would change ' +
      'the secret but not the connection, and every delivery would then fail authentication. The key is rotated by ' +
      'deploying a new secret value, which updates the connection and the secret together.',
  });
  return secret;
}
