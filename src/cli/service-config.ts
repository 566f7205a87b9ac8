/**
 * The JSON file `rolesanywhere-service --config` reads: trust anchors (with their CA bundle
 * inline or in a file beside the config) and profiles, as the service options take them.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from './io';
import type { ProfileConfig, TrustAnchorConfig } from '../local/rolesanywhere-service';
import type { AwsCredentials } from '../runtime/types';

export interface ServiceConfigFile {
  readonly region?: string;
  readonly stsCredentials?: AwsCredentials;
  /** Evaluate each role's trust policy, read from IAM at the STS endpoint. @default true */
  readonly evaluateTrustPolicies?: boolean;
  readonly trustAnchors: TrustAnchorConfig[];
  readonly profiles: ProfileConfig[];
}

export const SERVICE_CONFIG_EXAMPLE = `{
  "trustAnchors": [
    { "arn": "arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/<uuid>", "certificatesFile": "ca.pem" }
  ],
  "profiles": [
    { "arn": "arn:aws:rolesanywhere:eu-west-1:123456789012:profile/<uuid>",
      "roleArns": ["arn:aws:iam::123456789012:role/connector"], "durationSeconds": 3600 }
  ]
}`;

type Json = Record<string, unknown>;

export function readServiceConfig(path: string, cwd: string): ServiceConfigFile {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read --config file '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`config file '${path}' is not JSON (${(e as Error).message})`);
  }
  const bad = (where: string, expected: string) => new CliError(`config file '${path}': ${where} ${expected}`);
  if (!isObject(json)) throw bad('the top level', 'must be an object with trustAnchors and profiles');
  const list = (key: string) => {
    const value = json[key] ?? [];
    if (!Array.isArray(value) || !value.every(isObject)) throw bad(key, 'must be a list of objects');
    return value as Json[];
  };
  const optional = <T>(where: string, value: unknown, type: 'string' | 'boolean' | 'number'): T | undefined => {
    if (value !== undefined && typeof value !== type) throw bad(where, `must be a ${type}`);
    return value as T | undefined;
  };

  const trustAnchors = list('trustAnchors').map((anchor, i): TrustAnchorConfig => {
    const where = `trustAnchors[${i}]`;
    const inline = anchor.certificatesPem;
    const fromFile = optional<string>(`${where}.certificatesFile`, anchor.certificatesFile, 'string');
    if ((inline === undefined) === (fromFile === undefined)) throw bad(where, 'must have either certificatesPem or certificatesFile');
    let certificatesPem: string | string[];
    if (fromFile !== undefined) {
      try {
        certificatesPem = readFileSync(resolve(dirname(file), fromFile), 'utf8');
      } catch (e) {
        throw bad(`${where}.certificatesFile '${fromFile}'`, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): expected a PEM file, relative to the config file`);
      }
    } else if (typeof inline === 'string' || (Array.isArray(inline) && inline.every((p) => typeof p === 'string'))) {
      certificatesPem = inline as string | string[];
    } else {
      throw bad(`${where}.certificatesPem`, 'must be a PEM string or a list of them');
    }
    return {
      arn: optional<string>(`${where}.arn`, anchor.arn, 'string') ?? '',
      certificatesPem,
      enabled: optional<boolean>(`${where}.enabled`, anchor.enabled, 'boolean'),
    };
  });

  const profiles = list('profiles').map((profile, i): ProfileConfig => {
    const where = `profiles[${i}]`;
    const roleArns = profile.roleArns;
    if (!Array.isArray(roleArns) || !roleArns.every((r) => typeof r === 'string')) throw bad(`${where}.roleArns`, 'must be a list of role ARNs');
    return {
      arn: optional<string>(`${where}.arn`, profile.arn, 'string') ?? '',
      roleArns: roleArns as string[],
      durationSeconds: optional<number>(`${where}.durationSeconds`, profile.durationSeconds, 'number'),
      acceptRoleSessionName: optional<boolean>(`${where}.acceptRoleSessionName`, profile.acceptRoleSessionName, 'boolean'),
      enabled: optional<boolean>(`${where}.enabled`, profile.enabled, 'boolean'),
    };
  });

  let stsCredentials: AwsCredentials | undefined;
  if (json.stsCredentials !== undefined) {
    const c = json.stsCredentials;
    if (!isObject(c) || typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string') {
      throw bad('stsCredentials', 'must be an object with accessKeyId and secretAccessKey strings');
    }
    stsCredentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  }
  return {
    region: optional<string>('region', json.region, 'string'),
    stsCredentials,
    evaluateTrustPolicies: optional<boolean>('evaluateTrustPolicies', json.evaluateTrustPolicies, 'boolean'),
    trustAnchors,
    profiles,
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
