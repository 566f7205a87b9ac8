import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/run-cli';
import { createCertificateAuthority } from '../../src/local/certificates';
import { profileArn, roleArn, trustAnchorArn } from '../local/support/arns';
import { requestSession } from '../local/support/create-session-request';

const TRUST_ANCHOR = trustAnchorArn();
const PROFILE = profileArn();
const ROLE = roleArn('orders-connector');
const root = createCertificateAuthority({ commonName: 'Service CLI Root CA' });
const leaf = root.issue({ commonName: 'workload' });

const dir = mkdtempSync(join(tmpdir(), 'rolesanywhere-service-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('rolesanywhere-service', () => {
  test('prints its endpoint, serves the configured trust anchors and profiles, and stops when told', async () => {
    mkdirSync(join(dir, 'pki'), { recursive: true });
    writeFileSync(join(dir, 'pki', 'ca.pem'), root.certificatePem);
    const config = configFile('service.json', {
      trustAnchors: [{ arn: TRUST_ANCHOR, certificatesFile: 'pki/ca.pem' }],
      profiles: [{ arn: PROFILE, roleArns: [ROLE], enabled: false }],
    });
    let stop!: () => void;
    let endpointPrinted!: (endpoint: string) => void;
    const printed = new Promise<string>((resolve) => (endpointPrinted = resolve));
    const running = runCli(['rolesanywhere-service', '--config', config, '--sts-endpoint', 'http://127.0.0.1:9'], {
      serve: { stopSignal: new Promise<void>((resolve) => (stop = resolve)) },
      onStdout: (text) => endpointPrinted(text.trim()),
    });
    const endpoint = await printed;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // The trust anchor from the file vouches for the certificate; the profile is disabled.
    const response = await requestSession({
      endpoint, certificate: leaf.certificate, privateKey: leaf.privateKey, trustAnchorArn: TRUST_ANCHOR, profileArn: PROFILE, roleArn: ROLE,
    });
    expect(response).toMatchObject({ status: 403, errorType: 'AccessDeniedException', body: { message: `profile '${PROFILE}' is disabled` } });

    stop();
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${endpoint}\n`);
    expect(run.stderr).toContain(`rolesanywhere: CreateSession refused with 403 AccessDeniedException: profile '${PROFILE}' is disabled\n`);
  });

  const fails = async (args: string[], message: string) => {
    const run = await runCli(['rolesanywhere-service', ...args]);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `eventbridge-connector rolesanywhere-service: ${message}\n` });
  };
  const sts = ['--sts-endpoint', 'http://127.0.0.1:9'];

  test('missing flags are named', async () => {
    await fails(sts, 'missing --config: expected a JSON file with trustAnchors and profiles');
    await fails(['--config', 'x.json'], 'missing --sts-endpoint: expected the STS endpoint that mints sessions, such as http://127.0.0.1:5000');
  });

  test('bad flag values are named', async () => {
    const config = configFile('empty.json', {});
    await fails(['--config', config, '--sts-endpoint', 'moto'], "invalid --sts-endpoint 'moto': expected a URL such as http://127.0.0.1:5000");
    await fails(['--config', config, ...sts, '--port', '70000'], "invalid --port '70000': expected a whole number from 0 to 65535");
  });

  test('config files that cannot be used say where the problem is', async () => {
    await fails(['--config', join(dir, 'absent.json'), ...sts], `cannot read --config file '${join(dir, 'absent.json')}': no such file`);
    const notJson = configFile('not-json.json', '{ trustAnchors: [] }');
    await expect(runCli(['rolesanywhere-service', '--config', notJson, ...sts])).resolves.toMatchObject({
      code: 1, stderr: expect.stringMatching(new RegExp(`^eventbridge-connector rolesanywhere-service: config file '${notJson}' is not JSON \\(.+\\)\\n$`)),
    });
    const badProfile = configFile('bad-profile.json', { profiles: [{ arn: PROFILE, roleArns: ROLE }] });
    await fails(['--config', badProfile, ...sts], `config file '${badProfile}': profiles[0].roleArns must be a list of role ARNs`);
    const badDuration = configFile('bad-duration.json', { profiles: [{ arn: PROFILE, roleArns: [ROLE], durationSeconds: '3600' }] });
    await fails(['--config', badDuration, ...sts], `config file '${badDuration}': profiles[0].durationSeconds must be a number`);
    const missingCa = configFile('missing-ca.json', { trustAnchors: [{ arn: TRUST_ANCHOR, certificatesFile: 'nowhere.pem' }] });
    await fails(['--config', missingCa, ...sts],
      `config file '${missingCa}': trustAnchors[0].certificatesFile 'nowhere.pem' cannot be read (ENOENT): expected a PEM file, relative to the config file`);
    const badSwitch = configFile('bad-switch.json', { evaluateTrustPolicies: 'no', profiles: [] });
    await fails(['--config', badSwitch, ...sts], `config file '${badSwitch}': evaluateTrustPolicies must be a boolean`);
    const badArn = configFile('bad-arn.json', { trustAnchors: [{ arn: 'anchor', certificatesPem: root.certificatePem }] });
    await fails(['--config', badArn, ...sts],
      "invalid trust anchor ARN 'anchor': expected a Roles Anywhere trust anchor ARN such as arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/<uuid>");
  });
});
