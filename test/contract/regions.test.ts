import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRegion, checkRegionCode, COMMERCIAL_REGIONS, partitionOf, regionalEndpoint, regionDisplayName } from '../../src/contract';

const ROOT = join(__dirname, '..', '..');

describe('regions', () => {
  test('the generated list is what the AWS SDK partition data says today', () => {
    const script = 'import(\'./build-tools/generate-regions.mjs\').then(async (m) => process.stdout.write(m.render(await m.loadSdkPartitions())))';
    const fresh = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(readFileSync(join(ROOT, 'src/contract/regions.generated.ts'), 'utf8')).toBe(fresh);
  });

  test('the commercial regions are in the order localeCompare gives their codes (they are sorted without it)', () => {
    const codes = COMMERCIAL_REGIONS.map((r) => r.code);
    expect(codes).toEqual([...codes].sort((a, b) => a.localeCompare(b)));
    expect(new Set(codes).size).toBe(codes.length);
  });

  test('the commercial partition lists every region the design names, with display names', () => {
    const names = Object.fromEntries(COMMERCIAL_REGIONS.map((r) => [r.code, r.displayName]));
    expect(COMMERCIAL_REGIONS.length).toBeGreaterThanOrEqual(34);
    expect(names).toMatchObject({
      'ap-east-2': 'Asia Pacific (Taipei)',
      'ap-southeast-5': 'Asia Pacific (Malaysia)',
      'ap-southeast-7': 'Asia Pacific (Thailand)',
      'ap-southeast-6': 'Asia Pacific (New Zealand)',
      'ap-southeast-4': 'Asia Pacific (Melbourne)',
      'ap-south-2': 'Asia Pacific (Hyderabad)',
      'ca-west-1': 'Canada West (Calgary)',
      'eu-central-2': 'Europe (Zurich)',
      'eu-south-2': 'Europe (Spain)',
      'il-central-1': 'Israel (Tel Aviv)',
      'me-central-1': 'Middle East (UAE)',
      'mx-central-1': 'Mexico (Central)',
      'sa-east-1': 'South America (Sao Paulo)',
      'us-east-1': 'US East (N. Virginia)',
      'af-south-1': 'Africa (Cape Town)',
    });
    expect(Object.keys(names).every((code) => partitionOf(code)?.id === 'aws')).toBe(true);
  });

  test('other partitions are known for ARNs and endpoints', () => {
    expect(partitionOf('cn-north-1')?.id).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')?.id).toBe('aws-us-gov');
    expect(regionalEndpoint('rolesanywhere', 'cn-north-1')).toBe('https://rolesanywhere.cn-north-1.amazonaws.com.cn');
    expect(regionalEndpoint('rolesanywhere', 'eu-west-1')).toBe('https://rolesanywhere.eu-west-1.amazonaws.com');
    expect(regionDisplayName('us-gov-west-1')).toMatch(/GovCloud/);
  });

  test.each([
    ['EU-WEST-1', /invalid region 'EU-WEST-1': expected a region code/],
    ['eu-west', /invalid region 'eu-west'/],
    ['xx-north-9', /unknown region 'xx-north-9'/],
  ])('rejects %s', (region, message) => {
    expect(checkRegion(region)).toMatch(message);
  });

  test('checkRegionCode checks the form only, and names the value', () => {
    expect(checkRegionCode('xx-north-9')).toBeUndefined();
    expect(checkRegionCode('eu-west-1')).toBeUndefined();
    expect(checkRegionCode('EU-WEST-1')).toBe("invalid region 'EU-WEST-1': expected a region code such as eu-west-1");
    expect(checkRegionCode(1)).toBe("invalid region '1': expected a region code such as eu-west-1");
  });
});
