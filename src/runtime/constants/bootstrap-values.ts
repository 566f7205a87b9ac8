import { readFileSync } from 'node:fs';
import { BootstrapEnvironment, checkArn, checkParameterPath, checkRegion, checkSameRegion } from '../../contract';
import { ConstantsError } from '../errors';
import { Environment, FileReference } from './key-sources';
import { Problems } from './problems';

/** What a process outside AWS needs before it can read the rest of the contract. */
export interface BootstrapValues {
  readonly region: string;
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly parameterPath: string;
}

type Field = keyof BootstrapValues;
type ArnKind = 'trust-anchor' | 'profile' | 'role';

const FIELDS: readonly { field: Field; variable: string; expected: string; arn?: ArnKind }[] = [
  { field: 'region', variable: BootstrapEnvironment.REGION, expected: 'the region of the connector parameters, such as eu-west-1' },
  { field: 'trustAnchorArn', variable: BootstrapEnvironment.TRUST_ANCHOR_ARN, expected: 'the Roles Anywhere trust anchor ARN', arn: 'trust-anchor' },
  { field: 'profileArn', variable: BootstrapEnvironment.PROFILE_ARN, expected: 'the Roles Anywhere profile ARN', arn: 'profile' },
  { field: 'roleArn', variable: BootstrapEnvironment.ROLE_ARN, expected: 'the IAM role ARN the session assumes', arn: 'role' },
  { field: 'parameterPath', variable: BootstrapEnvironment.PARAMETER_PATH, expected: 'the connector parameter path, such as /eventbridge-connector/orders' },
];
/** The option of `bootstrap` / `fromParameters` that overrides a field, where there is one. */
const OPTION_OF: Partial<Record<Field, string>> = { region: 'region', parameterPath: 'path' };
const KEY_FILES = ['certificate', 'privateKey', 'intermediates'] as const;
const FILE_KEYS: readonly string[] = [...FIELDS.map((f) => f.field), ...KEY_FILES];

export interface BootstrapSourceOptions {
  readonly env: Environment;
  /** The bootstrap file, when one is named. */
  readonly file?: string;
  /** Overrides `BootstrapEnvironment.PARAMETER_PATH`. */
  readonly path?: string;
  /** Overrides `BootstrapEnvironment.REGION`. */
  readonly region?: string;
}

/** Outside AWS: the four values and the path, plus the key files the bootstrap file names. */
export interface OutsideAws {
  readonly kind: 'outside';
  readonly values: BootstrapValues;
  /** How to name each value in a message (the variable, or the key and file it came from). */
  readonly labels: Readonly<Record<Field, string>>;
  readonly keyFiles: Partial<Record<(typeof KEY_FILES)[number], FileReference>>;
}

/** Inside AWS: only the path (and perhaps the region); the default credential chain does the rest. */
export interface InsideAws {
  readonly kind: 'inside';
  readonly parameterPath: string;
  readonly region?: string;
}

/**
 * Reads the bootstrap values from options, environment variables and the bootstrap file, in that
 * order of precedence, and validates them; every problem names the variable or file key.
 */
export function readBootstrapValues(options: BootstrapSourceOptions): OutsideAws | InsideAws {
  const fileValues = options.file === undefined ? {} : readBootstrapFile(options.file);
  const problems = new Problems((key) => (options.file !== undefined && FILE_KEYS.includes(key) ? options.file : undefined));

  const found: Partial<Record<Field, { value: string; label: string }>> = {};
  for (const { field, variable } of FIELDS) {
    const option = field === 'parameterPath' ? options.path : field === 'region' ? options.region : undefined;
    const fromEnv = options.env[variable];
    if (option !== undefined) found[field] = { value: option, label: `options.${OPTION_OF[field]!}` };
    else if (fromEnv !== undefined && fromEnv !== '') found[field] = { value: fromEnv, label: variable };
    else if (fileValues[field] !== undefined) found[field] = { value: fileValues[field], label: field };
  }

  const outside = options.file !== undefined || FIELDS.some((f) => f.arn && found[f.field]);
  for (const { field, variable, expected } of FIELDS) {
    if (found[field] || (!outside && field !== 'parameterPath')) continue;
    // Every place the value is read from, so the message says what to set.
    const option = OPTION_OF[field] === undefined ? '' : `the ${OPTION_OF[field]} option or `;
    if (options.file !== undefined) problems.missing(field, `${expected} (or set ${option}${variable})`);
    else problems.missing(variable, `${expected} (or ${option}${field} in the bootstrap file named by ${BootstrapEnvironment.BOOTSTRAP_FILE})`);
  }

  for (const { field, arn } of FIELDS) {
    const given = found[field];
    if (!given) continue;
    const problem = arn ? checkArn(arn, given.value, given.label)
      : field === 'region' ? checkRegion(given.value)
        : checkParameterPath(given.value);
    if (problem) problems.fromContract(given.label, given.value, problem);
  }
  const anchor = found.trustAnchorArn;
  const profile = found.profileArn;
  if (anchor && profile && !checkArn('trust-anchor', anchor.value) && !checkArn('profile', profile.value)) {
    const apart = checkSameRegion(anchor.value, profile.value);
    if (apart) problems.across([anchor.label, profile.label], apart);
  }

  problems.throwIfAny(options.file !== undefined ? `the bootstrap values (${options.file})` : 'the bootstrap values');
  if (!outside) {
    return { kind: 'inside', parameterPath: found.parameterPath!.value, ...(found.region && { region: found.region.value }) };
  }
  const values = Object.fromEntries(FIELDS.map(({ field }) => [field, found[field]!.value])) as unknown as BootstrapValues;
  const labels = Object.fromEntries(FIELDS.map(({ field }) => [field, found[field]!.label])) as Record<Field, string>;
  const keyFiles: OutsideAws['keyFiles'] = {};
  for (const key of KEY_FILES) {
    if (fileValues[key] !== undefined) keyFiles[key] = { path: fileValues[key], file: options.file!, key };
  }
  return { kind: 'outside', values, labels, keyFiles };
}

/** The bootstrap file's string values by key; a file that cannot be used is reported at once. */
function readBootstrapFile(file: string): Record<string, string> {
  const fail = (message: string): never => {
    throw new ConstantsError(BootstrapEnvironment.BOOTSTRAP_FILE, message);
  };
  const expected = `expected a JSON object with ${FILE_KEYS.join(', ')}`;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read bootstrap file '${file}' (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${expected}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`invalid bootstrap file '${file}' (${(error as Error).message}): ${expected}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(`invalid bootstrap file '${file}': ${expected}, not ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  const problems = new Problems(() => file);
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!FILE_KEYS.includes(key)) {
      problems.add(key, `unknown key '${key}' at ${file}: expected one of ${FILE_KEYS.join(', ')}`);
    } else if (typeof value !== 'string') {
      problems.invalid(key, JSON.stringify(value), 'a string');
    } else {
      values[key] = value;
    }
  }
  problems.throwIfAny(`the bootstrap file ${file}`);
  return values;
}
