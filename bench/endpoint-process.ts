// The bottleneck-free PutEvents baseline, in a process of its own so that serving requests does
// not share an event loop (or a core) with the client under measurement.
import { startEventBridgeEndpoint } from '../src/local/eventbridge-endpoint';

void (async () => {
  const endpoint = await startEventBridgeEndpoint({ record: false, maxRequestBytes: 1024 * 1024 });
  process.stdout.write(`${JSON.stringify({ endpoint: endpoint.endpoint })}\n`);
  process.on('SIGTERM', () => void endpoint.stop().then(() => process.exit(0)));
  // run-ts.mjs runs this in a child of its own and does not pass SIGTERM on: when that parent
  // goes, go too, or the bench (which holds this process's stdout) never exits.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void endpoint.stop().then(() => process.exit(0));
  }, 500).unref();
})();
