/** Static keys (the connector's static mode) as a credential provider. */
import { fromStaticCredentials, StaticCredentialsOptions } from '../../../src/runtime/credentials';
import { InputError } from '../../../src/runtime/errors';

test('resolves to the keys it was given, the same object every time', async () => {
  const provider = fromStaticCredentials({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEJr' });
  const first = await provider();
  expect(first).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEJr' });
  await expect(provider()).resolves.toBe(first);
  expect(Object.isFrozen(first)).toBe(true);
});

test('accepts the short key ids local stand-ins use', async () => {
  await expect(fromStaticCredentials({ accessKeyId: 'test', secretAccessKey: 'test' })()).resolves.toEqual({ accessKeyId: 'test', secretAccessKey: 'test' });
});

test.each<[string, Partial<StaticCredentialsOptions>, string]>([
  ['an empty access key id', { accessKeyId: '' }, "invalid accessKeyId '': expected an access key id such as AKIAIOSFODNN7EXAMPLE"],
  ['an access key id with a space', { accessKeyId: 'AKIA EXAMPLE' }, "invalid accessKeyId 'AKIA EXAMPLE'"],
  ['an empty secret', { secretAccessKey: '' }, "invalid secretAccessKey for access key 'AKIAIOSFODNN7EXAMPLE' (empty)"],
  ['a secret with a trailing newline, as files often have', { secretAccessKey: 'very-secret-value\n' }, "invalid secretAccessKey for access key 'AKIAIOSFODNN7EXAMPLE' (containing whitespace)"],
  ['an empty session token', { sessionToken: '' }, "invalid sessionToken for access key 'AKIAIOSFODNN7EXAMPLE'"],
])('refuses %s', (_, extra, message) => {
  const options = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', ...extra };
  let error: unknown;
  try {
    fromStaticCredentials(options);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toContain(message);
});

test('a message about a bad secret never shows the secret', () => {
  expect(() => fromStaticCredentials({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'very secret value' })).toThrow(
    expect.objectContaining({ message: expect.not.stringContaining('very secret') }),
  );
});
