import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Problems } from './problems';
import { BootstrapEnvironment } from '../../contract';

/** The certificate, key and intermediates as PEM text or bytes (DER or PEM). */
export interface KeySources {
  /** The client certificate (PEM text, or a Buffer with PEM or DER). */
  readonly certificate?: string | Buffer;
  /** Its private key (PEM text, or a Buffer with PEM or DER). */
  readonly privateKey?: string | Buffer;
  /** Passphrase of an encrypted private key. */
  readonly passphrase?: string;
  /** Intermediate CA certificates between the client certificate and the trust anchor. */
  readonly intermediates?: string | Buffer;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** A key file named in the bootstrap file: a path relative to that file. */
export interface FileReference {
  readonly path: string;
  /** The bootstrap file that names it. */
  readonly file: string;
  /** The key in that file, e.g. `certificate`. */
  readonly key: string;
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/**
 * Gathers the key material: explicit options first, then environment variables (a file path or
 * PEM text), then the files the bootstrap file names. Unreadable files become problems.
 */
export function gatherKeySources(
  problems: Problems,
  options: KeySources,
  env: Environment,
  fromFile: { certificate?: FileReference; privateKey?: FileReference; intermediates?: FileReference } = {},
): KeySources {
  const pick = (option: string | Buffer | undefined, variable: string, reference: FileReference | undefined): string | Buffer | undefined => {
    if (option !== undefined) return option;
    const value = env[variable];
    if (value !== undefined && value !== '') return PEM.test(value) ? value : read(problems, variable, value, undefined);
    if (reference) return read(problems, reference.key, reference.path, reference.file);
    return undefined;
  };
  const passphrase = options.passphrase ?? env[BootstrapEnvironment.PRIVATE_KEY_PASSPHRASE];
  return {
    certificate: pick(options.certificate, BootstrapEnvironment.CERTIFICATE, fromFile.certificate),
    privateKey: pick(options.privateKey, BootstrapEnvironment.PRIVATE_KEY, fromFile.privateKey),
    intermediates: pick(options.intermediates, BootstrapEnvironment.INTERMEDIATES, fromFile.intermediates),
    ...(passphrase !== undefined && passphrase !== '' && { passphrase }),
  };
}

/** Notes a missing certificate or key, saying every way to give it. */
export function requireKeyPair(problems: Problems, sources: KeySources): void {
  if (sources.certificate === undefined) {
    problems.add(BootstrapEnvironment.CERTIFICATE,
      `missing client certificate: expected the certificate option, ${BootstrapEnvironment.CERTIFICATE} (a PEM file path or PEM text), or certificate in the bootstrap file`);
  }
  if (sources.privateKey === undefined) {
    problems.add(BootstrapEnvironment.PRIVATE_KEY,
      `missing private key: expected the privateKey option, ${BootstrapEnvironment.PRIVATE_KEY} (a PEM file path or PEM text), or privateKey in the bootstrap file`);
  }
}

function read(problems: Problems, key: string, path: string, relativeTo: string | undefined): Buffer | undefined {
  const full = relativeTo !== undefined && !isAbsolute(path) ? resolve(dirname(relativeTo), path) : path;
  try {
    return readFileSync(full);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    const where = relativeTo !== undefined ? ` at ${relativeTo}` : '';
    problems.add(key, `cannot read ${key} '${path}'${where} (${reason}): expected a readable PEM file${relativeTo !== undefined ? ', relative to the bootstrap file' : ''}`);
    return undefined;
  }
}
