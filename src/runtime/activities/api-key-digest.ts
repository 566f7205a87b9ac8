/**
 * DescribeConnection never returns an API key's value, so registerApp cannot compare the key it
 * holds with the one a connection sends. It therefore writes a salted scrypt digest of the key
 * into the connection's Description when it creates or updates the connection, and on the next
 * start compares its key against that digest: a match means the key is unchanged; a mismatch, or
 * a description without a digest (a connection made by someone else), means the key is updated.
 *
 * The description is readable by anyone allowed DescribeConnection, hence a slow, salted hash
 * rather than a plain SHA-256: it tells nothing useful about a random key and makes guessing a
 * weak one expensive.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const MARKER = 'api-key-digest=scrypt:';
const DIGEST = /api-key-digest=scrypt:([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{43})/;
/** scrypt cost: about 16 MiB and tens of milliseconds, paid once per start. */
const COST = { N: 16384, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;

function hash(apiKey: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(apiKey, salt, HASH_BYTES, COST, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** The description registerApp gives a connection: a fixed sentence and the key's digest. */
export async function connectionDescription(apiKey: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const digest = await hash(apiKey, salt);
  return `API key for deliveries to the app, managed by cdk-eventbridge-connector registerApp (${MARKER}${salt.toString('base64url')}:${digest.toString('base64url')})`;
}

/** True when `description` carries a digest of exactly this key. */
export async function describesApiKey(description: string | undefined, apiKey: string): Promise<boolean> {
  const match = description === undefined ? null : DIGEST.exec(description);
  if (!match) return false;
  const expected = Buffer.from(match[2], 'base64url');
  const actual = await hash(apiKey, Buffer.from(match[1], 'base64url'));
  return timingSafeEqual(actual, expected);
}
