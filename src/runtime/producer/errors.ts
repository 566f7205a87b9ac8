import { ConnectorError } from '../errors';

/**
 * `putEvent` or `outbox.add` did not get an EventId for the entry. `code` and `errorCode` are the
 * entry's final error: the service's (`ThrottlingException`, `ValidationException`, ...), a network
 * code, `InvalidEntry` (refused before sending, attempts 0), `BufferFull` (backpressure set to
 * reject, or the wait ran past `maxBufferWaitMs`), or `ProducerClosed` (the client was closed before
 * the entry was acknowledged).
 */
export class PutEventError extends ConnectorError {
  /** The entry's final error code (same as `code`). */
  public readonly errorCode: string;
  /** The entry's final error message (same as `message`). */
  public readonly errorMessage: string;
  /** PutEvents requests that carried the entry; 0 when it was never sent. */
  public readonly attempts: number;

  constructor(errorCode: string, errorMessage: string, attempts: number) {
    super(errorCode, errorMessage);
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.attempts = attempts;
  }
}
