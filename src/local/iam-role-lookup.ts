/**
 * Reads a role's trust policy with IAM GetRole from the endpoint that mints sessions (moto
 * serves IAM and STS on one endpoint), so the loopback Roles Anywhere service evaluates the
 * trust policy the role really has, such as the one a local deploy created from a CDK app.
 * The AWS SDK's IAM client is not a dependency: this is one signed query-protocol call.
 */
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256';
import type { AwsCredentials } from '../runtime/types';


/** The role's trust policy, `'missing'` when IAM has no such role, or `'unreadable'` with the reason. */
export type RoleLookup = { readonly trustPolicy: unknown } | { readonly missing: true } | { readonly unreadable: string };

const TIMEOUT_MS = 5_000;

/** One signed IAM query-protocol call; resolves to the HTTP status and the XML body. */
export async function iamQuery(
  endpoint: string, credentials: AwsCredentials, params: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials, sha256: NodeSha256 });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'host': url.host },
    body,
  }));
  const response = await fetch(`${url.origin}/`, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  return { status: response.status, text: await response.text() };
}

export async function lookUpRole(endpoint: string, credentials: AwsCredentials, roleArn: string): Promise<RoleLookup> {
  const roleName = roleArn.split('/').pop() ?? roleArn;
  let text: string;
  let status: number;
  try {
    ({ status, text } = await iamQuery(endpoint, credentials, { Action: 'GetRole', RoleName: roleName }));
  } catch (e) {
    return { unreadable: `IAM GetRole at ${endpoint} failed: ${(e as Error).message}` };
  }
  if (status === 404 || /<Code>NoSuchEntity<\/Code>/.test(text)) return { missing: true };
  if (status !== 200) return { unreadable: `IAM GetRole at ${endpoint} answered ${status}: ${/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 120)}` };
  const raw = /<AssumeRolePolicyDocument>([\s\S]*?)<\/AssumeRolePolicyDocument>/.exec(text)?.[1];
  if (raw === undefined) return { unreadable: `IAM GetRole at ${endpoint} answered without AssumeRolePolicyDocument` };
  const xml = raw.replace(/&quot;/g, '"').replace(/&apos;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  // IAM sends the document URL-encoded (RFC 3986); some emulators send it as is.
  const json = xml.trim().startsWith('{') ? xml : decodeURIComponent(xml);
  try {
    return { trustPolicy: JSON.parse(json) };
  } catch {
    return { unreadable: `role '${roleArn}' has a trust policy that is not JSON` };
  }
}
