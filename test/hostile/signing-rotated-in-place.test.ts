/**
 * Credentials rotated in place: a provider (or a static credentials object) whose object keeps its
 * identity while its keys change, as a hand-written refresher does with `Object.assign(creds, next)`.
 * SignatureV4 reads the keys on every request (its key cache is keyed by them); the lean signer
 * must sign with the keys the object holds now, not the key derived from the ones it held before.
 */
import { resolveTarget, unsignedRequest } from '../../src/runtime/put-events/lean-transport';
import { putEventsOver } from '../runtime/put-events/sdk';

const AT = new Date('2026-11-29T12:34:56.789Z');

test('a credentials object rotated in place is signed with its new secret key, as SignatureV4 signs it', async () => {
  const creds = { accessKeyId: 'AKIDFIRSTEXAMPLE', secretAccessKey: 'first-secret', sessionToken: 'first-token' };
  const { client, destroy } = putEventsOver('lean', 'http://127.0.0.1:9', { credentials: async () => creds, region: 'eu-west-1' });
  try {
    const target = await resolveTarget(client.config);
    const request = unsignedRequest(target, '{"Entries":[]}');
    await target.signer.sign(request, AT); // checked against SignatureV4
    await target.signer.sign(request, AT); // fast from now on
    expect(target.signer.fast).toBe(true);

    Object.assign(creds, { accessKeyId: 'AKIDSECONDEXAMPLE', secretAccessKey: 'second-secret', sessionToken: 'second-token' });
    const fast = await target.signer.sign(request, AT);
    const reference = await target.signer.signatureV4.sign({ ...request, headers: { ...request.headers } }, { signingDate: AT });
    expect(fast['x-amz-security-token']).toBe('second-token');
    expect(fast.authorization).toBe(reference.headers.authorization);
  } finally {
    destroy();
  }
});
