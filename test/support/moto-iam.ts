/**
 * Set-up calls to moto's IAM (the SDK's IAM client is not a dev dependency): a user whose keys
 * play the Roles Anywhere service principal when moto checks signatures, and the connector role
 * a Roles Anywhere session assumes, with the actions moto will allow it.
 */
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/local/node-sha256';
import type { AwsCredentials } from '../../src/runtime/types';


/** Set-up calls are made before moto checks signatures: any keys do. */
const SET_UP: AwsCredentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'set-up-calls-are-not-checked' };

async function iamCall(endpoint: string, params: Record<string, string>): Promise<string> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials: SET_UP, sha256: NodeSha256 });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'host': url.host },
    body,
  }));
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`IAM ${params.Action} failed with HTTP ${res.status}: ${text}`);
  return text;
}

/**
 * Creates a user allowed `sts:AssumeRole` and returns its keys: three IAM calls, to be made
 * before moto starts checking signatures.
 */
export async function createAssumeRoleUser(endpoint: string, userName: string): Promise<AwsCredentials> {
  await iamCall(endpoint, { Action: 'CreateUser', UserName: userName });
  await iamCall(endpoint, {
    Action: 'PutUserPolicy',
    UserName: userName,
    PolicyName: 'assume-roles',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }),
  });
  const xml = await iamCall(endpoint, { Action: 'CreateAccessKey', UserName: userName });
  const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
  const accessKeyId = field('AccessKeyId');
  const secretAccessKey = field('SecretAccessKey');
  if (!accessKeyId || !secretAccessKey) throw new Error(`CreateAccessKey answered without keys: ${xml}`);
  return { accessKeyId, secretAccessKey };
}

/** The number of set-up calls {@link createAssumeRoleUser} makes. */
export const ASSUME_ROLE_USER_CALLS = 3;

/**
 * Creates a role allowed exactly `actions`, trusted by Roles Anywhere and by `servicePrincipalArn`:
 * moto checks trust policies against the caller's AWS principal only, and the loopback service
 * calls AssumeRole as an IAM user playing the Roles Anywhere service principal.
 */
export async function createConnectorRole(
  endpoint: string,
  roleName: string,
  servicePrincipalArn: string,
  actions: readonly string[],
): Promise<void> {
  await iamCall(endpoint, {
    Action: 'CreateRole',
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'rolesanywhere.amazonaws.com', AWS: servicePrincipalArn },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      }],
    }),
  });
  await iamCall(endpoint, {
    Action: 'PutRolePolicy',
    RoleName: roleName,
    PolicyName: 'connector',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }),
  });
}

/** The number of set-up calls {@link createConnectorRole} makes. */
export const CONNECTOR_ROLE_CALLS = 2;
