import { parseSecretReference, quote } from '../../contract';
import { ConstantsError } from '../errors';

/** One thing wrong with a constant: the key it is about and a sentence naming value and expectation. */
export interface ConstantProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * Collects every problem before throwing, so that a user fixing their parameters sees all of them
 * at once instead of one per deploy.
 */
export class Problems {
  private readonly list: ConstantProblem[] = [];

  /**
   * @param where how to say where a key lives, e.g. `/eventbridge-connector/orders/Duration`;
   *              undefined when the key alone is enough
   */
  constructor(private readonly where: (key: string) => string | undefined = () => undefined) {}

  get length(): number {
    return this.list.length;
  }

  add(key: string, message: string): void {
    this.list.push({ key, message });
  }

  missing(key: string, expected: string): void {
    this.add(key, `missing ${key}${this.at(key)}: expected ${expected}`);
  }

  invalid(key: string, value: string, expected: string, verb = 'invalid'): void {
    this.add(key, `${verb} ${key} ${quote(value)}${this.at(key)}: expected ${expected}`);
  }

  /** Records `value` as invalid unless it matches `pattern`; an absent value is no problem here. */
  unlessMatches(key: string, value: string | undefined, pattern: RegExp, expected: string): void {
    if (value !== undefined && !pattern.test(value)) this.invalid(key, value, expected);
  }

  /**
   * Records `value` as invalid unless it is a Secrets Manager reference; the value is shown only
   * when it cannot be the secret itself (see {@link showSecretValue}). `secret` names what the
   * secret holds, e.g. `the secret key`.
   */
  unlessSecretReference(key: string, value: string | undefined, secret: string): void {
    if (value !== undefined && parseSecretReference(value) === undefined) {
      this.invalid(key, showSecretValue(value), `a reference such as /aws/reference/secretsmanager/<secret name or ARN>, never ${secret} itself`);
    }
  }

  /**
   * Restates a message of the contract's checks (`invalid region 'x': expected ...`) with the key
   * and its location, keeping the contract's own explanation of what was expected.
   */
  fromContract(key: string, value: string, contractMessage: string): void {
    const marker = `${quote(value)}: `;
    const at = contractMessage.indexOf(marker);
    const reason = at >= 0 ? contractMessage.slice(at + marker.length) : contractMessage;
    this.add(key, `invalid ${key} ${quote(value)}${this.at(key)}: ${reason}`);
  }

  /** A problem between two or more keys, reported on the last one and naming where each lives. */
  across(keys: readonly string[], message: string): void {
    this.add(keys[keys.length - 1], `${message} (${keys.map((k) => this.where(k) ?? k).join(' and ')})`);
  }

  /** Throws one error listing every problem, or returns when there is none. */
  throwIfAny(subject: string): void {
    if (this.list.length === 0) return;
    if (this.list.length === 1) throw new ConstantsError(this.list[0].key, this.list[0].message);
    const lines = this.list.map((p) => `  - ${p.message}`);
    throw new ConstantsError(this.list[0].key, `${this.list.length} problems with ${subject}:\n${lines.join('\n')}`);
  }

  private at(key: string): string {
    const where = this.where(key);
    return where ? ` at ${where}` : '';
  }
}

/**
 * A value that should have been a secret reference may be the secret itself: show it only when it
 * looks like a reference or an ARN gone wrong, so that an error log never carries a secret key.
 */
export function showSecretValue(value: string): string {
  if (value.startsWith('/aws/') || value.startsWith('arn:')) return value;
  return `<redacted, ${value.length} characters>`;
}
