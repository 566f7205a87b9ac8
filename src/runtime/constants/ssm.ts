import { definedOnly } from '../../contract/defined-only';
import { escapeBounded } from '../../contract/quote';
import { ConstantsError } from '../errors';
import { ssmModule } from '../sdk-modules';
import { CredentialsInput } from '../types';

/**
 * An SSM client as the runtime uses it: `new (ssmModule().SSMClient)(...)` from `@aws-sdk/client-ssm` fits.
 * Kept structural so that the published types do not depend on the SDK version we bundle.
 */
export interface SsmClientLike {
  send(command: object): Promise<unknown>;
}

export interface SsmConnectionOptions {
  /** @default - the SDK's region chain (`AWS_REGION`, the shared config file) */
  readonly region?: string;
  /** @default - the SDK's default credential chain */
  readonly credentials?: CredentialsInput;
  /** An SSM-compatible endpoint such as moto or LocalStack. @default - the regional AWS endpoint */
  readonly endpoint?: string;
  /**
   * Where the caller looked for the region before leaving it to the SDK, for the message when
   * the SDK finds none either. @default - the region option
   */
  readonly regionSources?: { readonly key: string; readonly names: string };
}

/** Where the AWS SDK for JavaScript v3 looks for a region (`NODE_REGION_CONFIG_OPTIONS` in `@smithy/core`). */
export const SDK_REGION_CHAIN = 'AWS_REGION, region in the profile (AWS_PROFILE, else default) of ~/.aws/config or ~/.aws/credentials, ' +
  'or the EC2 instance metadata (unless AWS_EC2_METADATA_DISABLED)';

/**
 * Runs `use` with the given client, or with one made for the call and closed afterwards so that
 * its keep-alive sockets do not hold the process open.
 */
export async function withSsm<T>(
  given: SsmClientLike | undefined,
  options: SsmConnectionOptions,
  use: (ssm: SsmClientLike) => Promise<T>,
): Promise<T> {
  if (given) return use(given);
  // SDK client configuration: a key set to undefined is not always the same as one left out.
  const client = new (ssmModule().SSMClient)(definedOnly({ region: options.region, credentials: options.credentials, endpoint: options.endpoint }));
  try {
    if (options.region === undefined) await sdkRegion(client, options.regionSources ?? { key: 'region', names: 'the region option' });
    return await use(client);
  } finally {
    client.destroy();
  }
}

/**
 * The region the SDK resolves for the client (its own chain, asked before the first request), or
 * a message naming every place the region is read from: the SDK's own says only "Region is missing".
 * @throws ConstantsError when the chain finds no region, or the one it finds is not valid
 */
async function sdkRegion(client: { config: { region: unknown } }, sources: { key: string; names: string }): Promise<string> {
  const expected = 'the region of the connector parameters, such as eu-west-1';
  try {
    const region = client.config.region;
    return typeof region === 'function' ? String(await (region as () => Promise<string>)()) : String(region);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/region is missing/i.test(message)) {
      throw new ConstantsError(sources.key, `missing region: expected ${expected}, set in ${sources.names}, or where the AWS SDK looks for it: ${SDK_REGION_CHAIN}`);
    }
    throw new ConstantsError(sources.key, `invalid region from the AWS SDK's chain (${SDK_REGION_CHAIN}): ${escapeBounded(message, 200)}: expected ${expected}`);
  }
}

/** The parts of an SDK service error the runtime looks at. */
export function serviceErrorOf(error: unknown): { name: string; message: string; statusCode?: number } {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    statusCode: e?.$metadata?.httpStatusCode,
  };
}

/**
 * SSM says AccessDeniedException; compatible endpoints may say AccessDenied, or answer 403 with a
 * body the SDK cannot read (moto sends its XML error to JSON-protocol clients).
 */
export function isAccessDenied(error: { name: string; statusCode?: number }): boolean {
  return error.name === 'AccessDeniedException' || error.name === 'AccessDenied' || error.statusCode === 403;
}

/** What the service said when it refused, for the end of a message. */
export function refusalDetail(error: { name: string; message: string; statusCode?: number }): string {
  if (error.name === 'AccessDeniedException' || error.name === 'AccessDenied') return `SSM said: ${error.message}`;
  return `the endpoint answered HTTP ${error.statusCode} with an error the SDK could not read`;
}
