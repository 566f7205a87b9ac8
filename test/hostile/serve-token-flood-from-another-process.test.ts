/**
 * Another local process asks serve's endpoint for 10,000 six-hour tokens (the helper keeps 256
 * in a table; a full table refused every new client for up to 6 hours). Tokens are stateless
 * now: afterwards new clients still get tokens and credentials, and the flooder's own tokens
 * still work.
 */
import { execFile } from 'node:child_process';
import { startImdsServer, ImdsServer } from '../../src/cli/imds-server';
import type { AwsCredentials } from '../../src/runtime/types';

let server: ImdsServer;
let base: string;

beforeAll(async () => {
  server = await startImdsServer({
    roleName: 'orders-connector',
    port: 0,
    credentials: async (): Promise<AwsCredentials> => ({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(Date.now() + 3600_000) }),
  });
  base = server.endpoint.replace(/\/$/, '');
});

afterAll(() => server?.stop());

/** 10,000 PUTs, 16 at a time over keep-alive, from a separate node process; prints the status counts and its last token. */
const FLOOD = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const [port] = process.argv.slice(1);
const counts = {}; let last = ''; let sent = 0;
const one = () => new Promise((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port, path: '/latest/api/token', method: 'PUT', agent,
    headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' } }, (res) => {
    let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => { counts[res.statusCode] = (counts[res.statusCode] || 0) + 1; last = body; resolve(); });
  });
  req.on('error', reject); req.end();
});
const worker = async () => { while (sent < 10000) { sent++; await one(); } };
Promise.all(Array.from({ length: 16 }, worker)).then(() => { console.log(JSON.stringify({ counts, last })); agent.destroy(); });
`;

function flood(): Promise<{ counts: Record<string, number>; last: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', FLOOD, new URL(base).port], { encoding: 'utf8', timeout: 120_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout));
    });
  });
}

const credentials = (token: string) => fetch(`${base}/latest/meta-data/iam/security-credentials/orders-connector`, { headers: { 'X-aws-ec2-metadata-token': token } });

test('after 10,000 token PUTs by another process, new clients get tokens and credentials', async () => {
  const before = await (await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
  const result = await flood();
  expect(result.counts).toEqual({ 200: 10000 });
  expect(server.stats().tokensIssued).toBe(10001);

  for (let i = 0; i < 5; i++) {
    const put = await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } });
    expect(put.status).toBe(200);
    const read = await credentials(await put.text());
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ Code: 'Success', AccessKeyId: 'ASIAEXAMPLE' });
  }
  // Tokens from before the flood, and the flooder's own, are as good as ever.
  expect((await credentials(before)).status).toBe(200);
  expect((await credentials(result.last)).status).toBe(200);
}, 180_000);
