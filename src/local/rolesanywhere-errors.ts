/**
 * The errors IAM Roles Anywhere answers CreateSession with: an HTTP status, the error type in the
 * `x-amzn-ErrorType` header, and `{"message": ...}` as the body.
 */
export type RolesAnywhereErrorType =
  | 'AccessDeniedException'
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'UnknownOperationException'
  | 'InternalServerException';

export class RolesAnywhereError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly type: RolesAnywhereErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** 403: authentication failed or the caller may not have what it asked for. */
export function accessDenied(message: string): RolesAnywhereError {
  return new RolesAnywhereError(403, 'AccessDeniedException', message);
}

/** 400: the request is malformed. */
export function validationError(message: string): RolesAnywhereError {
  return new RolesAnywhereError(400, 'ValidationException', message);
}

/** 404: a trust anchor or profile the request names does not exist. */
export function resourceNotFound(message: string): RolesAnywhereError {
  return new RolesAnywhereError(404, 'ResourceNotFoundException', message);
}
