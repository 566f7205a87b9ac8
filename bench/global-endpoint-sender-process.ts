// One sender of bench/global-endpoint.ts in a process of its own, as put-events-sender-process.ts:
// `putEvents` on the lean transport, through the global endpoint (`endpointId`, SigV4a) or
// regional (SigV4) to the same stand-in; or `signing`, the cost of signing one PutEvents request
// with each signer. Prints one JSON line. Usage: global|regional <endpoint> <endpointId> <events>,
// or signing <rounds>
import { createHash } from 'node:crypto';
import { BENCH_CREDENTIALS, BENCH_PRIMARY } from './global-endpoint-settings';
import { ConnectorClient } from '../src/runtime/client';
import { PlainPathSigner, UnsignedRequest } from '../src/runtime/put-events/sigv4';
import { PlainPathSigV4aSigner } from '../src/runtime/put-events/sigv4a';

const BUS = 'bench';

/** About 250 bytes per entry as EventBridge counts them, as put-events-sender-process.ts sends. */
function makeEvents(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    source: 'com.example.orders',
    detailType: 'OrderPlaced',
    detail: { orderId: `o-${i}`, customerId: `c-${i % 977}`, amount: i % 1000, currency: 'EUR', items: ['sku-1', 'sku-2', 'sku-3'], note: 'x'.repeat(120) },
  }));
}

async function send(variant: 'global' | 'regional', endpoint: string, endpointId: string, count: number) {
  const client = new ConnectorClient({
    region: BENCH_PRIMARY,
    eventBusName: BUS,
    credentials: BENCH_CREDENTIALS,
    endpoint,
    putEvents: { transport: 'lean', ...(variant === 'global' && { endpointId }) },
  });
  const events = makeEvents(count);
  const acknowledged = async () => {
    const result = await client.putEvents(events);
    return result.entries.length - result.failedEntryCount;
  };
  // Warm-up: JIT, sockets, the signing key, the first request's check against the SDK's signer.
  await acknowledged();
  await acknowledged();
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const sent = await acknowledged();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  client.destroy();
  // Refused requests (a signature the stand-in did not verify) come back as failed entries.
  if (sent !== count) throw new Error(`${variant}: ${sent} of ${count} events acknowledged`);
  return { variant, eventsPerSecond: count / seconds, cpuMicrosPerEvent: (cpu.user + cpu.system) / count };
}

/** A PutEvents request of 10 such entries, as the lean transport hands it to its signer. */
function unsignedRequest(): UnsignedRequest {
  const entries = makeEvents(10).map((e) => ({ Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail), EventBusName: BUS }));
  const body = JSON.stringify({ Entries: entries });
  return {
    method: 'POST',
    protocol: 'https:',
    hostname: 'events.us-east-1.amazonaws.com',
    path: '/',
    query: {},
    headers: {
      'host': 'events.us-east-1.amazonaws.com',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSEvents.PutEvents',
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      'x-amz-user-agent': 'bench',
    },
    body,
  };
}

/**
 * Microseconds per signature of each signer, alternating blocks of 1,000 signatures so that load
 * drifting over the run taxes both; medians over the blocks. The key of each is derived once
 * (on the warm-up), as a client's is.
 */
async function signing(rounds: number) {
  const credentials = () => Promise.resolve(BENCH_CREDENTIALS);
  const sigv4 = new PlainPathSigner(credentials, BENCH_PRIMARY, 'events');
  const sigv4a = new PlainPathSigV4aSigner(credentials, 'events');
  const request = unsignedRequest();
  const block = async (signer: { signToList: PlainPathSigner['signToList'] }) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) await signer.signToList(request, new Date());
    return Number(process.hrtime.bigint() - start) / 1e3 / 1000;
  };
  await block(sigv4);
  await block(sigv4a);
  const v4: number[] = [];
  const v4a: number[] = [];
  for (let r = 0; r < rounds; r++) {
    v4.push(await block(sigv4));
    v4a.push(await block(sigv4a));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { sigv4Micros: median(v4), sigv4aMicros: median(v4a), sigv4aDerivations: sigv4a.derivations };
}

void (async () => {
  const [variant, ...args] = process.argv.slice(2);
  const out = variant === 'signing'
    ? await signing(Number(args[0]))
    : await send(variant as 'global' | 'regional', args[0], args[1], Number(args[2]));
  process.stdout.write(`${JSON.stringify(out)}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
