// The loopback EventBridge global endpoint of bench/global-endpoint.ts, in a process of its own:
// the bottleneck-free PutEvents endpoint of the baseline (which checks no signature) as both
// regions' EventBridge, behind the global-endpoint stand-in (src/local/global-endpoint.ts), which
// verifies each SigV4a request and passes regional SigV4 ones on as they are. Prints the URLs of
// both, so that senders can go through the stand-in or straight to the upstream. Replication is off: it would double the upstream's
// work for the global path alone. A request the stand-in refuses (a SigV4a signature that does not
// verify, or SigV4 with EndpointId) fails its entries, which the sender counts as not acknowledged.
import { BENCH_CREDENTIALS, BENCH_ENDPOINT_ID, BENCH_PRIMARY, BENCH_SECONDARY } from './global-endpoint-settings';
import { startEventBridgeEndpoint } from '../src/local/eventbridge-endpoint';
import { startGlobalEndpoint } from '../src/local/global-endpoint';

void (async () => {
  const upstream = await startEventBridgeEndpoint({ record: false, maxRequestBytes: 1024 * 1024 });
  const global = await startGlobalEndpoint({
    endpointId: BENCH_ENDPOINT_ID,
    primary: { region: BENCH_PRIMARY, endpoint: upstream.endpoint },
    secondary: { region: BENCH_SECONDARY, endpoint: upstream.endpoint },
    secretFor: (id) => (id === BENCH_CREDENTIALS.accessKeyId ? BENCH_CREDENTIALS.secretAccessKey : undefined),
    replication: false,
  });
  const stop = () => void Promise.all([global.stop(), upstream.stop()]).then(() => process.exit(0));
  process.stdout.write(`${JSON.stringify({ endpoint: global.endpoint, endpointId: global.endpointId, upstream: upstream.endpoint })}\n`);
  process.on('SIGTERM', stop);
  // As endpoint-process.ts: run-ts.mjs does not pass SIGTERM on, so go when that parent goes.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
})();
