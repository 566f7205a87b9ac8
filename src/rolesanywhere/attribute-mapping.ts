import { Token } from 'aws-cdk-lib';
import type { CfnProfile } from 'aws-cdk-lib/aws-rolesanywhere';
import { quote } from '../contract';

/**
 * A field of the authenticating certificate whose values become session tags.
 *
 * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-profile-attributemapping.html#cfn-rolesanywhere-profile-attributemapping-certificatefield
 */
export enum CertificateField {
  /** The subject's relative distinguished names (`CN`, `OU`, ...): tags `x509Subject/<RDN>`. */
  X509_SUBJECT = 'x509Subject',
  /** The issuer's relative distinguished names: tags `x509Issuer/<RDN>`. */
  X509_ISSUER = 'x509Issuer',
  /** Subject alternative names (`DNS`, `URI`, `Name/...`): tags `x509SAN/<type>`. */
  X509_SAN = 'x509SAN',
}

/**
 * Which attributes of one certificate field a profile maps to session tags, replacing the
 * service's default mapping for that field.
 *
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/attribute-mapping.html
 */
export interface AttributeMapping {
  /** The certificate field. */
  readonly certificateField: CertificateField;

  /**
   * The mapping rules' specifiers, e.g. `['CN', 'OU']` for the subject, `['DNS', 'URI']` for
   * the SAN, or `['*']` for every supported attribute; each at most 60 characters.
   *
   * @see http://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rolesanywhere-profile-mappingrule.html#cfn-rolesanywhere-profile-mappingrule-specifier
   */
  readonly specifiers: string[];
}

const MAX_SPECIFIER_LENGTH = 60;

/**
 * Checks and renders attribute mappings: one mapping per field (the service keeps one rule set
 * per field), at least one specifier each, no duplicates.
 */
export function renderAttributeMappings(mappings: AttributeMapping[]): CfnProfile.AttributeMappingProperty[] {
  const fields = new Set<string>();
  return mappings.map((mapping) => {
    const field = mapping.certificateField;
    if (fields.has(field)) {
      throw new Error(`duplicate attribute mapping for ${field}: expected one mapping per certificate field`);
    }
    fields.add(field);
    if (mapping.specifiers.length === 0) {
      throw new Error(`attribute mapping for ${field} has no specifiers: expected at least one, such as CN`);
    }
    const specifiers = new Set<string>();
    for (const specifier of mapping.specifiers) {
      if (Token.isUnresolved(specifier)) continue;
      if (specifier.trim().length === 0 || specifier.length > MAX_SPECIFIER_LENGTH) {
        throw new Error(`invalid specifier ${quote(specifier)} for ${field}: expected 1 to ${MAX_SPECIFIER_LENGTH} characters, such as CN`);
      }
      if (specifiers.has(specifier)) {
        throw new Error(`duplicate specifier ${quote(specifier)} for ${field}: expected each specifier once`);
      }
      specifiers.add(specifier);
    }
    return { certificateField: field, mappingRules: mapping.specifiers.map((specifier) => ({ specifier })) };
  });
}
