import { ConnectorError, ServiceError } from '../errors';

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Restates what an SDK call rejected with as a {@link ServiceError} that says which call failed:
 * `code` is the service's error name (`ResourceNotFoundException`, `AccessDeniedException`), or
 * Node's code for a connection that failed (`ECONNREFUSED`). The original error is the `cause`.
 */
export function toServiceError(error: unknown, action: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const code = name ?? (typeof e.code === 'string' ? e.code : 'UnknownError');
  const message = typeof e.message === 'string' && e.message ? e.message : String(error);
  return new ServiceError(code, `${action} failed: ${code}: ${message}`, e.$metadata?.httpStatusCode, { cause: error });
}

/** Sends one command, turning a rejection into a {@link ServiceError}. */
export async function call<T>(action: string, send: () => Promise<unknown>): Promise<T> {
  try {
    return (await send()) as T;
  } catch (error) {
    throw toServiceError(error, action);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ServiceError && error.code === 'ResourceNotFoundException';
}

export function isAlreadyExists(error: unknown): boolean {
  return error instanceof ServiceError && error.code === 'ResourceAlreadyExistsException';
}
