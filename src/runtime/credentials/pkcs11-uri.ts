/**
 * PKCS#11 URIs (RFC 7512), the way the AWS helper and OpenSSL name objects in a token:
 * `pkcs11:token=my-token;object=my-key;type=private?pin-value=1234&module-path=/usr/lib/x.so`.
 */
import { InputError } from '../errors';

/** Path attributes that select a token or an object, and the query attributes we act on. */
export interface Pkcs11Uri {
  readonly token?: string;
  readonly manufacturer?: string;
  readonly serial?: string;
  readonly model?: string;
  readonly slotId?: number;
  /** CKA_LABEL. */
  readonly object?: string;
  /** CKA_ID, as bytes. */
  readonly id?: Buffer;
  readonly type?: 'private' | 'cert' | 'public' | 'secret-key' | 'data';
  readonly pinValue?: string;
  readonly modulePath?: string;
}

const PATH_ATTRIBUTES = new Set(['token', 'manufacturer', 'serial', 'model', 'library-manufacturer', 'library-description', 'library-version', 'slot-id', 'slot-description', 'slot-manufacturer', 'object', 'id', 'type']);
const QUERY_ATTRIBUTES = new Set(['pin-value', 'pin-source', 'module-name', 'module-path']);
const TYPES = new Set(['private', 'cert', 'public', 'secret-key', 'data']);

export function isPkcs11Uri(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('pkcs11:');
}

function decode(raw: string, uri: string, what: string): Buffer {
  if (/%(?![0-9a-fA-F]{2})/.test(raw)) throw new InputError(`invalid ${what} in PKCS#11 URI '${uri}': expected %XX escapes of two hex digits`);
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%') {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(raw[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Parses a `pkcs11:` URI; `flag` names where it came from in messages. */
export function parsePkcs11Uri(uri: string, flag: string): Pkcs11Uri {
  if (!uri.startsWith('pkcs11:')) throw new InputError(`invalid ${flag} '${uri.slice(0, 80)}': expected a pkcs11: URI (RFC 7512)`);
  const [path, query = ''] = uri.slice('pkcs11:'.length).split('?', 2);
  const values: Record<string, Buffer> = {};
  const take = (part: string, allowed: Set<string>, where: string) => {
    if (part === '') return;
    const at = part.indexOf('=');
    const name = at < 0 ? part : part.slice(0, at);
    if (at < 0 || !allowed.has(name)) {
      throw new InputError(`invalid ${flag} '${uri}': unknown ${where} attribute '${name}', expected name=value with one of ${[...allowed].join(', ')}`);
    }
    if (values[name] !== undefined) throw new InputError(`invalid ${flag} '${uri}': attribute '${name}' given twice`);
    values[name] = decode(part.slice(at + 1), uri, name);
  };
  path.split(';').forEach((part) => take(part, PATH_ATTRIBUTES, 'path'));
  query.split('&').forEach((part) => take(part, QUERY_ATTRIBUTES, 'query'));
  const text = (name: string) => values[name]?.toString('utf8');
  const type = text('type');
  if (type !== undefined && !TYPES.has(type)) throw new InputError(`invalid type '${type}' in ${flag} '${uri}': expected one of ${[...TYPES].join(', ')}`);
  const slot = text('slot-id');
  if (slot !== undefined && !/^\d+$/.test(slot)) throw new InputError(`invalid slot-id '${slot}' in ${flag} '${uri}': expected a decimal number`);
  if (values['pin-source'] !== undefined) {
    throw new InputError(`pin-source in ${flag} '${uri}' is not supported: the PIN must not come from a file the process reads on its own; give pin-value, or the PIN option`);
  }
  return {
    token: text('token'),
    manufacturer: text('manufacturer'),
    serial: text('serial'),
    model: text('model'),
    slotId: slot === undefined ? undefined : Number(slot),
    object: text('object'),
    id: values.id,
    type: type as Pkcs11Uri['type'],
    pinValue: text('pin-value'),
    modulePath: text('module-path'),
  };
}
