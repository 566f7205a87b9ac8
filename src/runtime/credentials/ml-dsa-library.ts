/**
 * Loads the ML-DSA implementation (`@noble/post-quantum`, audited, pure JS) on first use only:
 * Node 20's OpenSSL has no ML-DSA, and users with RSA or EC keys should not pay its load time.
 * The package ships it pre-bundled as CommonJS (`lib/noble-ml-dsa.js`, found from the bundles
 * that load it); from sources it comes from node_modules through Node's require of ES modules (20.19+).
 */
import { existsSync } from 'node:fs';
import * as Module from 'node:module';
import { join } from 'node:path';
import { CertificateError } from './errors';

/** One ML-DSA parameter set as the library exposes it. */
export interface MlDsaScheme {
  keygen(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

export interface MlDsaLibrary {
  readonly ml_dsa44: MlDsaScheme;
  readonly ml_dsa65: MlDsaScheme;
  readonly ml_dsa87: MlDsaScheme;
}

let library: MlDsaLibrary | undefined;

export function loadMlDsa(): MlDsaLibrary {
  if (library) return library;
  // An ES module build has no __dirname: it then finds the library from the working directory.
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  const nodeRequire = Module.createRequire(join(here ?? process.cwd(), 'index.js'));
  const bundled = here ? [join(here, 'noble-ml-dsa.js'), join(here, '..', 'noble-ml-dsa.js')].find((file) => existsSync(file)) : undefined;
  try {
    // Node's own loader: test runners that replace `require` (jest before Node 24.9) cannot
    // require ES modules, and this one is ESM-only.
    const load = (Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown })._load;
    library = load(bundled ?? nodeRequire.resolve('@noble/post-quantum/ml-dsa.js'), null, false) as MlDsaLibrary;
  } catch (cause) {
    throw new CertificateError('UnsupportedKey', `cannot load ML-DSA (@noble/post-quantum): ${(cause as Error).message}: expected Node.js 20.19 or later with @noble/post-quantum installed`, { cause });
  }
  return library;
}
