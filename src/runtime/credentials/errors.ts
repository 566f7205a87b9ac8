import { ConnectorError, ServiceError } from '../errors';

/**
 * Why a certificate, key or PKCS#12 bundle cannot be used. Each is found locally, before any
 * request, so the code says what to fix rather than what the service would have said.
 */
export type CertificateErrorCode =
  | 'InvalidCertificate'
  | 'InvalidPrivateKey'
  | 'InvalidPkcs12'
  | 'IncorrectPassword'
  | 'UnsupportedAlgorithm'
  | 'UnsupportedKey'
  | 'CertificateExpired'
  | 'CertificateNotYetValid'
  | 'KeyMismatch'
  | 'CertificateIsCa'
  | 'CertificateIdMismatch';

/** The client certificate, its key or its bundle is unusable (found before any request). */
export class CertificateError extends ConnectorError {
  constructor(code: CertificateErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Details of a failed CreateSession besides its code, message and HTTP status. */
export interface RolesAnywhereErrorDetails {
  /** The URL the request went to. */
  readonly endpoint: string;
  /** The service's own `message`, when it sent one. */
  readonly serviceMessage?: string;
  /** `x-amzn-RequestId`, for AWS support. */
  readonly requestId?: string;
  readonly cause?: unknown;
}

/**
 * IAM Roles Anywhere (or a compatible endpoint) refused CreateSession, answered with something
 * that is not a session, or could not be reached. `code` is the service's error type
 * (`AccessDeniedException`, `ValidationException`, `ResourceNotFoundException`, ...) or one of
 * ours: `NetworkError`, `RequestTimeout`, `InvalidResponse`, `UnknownError`.
 */
export class RolesAnywhereError extends ServiceError {
  public readonly endpoint: string;
  public readonly serviceMessage?: string;
  public readonly requestId?: string;

  constructor(code: string, message: string, statusCode: number | undefined, details: RolesAnywhereErrorDetails) {
    super(code, message, statusCode, { cause: details.cause });
    this.endpoint = details.endpoint;
    this.serviceMessage = details.serviceMessage;
    this.requestId = details.requestId;
  }
}
