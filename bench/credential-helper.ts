/**
 * Per-call latency of getting credentials from `serve` (an SDK's IMDSv2 round: PUT token, GET
 * role name, GET credentials, against one long-running process) versus `credential-process`
 * (a process spawned per call, which signs a CreateSession each time), both from the bundled
 * CLI against moto and the loopback Roles Anywhere service. Rounds alternate the order.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ROOT } from './processes';
import { createCertificateAuthority } from '../src/local/certificates';
import { startMoto } from '../src/local/moto';
import { startRolesAnywhereService } from '../src/local/rolesanywhere-service';

const ACCOUNT = '123456789012';
const TRUST_ANCHOR = `arn:aws:rolesanywhere:eu-west-1:${ACCOUNT}:trust-anchor/8a0ba4e6-4d5b-4f3c-9f55-6c1d8f0c0001`;
const PROFILE = `arn:aws:rolesanywhere:eu-west-1:${ACCOUNT}:profile/8a0ba4e6-4d5b-4f3c-9f55-6c1d8f0c0002`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/bench-connector`;

export interface CredentialHelperResult {
  readonly rounds: number;
  readonly serveMs: number;
  readonly credentialProcessMs: number;
  /** credential-process latency over serve latency: how many times faster serve answers. */
  readonly ratio: number;
}

export async function measureCredentialHelper(rounds = 12): Promise<CredentialHelperResult> {
  const cli = join(ROOT, 'lib', 'cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'bench-helper-'));
  const moto = await startMoto();
  const root = createCertificateAuthority({ commonName: 'Bench CA' });
  const leaf = root.issue({ commonName: 'bench-app' });
  const service = await startRolesAnywhereService({
    stsEndpoint: moto.endpoint,
    trustAnchors: [{ arn: TRUST_ANCHOR, certificatesPem: root.certificatePem }],
    profiles: [{ arn: PROFILE, roleArns: [ROLE] }],
  });
  writeFileSync(join(dir, 'cert.pem'), leaf.certificatePem);
  writeFileSync(join(dir, 'key.pem'), leaf.privateKeyPem);
  const flags = ['--certificate', join(dir, 'cert.pem'), '--private-key', join(dir, 'key.pem'),
    '--trust-anchor-arn', TRUST_ANCHOR, '--profile-arn', PROFILE, '--role-arn', ROLE, '--endpoint', service.endpoint];
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

  let serve: ChildProcess | undefined;
  try {
    serve = spawn(process.execPath, [cli, 'serve', '--port', '0', ...flags], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim().replace(/\/$/, ''));
      });
      serve!.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });

    const fromServe = async () => {
      const started = performance.now();
      const token = await (await fetch(`${endpoint}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' } })).text();
      const headers = { 'X-aws-ec2-metadata-token': token };
      const role = await (await fetch(`${endpoint}/latest/meta-data/iam/security-credentials/`, { headers })).text();
      const credentials = await (await fetch(`${endpoint}/latest/meta-data/iam/security-credentials/${role}`, { headers })).json() as { AccessKeyId?: string };
      if (!credentials.AccessKeyId) throw new Error('serve answered without credentials');
      return performance.now() - started;
    };
    const fromProcess = () => new Promise<number>((resolve, reject) => {
      const started = performance.now();
      execFile(process.execPath, [cli, 'credential-process', ...flags], { env, encoding: 'utf8' }, (error, stdout) => {
        if (error || !JSON.parse(stdout).AccessKeyId) reject(error ?? new Error('credential-process printed no credentials'));
        else resolve(performance.now() - started);
      });
    });

    await fromServe();
    await fromProcess();
    const serveMs: number[] = [];
    const processMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        serveMs.push(await fromServe());
        processMs.push(await fromProcess());
      } else {
        processMs.push(await fromProcess());
        serveMs.push(await fromServe());
      }
    }
    const result = { rounds, serveMs: median(serveMs), credentialProcessMs: median(processMs) };
    return { ...result, ratio: result.credentialProcessMs / result.serveMs };
  } finally {
    serve?.kill('SIGTERM');
    await service.stop();
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
