import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITrustAnchor } from './trust-anchor';
import { quote } from '../contract';

/** Conditions on the certificate a Roles Anywhere session is created with. */
export interface RolesAnywherePrincipalProps {
  /**
   * Common names the certificate's subject may have (`aws:PrincipalTag/x509Subject/CN`), exact.
   *
   * @default - any subject the trust anchor's CA issued
   */
  readonly subjectCommonNames?: string[];

  /**
   * Common names the certificate's issuer may have (`aws:PrincipalTag/x509Issuer/CN`), exact.
   *
   * @default - any issuer in the trust anchor's chain
   */
  readonly issuerCommonNames?: string[];

  /**
   * DNS names the certificate's subject alternative name may have (`aws:PrincipalTag/x509SAN/DNS`), exact.
   * Roles Anywhere tags only the certificate's first DNS name.
   *
   * @default - any subject alternative name
   */
  readonly subjectAlternativeNameDns?: string[];
}

const SERVICE = 'rolesanywhere.amazonaws.com';

/**
 * The actions a Roles Anywhere trust policy must allow: the service assumes the role, tags the
 * session with the certificate's attributes, and sets the source identity to its common name.
 */
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

const CERTIFICATE_CONDITIONS: Array<{ prop: keyof RolesAnywherePrincipalProps; key: string; what: string }> = [
  { prop: 'subjectCommonNames', key: 'aws:PrincipalTag/x509Subject/CN', what: 'subject common name' },
  { prop: 'issuerCommonNames', key: 'aws:PrincipalTag/x509Issuer/CN', what: 'issuer common name' },
  { prop: 'subjectAlternativeNameDns', key: 'aws:PrincipalTag/x509SAN/DNS', what: 'subject alternative DNS name' },
];

/**
 * IAM Roles Anywhere as the principal of a role's trust policy, limited to sessions created
 * through one trust anchor (`ArnEquals aws:SourceArn`) and, optionally, to certificates with
 * given names. As `assumedBy` of an `iam.Role` it yields one statement with the three actions
 * Roles Anywhere needs.
 */
export class RolesAnywherePrincipal extends iam.PrincipalBase {
  /** The trust anchor sessions must come through. */
  public readonly trustAnchor: ITrustAnchor;

  private readonly conditions: Record<string, Record<string, unknown>>;

  constructor(trustAnchor: ITrustAnchor, props: RolesAnywherePrincipalProps = {}) {
    super();
    const certificateConditions: Record<string, unknown> = {};
    for (const { prop, key, what } of CERTIFICATE_CONDITIONS) {
      const values = props[prop];
      if (values === undefined) continue;
      assertExactNames(prop, what, values);
      // A list token (a CommaDelimitedList parameter) is one encoded element: pass the list, never
      // its element as a scalar, which aws-cdk cannot resolve.
      const listToken = Token.isUnresolved(values);
      certificateConditions[key] = values.length === 1 && !listToken ? values[0] : listToken ? values : [...values];
    }

    this.trustAnchor = trustAnchor;
    // Confused-deputy conditions: the trust anchor's account and the trust anchor itself.
    this.conditions = {
      ArnEquals: { 'aws:SourceArn': trustAnchor.trustAnchorArn },
      StringEquals: { 'aws:SourceAccount': trustAnchor.env.account, ...certificateConditions },
    };
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return new iam.PrincipalPolicyFragment({ Service: [SERVICE] }, this.conditions);
  }

  /** Adds one statement: the service, the three actions, the conditions. */
  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    document.addStatements(new iam.PolicyStatement({ actions: ACTIONS, principals: [this] }));
  }

  public dedupeString(): string | undefined {
    return `RolesAnywherePrincipal:${JSON.stringify(this.conditions)}`;
  }

  public toString(): string {
    return `RolesAnywherePrincipal(${this.trustAnchor.node.path})`;
  }
}

function assertExactNames(prop: string, what: string, values: string[]): void {
  if (values.length === 0) {
    throw new Error(`${prop} is empty: expected at least one ${what}, or leave ${prop} out`);
  }
  for (const value of values) {
    if (Token.isUnresolved(value)) continue;
    if (value.trim().length === 0) {
      throw new Error(`invalid ${what} ${quote(value)}: expected a non-empty name`);
    }
    // StringEquals compares literally; a wildcard would never match and lock everyone out.
    if (/[*?]/.test(value)) {
      throw new Error(`invalid ${what} ${quote(value)}: expected an exact name, the condition uses StringEquals (no wildcards)`);
    }
  }
}
