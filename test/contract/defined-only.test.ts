import { SSMClient } from '@aws-sdk/client-ssm';
import { definedOnly } from '../../src/contract/defined-only';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

/** What an SDK client resolved, as plain values: its endpoint (when one is set), region and attempts. */
async function resolved(config: NonNullable<ConstructorParameters<typeof SSMClient>[0]>) {
  const client = new SSMClient(config);
  try {
    const c = client.config;
    const endpoint = c.endpoint ? await c.endpoint() : undefined;
    return {
      region: await c.region(),
      endpoint: endpoint && `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port ?? ''}${endpoint.path}`,
      maxAttempts: await c.maxAttempts(),
      isCustomEndpoint: c.isCustomEndpoint,
      keys: Object.keys(c).sort(),
    };
  } finally {
    client.destroy();
  }
}

describe('definedOnly', () => {
  test('leaves out own keys whose value is undefined, keeps every other value', () => {
    const result = definedOnly({ a: 1, b: undefined, c: null, d: 0, e: '' });
    expect(result).toStrictEqual({ a: 1, c: null, d: 0, e: '' });
    expect('b' in result).toBe(false);
  });

  test('a real SDK client resolves the same configuration from definedOnly({ endpoint: undefined, ... }) as from the keys left out', async () => {
    const absent = await resolved({ region: 'eu-west-1', credentials: CREDENTIALS });
    const filtered = await resolved(definedOnly({ region: 'eu-west-1', credentials: CREDENTIALS, endpoint: undefined, maxAttempts: undefined }));
    expect(filtered).toStrictEqual(absent);
  });

  test('and the given values still count', async () => {
    const given = await resolved(definedOnly({ region: 'eu-west-1', credentials: CREDENTIALS, endpoint: 'http://127.0.0.1:4566/', maxAttempts: 2 }));
    expect(given).toEqual(expect.objectContaining({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566/', maxAttempts: 2, isCustomEndpoint: true }));
  });
});
