// A process adding large events to an outbox with the claim check (payloads to moto's S3, the
// references to the PutEvents endpoint it is given), printing "added <n>" once each add resolved
// (the entry is on disk) and "ready" after the last; the test kills it with SIGKILL from there.
// `documentOf` is what the test expects to get back.
import { ConnectorClient } from '../../src/runtime';

/** Bytes of each document's body: over the 1 MiB request limit, so it goes through S3 by size. */
const BODY_BYTES = 1024 * 1024 + 512;

/** Document `n`: distinct bytes for each `n`, so each has its own payload object. */
export function documentOf(n: number): { n: number; body: string } {
  return { n, body: String.fromCharCode(97 + (n % 26)).repeat(BODY_BYTES) };
}

export const BUCKET = 'shop-payloads';
export const PREFIX = 'payloads/orders/';

if (require.main === module) {
  const [directory, endpoint, s3Endpoint, count] = process.argv.slice(2);
  void (async () => {
    const client = new ConnectorClient({
      region: 'eu-west-1',
      eventBusName: 'orders',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      endpoint,
      endpoints: { s3: s3Endpoint },
      claimCheck: { bucket: BUCKET, keyPrefix: PREFIX },
    });
    const outbox = await client.outbox({ directory, fsync: true, retryDelayMs: 50 });
    for (let n = 0; n < Number(count); n++) {
      await outbox.add({ source: 'com.example.docs', detailType: 'DocumentStored', detail: documentOf(n) });
      process.stdout.write(`added ${n}\n`);
    }
    process.stdout.write('ready\n');
    // Stays alive, its PutEvents unanswered, until the test kills it.
  })();
}
