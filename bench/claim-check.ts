/**
 * The claim check's cost per MiB, beside the S3 call it wraps. Sending: `putEvents` of one event
 * of 1, 4 and 16 MiB through the claim check (serialise, SHA-256, PutObject to moto, PutEvents of
 * the reference to the loopback endpoint) vs the same bytes uploaded by a raw SDK `PutObject`
 * (serialise, PutObject): the ratio is our overhead over the upload itself. Receiving: the
 * receivers' resolver (GetObject with a range, size and SHA-256 checked, JSON.parse) vs a raw
 * `GetObject` read whole and parsed. Wall time and this process's CPU (user + system; moto's own
 * CPU is not counted, it is the same S3 for both) per MiB, medians of rounds whose order rotates.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { median } from './processes';
import { startMoto } from '../src/local/moto';
import { contentKey, referenceDetail, storePayload } from '../src/runtime/claim-check';
import { claimCheckResolver } from '../src/runtime/claim-check/resolve';
import { ConnectorClient } from '../src/runtime/client';
import type { HandlerContext, ReceivedEvent } from '../src/runtime/routing/types';

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'us-east-1';
const BUCKET = 'bench-payloads';
const PREFIX = 'payloads/bench/';
const MIB = 1024 * 1024;
/** Sizes of the event detail, in MiB. */
export const CLAIM_CHECK_SIZES_MIB = [1, 4, 16];

/** Wall and CPU milliseconds per MiB of one variant (medians), for one size. */
export interface PerMiB { readonly msPerMiB: number; readonly cpuMsPerMiB: number }

export interface ClaimCheckSizeResult {
  readonly mib: number;
  readonly rounds: number;
  readonly send: { readonly claimCheck: PerMiB; readonly rawPutObject: PerMiB; readonly timeRatio: number; readonly cpuRatio: number };
  readonly receive: { readonly resolve: PerMiB; readonly rawGetObject: PerMiB; readonly timeRatio: number; readonly cpuRatio: number };
}

export interface ClaimCheckBenchResult { readonly sizes: readonly ClaimCheckSizeResult[] }

/** A detail whose JSON is `mib` MiB, different in each round (so each upload writes new bytes). */
function documentOf(mib: number, round: number): { docId: string; body: string } {
  const docId = `${round}-${randomUUID()}`;
  const overhead = JSON.stringify({ docId, body: '' }).length;
  return { docId, body: String.fromCharCode(97 + (round % 26)).repeat(mib * MIB - overhead) };
}

type Variant = (round: number) => Promise<void>;

/** Runs each variant once per round (after one warm-up each), rotating which goes first; medians per MiB. */
async function alternate(mib: number, rounds: number, variants: Record<string, Variant>): Promise<Record<string, PerMiB>> {
  const names = Object.keys(variants);
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await variants[name](-1);
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < names.length; v++) {
      const name = names[(v + r) % names.length];
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      await variants[name](r);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const used = process.cpuUsage(cpuStart);
      wall[name].push(ms / mib);
      cpu[name].push((used.user + used.system) / 1000 / mib);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { msPerMiB: median(wall[n]), cpuMsPerMiB: median(cpu[n]) }]));
}

export async function measureClaimCheck(endpoint: string, rounds = 5): Promise<ClaimCheckBenchResult> {
  const moto = await startMoto();
  const raw = new S3Client({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS, forcePathStyle: true });
  const connector = new ConnectorClient({
    region: REGION,
    eventBusName: 'bench',
    credentials: CREDENTIALS,
    endpoint,
    endpoints: { s3: moto.endpoint },
    claimCheck: { bucket: BUCKET, keyPrefix: PREFIX },
  });
  try {
    await raw.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const resolve = claimCheckResolver({ s3: raw, bucket: BUCKET, keyPrefix: PREFIX }, 'bench')!;
    const context: HandlerContext = { signal: new AbortController().signal };
    const sizes: ClaimCheckSizeResult[] = [];
    for (const mib of CLAIM_CHECK_SIZES_MIB) {
      // Fewer rounds of the largest: each moves 16 MiB through moto several times.
      const n = mib >= 16 ? Math.max(3, rounds - 2) : rounds;
      const send = await alternate(mib, n, {
        claimCheck: async (round) => {
          const result = await connector.putEvents([{ source: 'bench.docs', detailType: 'DocumentStored', detail: documentOf(mib, round) }]);
          if (result.entries[0].eventId === undefined) throw new Error(`claim check ${mib} MiB: ${result.entries[0].errorCode}: ${result.entries[0].errorMessage}`);
        },
        rawPutObject: async (round) => {
          const body = Buffer.from(JSON.stringify(documentOf(mib, round)), 'utf8');
          await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}raw/${randomUUID()}.json`, Body: body, ContentType: 'application/json' }));
        },
      });
      // The receive side reads a payload stored as the sender stores it (its content key and checksum).
      const payload = JSON.stringify(documentOf(mib, 0));
      const key = contentKey(PREFIX, createHash('sha256').update(payload, 'utf8').digest('hex'));
      const pointer = await storePayload(raw, { bucket: BUCKET, keyPrefix: PREFIX, payload, key });
      const event = { id: 'bench', source: 'bench.docs', detailType: 'DocumentStored', detail: referenceDetail({}, pointer) } as unknown as ReceivedEvent;
      const receive = await alternate(mib, n, {
        resolve: async () => {
          const out = await resolve(event, context)!;
          if ((out.detail as { body: string }).body.length < mib * MIB - 100) throw new Error('resolve: short payload');
        },
        rawGetObject: async () => {
          const out = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
          const detail = JSON.parse(await out.Body!.transformToString('utf8')) as { body: string };
          if (detail.body.length < mib * MIB - 100) throw new Error('raw GetObject: short payload');
        },
      });
      sizes.push({
        mib,
        rounds: n,
        send: {
          claimCheck: send.claimCheck,
          rawPutObject: send.rawPutObject,
          timeRatio: send.claimCheck.msPerMiB / send.rawPutObject.msPerMiB,
          cpuRatio: send.claimCheck.cpuMsPerMiB / send.rawPutObject.cpuMsPerMiB,
        },
        receive: {
          resolve: receive.resolve,
          rawGetObject: receive.rawGetObject,
          timeRatio: receive.resolve.msPerMiB / receive.rawGetObject.msPerMiB,
          cpuRatio: receive.resolve.cpuMsPerMiB / receive.rawGetObject.cpuMsPerMiB,
        },
      });
    }
    return { sizes };
  } finally {
    await connector.close();
    raw.destroy();
    await moto.stop();
  }
}

/** One line per size, as bench/main.ts prints them. */
export function describeClaimCheck(result: ClaimCheckBenchResult): string {
  const f = (x: number) => x.toFixed(1);
  return result.sizes.map(({ mib, rounds, send, receive }) =>
    `claim check, ${mib} MiB event (median of ${rounds}): send ${f(send.claimCheck.msPerMiB)} ms/MiB (CPU ${f(send.claimCheck.cpuMsPerMiB)}) ` +
    `vs raw PutObject ${f(send.rawPutObject.msPerMiB)} (CPU ${f(send.rawPutObject.cpuMsPerMiB)}): x${send.timeRatio.toFixed(2)} time, x${send.cpuRatio.toFixed(2)} CPU; ` +
    `resolve ${f(receive.resolve.msPerMiB)} ms/MiB (CPU ${f(receive.resolve.cpuMsPerMiB)}) vs raw GetObject ${f(receive.rawGetObject.msPerMiB)} ` +
    `(CPU ${f(receive.rawGetObject.cpuMsPerMiB)}): x${receive.timeRatio.toFixed(2)} time, x${receive.cpuRatio.toFixed(2)} CPU`).join('\n');
}
