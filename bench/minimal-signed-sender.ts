/**
 * The floor a PutEvents sender can reach in Node: what a person would write by hand with nothing
 * but `node:http` and `node:crypto`. The same JSON 1.1 body, a SigV4 signature (signing key
 * derived once a day, as SignatureV4's cache does), a keep-alive agent, `inFlight` requests at
 * once. No validation, no retries, no timeouts: it is the yardstick, not a client.
 */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import type * as https from 'node:https';

interface Credentials { readonly accessKeyId: string; readonly secretAccessKey: string }
export interface MinimalEvent { readonly source: string; readonly detailType: string; readonly detail: object }

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** node:http, or node:https for an https endpoint (the caller loads it, so that http alone never does). */
type Transport = Pick<typeof http | typeof https, 'Agent' | 'request'>;

export function minimalSender(endpoint: string, region: string, credentials: Credentials, bus: string, transport: Transport = http) {
  const url = new URL(endpoint);
  const { Agent, request } = transport as typeof http;
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  let keyDay = '';
  let key = Buffer.alloc(0);

  function post(body: string): Promise<number> {
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const day = amzDate.slice(0, 8);
    if (day !== keyDay) {
      key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 'events'), 'aws4_request');
      keyDay = day;
    }
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const length = String(Buffer.byteLength(body));
    const canonical = `POST\n/\n\ncontent-length:${length}\ncontent-type:application/x-amz-json-1.1\nhost:${url.host}\n` +
      `x-amz-date:${amzDate}\nx-amz-target:AWSEvents.PutEvents\n\ncontent-length;content-type;host;x-amz-date;x-amz-target\n${payloadHash}`;
    const scope = `${day}/${region}/events/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    const signature = createHmac('sha256', key).update(toSign).digest('hex');
    return new Promise((resolve, reject) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        agent,
        headers: {
          'content-length': length,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-date': amzDate,
          'x-amz-target': 'AWSEvents.PutEvents',
          'authorization': `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=${signature}`,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { FailedEntryCount?: number; Entries?: unknown[] };
          resolve((out.Entries?.length ?? 0) - (out.FailedEntryCount ?? 0));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends the events 10 per request, `inFlight` requests at once; resolves to the count acknowledged. */
  async function send(events: readonly MinimalEvent[], inFlight: number): Promise<number> {
    let next = 0;
    let acknowledged = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < events.length) {
        const batch = events.slice(next, next + 10);
        next += 10;
        const body = JSON.stringify({
          Entries: batch.map((e) => ({ Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail), EventBusName: bus })),
        });
        const n = await post(body);
        acknowledged += n;
      }
    }));
    return acknowledged;
  }

  return { send, destroy: () => agent.destroy() };
}
