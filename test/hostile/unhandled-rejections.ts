import type { RequestListener } from 'node:http';
import { serve, TestServer } from '../runtime/receiver/support';

/**
 * Serves `listener` for the file's tests and records every unhandled rejection while they run
 * (emptied before each test): the receiver's answers must never leave one behind.
 */
export function serveWatchingRejections(listener: RequestListener): { readonly url: () => string; readonly unhandled: unknown[] } {
  let server: TestServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await serve(listener);
  });
  beforeEach(() => void unhandled.splice(0));
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  });
  return { url: () => server.url, unhandled };
}
