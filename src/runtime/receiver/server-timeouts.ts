/**
 * Timeouts for a node:http server that receives deliveries. Node's defaults let one client hold
 * a socket for minutes (`requestTimeout` 300 s) or forever (`timeout` 0); a receiver answers
 * EventBridge within 5 seconds, so nothing legitimate needs longer than these.
 */
export const SERVER_TIMEOUTS = {
  /** All request headers must arrive within this (node's default is 60 s). */
  headersTimeoutMs: 10_000,
  /** The whole request, body included (node's default is 300 s). */
  requestTimeoutMs: 15_000,
  /** An idle keep-alive connection closes after this (node's default is 5 s). */
  keepAliveTimeoutMs: 5_000,
  /** A socket with no activity at all closes after this (node's default is none). */
  socketTimeoutMs: 30_000,
} as const;

/** The parts of a node:http `Server` that {@link applyServerTimeouts} sets. */
export interface ServerWithTimeouts {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  setTimeout(ms: number): unknown;
}

/** Sets {@link SERVER_TIMEOUTS} on a server you created, and returns it. */
export function applyServerTimeouts<T extends ServerWithTimeouts>(server: T): T {
  server.headersTimeout = SERVER_TIMEOUTS.headersTimeoutMs;
  server.requestTimeout = SERVER_TIMEOUTS.requestTimeoutMs;
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeoutMs;
  server.setTimeout(SERVER_TIMEOUTS.socketTimeoutMs);
  return server;
}
