import type { IncomingHttpHeaders } from 'node:http';
import type { BodySource } from './body';

/** A delivery as the transport hands it over; the adapters build it from node, Express or Fastify. */
export interface ReceiveRequest {
  readonly method?: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: BodySource;
}

/** The answer to a delivery, before a transport writes it. */
export interface ReceiveResponse {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /**
   * The request body was left unread (wholly or partly), so the connection cannot carry another
   * request: answer with `Connection: close` and close the socket.
   */
  readonly closeConnection?: boolean;
  /** Extra response headers, e.g. `Allow` with a 405. */
  readonly headers?: Readonly<Record<string, string>>;
}
