// Set-up the Roles Anywhere construct tests share: a stack in a fixed environment, a trust
// anchor ARN to import, and a throwaway PKI made once per test file.
import { App, Stack } from 'aws-cdk-lib';
import { createTestPki, TestPki } from './test-pki';

/** A trust anchor in the stacks' account and region. */
export const ANCHOR_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0b2b6c3e-8f0a-4a55-9a53-3c2f1c7a9d10';

/** A stack in account 123456789012, region eu-west-1. */
export function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/**
 * Registers `beforeAll`/`afterAll` hooks that make a test PKI before the file's tests and remove
 * it after them; the object returned reads the PKI of the moment, so call this at the top of a
 * test file and use the result inside tests.
 */
export function useTestPki(): TestPki {
  let current: TestPki | undefined;
  beforeAll(() => {
    current = createTestPki();
  });
  afterAll(() => current?.cleanup());
  return new Proxy({} as TestPki, {
    get: (_, field) => {
      if (!current) throw new Error('the test PKI is made in beforeAll: use it inside a test');
      return current[field as keyof TestPki];
    },
  });
}
