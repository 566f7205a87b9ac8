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
}

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
  const client = new (ssmModule().SSMClient)({
    ...(options.region !== undefined && { region: options.region }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
  });
  try {
    return await use(client);
  } finally {
    client.destroy();
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
