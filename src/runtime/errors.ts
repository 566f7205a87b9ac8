/**
 * Errors the runtime throws. Each carries a stable `code` so callers can branch without parsing
 * messages; messages are lowercase and name the bad value and what was expected.
 */
export class ConnectorError extends Error {
  public readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A connector constant is missing or malformed (raised at startup). */
export class ConstantsError extends ConnectorError {
  constructor(
    /** The contract key, e.g. `RoleARN`. */
    public readonly key: string,
    message: string,
  ) {
    super('InvalidConstant', message);
  }
}

/** Bad input to an activity (raised by the call). */
export class InputError extends ConnectorError {
  constructor(message: string) {
    super('InvalidInput', message);
  }
}

/** An AWS service (or a compatible endpoint) refused a request. */
export class ServiceError extends ConnectorError {
  constructor(
    code: string,
    message: string,
    public readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * The message of anything thrown, for a log line or a wrapping Error: a thrown `undefined`, a
 * prototype-less object or a Proxy must not throw a second time where the first is handled.
 */
export function messageOf(thrown: unknown): string {
  try {
    return thrown instanceof Error ? String(thrown.message) : String(thrown);
  } catch {
    return 'a thrown value that cannot be shown as text';
  }
}

/** Anything thrown, as an Error: itself when it is one, else one whose message describes it. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(messageOf(thrown));
}
