import { execFileSync } from 'node:child_process';
import { CfnParameter, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { newStack, useTestPki } from './fixture';
import {
  NotificationEvent,
  TrustAnchor,
  TrustAnchorSource,
  TrustAnchorSourceType,
} from '../../src/rolesanywhere';

const ANCHOR_ARN = 'arn:aws:rolesanywhere:eu-central-1:210987654321:trust-anchor/0b2b6c3e-8f0a-4a55-9a53-3c2f1c7a9d10';
const PCA_ARN = 'arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012';

const pki = useTestPki();

/** What openssl itself says about a certificate, to check our reading against. */
function opensslField(pem: string, ...options: string[]): string {
  return execFileSync('openssl', ['x509', '-noout', ...options], { input: pem, encoding: 'utf8' }).trim().split('=').slice(1).join('=');
}

describe('a trust anchor from a certificate bundle', () => {
  test('holds the CA certificate, is enabled, and is named after its construct path', () => {
    const stack = newStack();
    new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(pki.caPem) });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Name: Match.stringLikeRegexp('^Stack-Anchor'),
      Enabled: true,
      Source: { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: pki.caPem } },
      NotificationSettings: Match.absent(),
    });
  });

  test('tells the subject, expiry and fingerprint of each CA certificate, as openssl reads them', () => {
    const anchor = new TrustAnchor(newStack(), 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(pki.caPem) });

    expect(anchor.sourceType).toBe(TrustAnchorSourceType.CERTIFICATE_BUNDLE);
    expect(anchor.certificates).toHaveLength(1);
    const [ca] = anchor.certificates;
    expect(ca.subject).toBe('CN=Test Root CA');
    expect(ca.issuer).toBe('CN=Test Root CA');
    expect(ca.notAfter).toBe(new Date(opensslField(pki.caPem, '-enddate')).toISOString());
    expect(ca.notBefore).toBe(new Date(opensslField(pki.caPem, '-startdate')).toISOString());
    expect(ca.serialNumber).toBe(opensslField(pki.caPem, '-serial'));
    expect(ca.fingerprint).toBe(opensslField(pki.caPem, '-fingerprint', '-sha256').replace(/:/g, '').toLowerCase());
  });

  test('keeps two CA certificates in order and drops the text around them', () => {
    const stack = newStack();
    const bundle = `subject=CN = Test Root CA\n${pki.caPem}\nsecond one:\n${pki.secondCaPem}\n`;
    const anchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(bundle) });

    expect(anchor.certificates.map((c) => c.subject)).toEqual(['CN=Test Root CA', 'CN=Second Test CA']);
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Source: { SourceData: { X509CertificateData: pki.caPem + pki.secondCaPem } },
    });
  });

  test('can read the bundle from a file', () => {
    const stack = newStack();
    const anchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundleFile(pki.caFile) });

    expect(anchor.certificates.map((c) => c.subject)).toEqual(['CN=Test Root CA']);
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Source: { SourceData: { X509CertificateData: pki.caPem } },
    });
  });

  test('passes a bundle that is a token through unchecked, with no certificates to tell', () => {
    const stack = newStack();
    const bundle = new CfnParameter(stack, 'Bundle').valueAsString;
    const anchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(bundle) });

    expect(anchor.certificates).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Source: { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: { Ref: 'Bundle' } } },
    });
  });
});

describe('a trust anchor from AWS Private CA', () => {
  test('refers to the certificate authority by ARN', () => {
    const stack = newStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', PCA_ARN);
    const anchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromAcmPrivateCa(ca) });

    expect(anchor.sourceType).toBe(TrustAnchorSourceType.AWS_ACM_PCA);
    expect(anchor.certificates).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Source: { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: PCA_ARN } },
    });
  });

  test('follows a certificate authority defined in the same stack', () => {
    const stack = newStack();
    const ca = new acmpca.CfnCertificateAuthority(stack, 'Ca', {
      type: 'ROOT',
      keyAlgorithm: 'EC_prime256v1',
      signingAlgorithm: 'SHA256WITHECDSA',
      subject: { commonName: 'Connector Root CA' },
    });
    new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromAcmPrivateCaArn(ca.attrArn) });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Source: { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Ca'), 'Arn'] } } },
    });
  });
});

describe('trust anchor settings', () => {
  test('takes a name, starts disabled on request, and customizes expiry notifications', () => {
    const stack = newStack();
    new TrustAnchor(stack, 'Anchor', {
      source: TrustAnchorSource.fromCertificateBundle(pki.caPem),
      trustAnchorName: 'orders connector CA',
      enabled: false,
      notificationSettings: [
        { event: NotificationEvent.CA_CERTIFICATE_EXPIRY, threshold: Duration.days(90) },
        { event: NotificationEvent.END_ENTITY_CERTIFICATE_EXPIRY, enabled: false },
      ],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Name: 'orders connector CA',
      Enabled: false,
      NotificationSettings: [
        { Event: 'CA_CERTIFICATE_EXPIRY', Channel: 'ALL', Enabled: true, Threshold: 90 },
        { Event: 'END_ENTITY_CERTIFICATE_EXPIRY', Channel: 'ALL', Enabled: false, Threshold: Match.absent() },
      ],
    });
  });

  test('an enabled notification setting without a threshold gets the service default of 45 days', () => {
    const stack = newStack();
    new TrustAnchor(stack, 'Anchor', {
      source: TrustAnchorSource.fromCertificateBundle(pki.caPem),
      notificationSettings: [{ event: NotificationEvent.END_ENTITY_CERTIFICATE_EXPIRY }],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      NotificationSettings: [{ Event: 'END_ENTITY_CERTIFICATE_EXPIRY', Channel: 'ALL', Enabled: true, Threshold: 45 }],
    });
  });

  test('exposes its ARN, id and name to other constructs', () => {
    const stack = newStack();
    const anchor = new TrustAnchor(stack, 'Anchor', {
      source: TrustAnchorSource.fromCertificateBundle(pki.caPem),
      trustAnchorName: 'connector',
    });
    const logicalId = stack.getLogicalId(anchor.node.defaultChild as any);

    expect(anchor.trustAnchorName).toBe('connector');
    expect(stack.resolve(anchor.trustAnchorArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'TrustAnchorArn'] });
    expect(stack.resolve(anchor.trustAnchorId)).toEqual({ 'Fn::GetAtt': [logicalId, 'TrustAnchorId'] });
    expect(stack.resolve(anchor.trustAnchorRef)).toEqual({
      trustAnchorArn: { 'Fn::GetAtt': [logicalId, 'TrustAnchorArn'] },
      trustAnchorId: { 'Fn::GetAtt': [logicalId, 'TrustAnchorId'] },
    });
  });
});

describe('importing a trust anchor', () => {
  test('by ARN gives its id, account and region', () => {
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Imported', ANCHOR_ARN);

    expect(anchor.trustAnchorArn).toBe(ANCHOR_ARN);
    expect(stack.resolve(anchor.trustAnchorId)).toBe('0b2b6c3e-8f0a-4a55-9a53-3c2f1c7a9d10');
    expect(anchor.env).toEqual(expect.objectContaining({ account: '210987654321', region: 'eu-central-1' }));
    expect(stack.resolve(anchor.trustAnchorRef.trustAnchorId)).toBe('0b2b6c3e-8f0a-4a55-9a53-3c2f1c7a9d10');
  });

  test('takes an ARN from a parameter, splitting it at deployment', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'AnchorArn').valueAsString;
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Imported', arn);

    expect(stack.resolve(anchor.trustAnchorId)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'AnchorArn' }] }] }] }],
    });
  });

  test.each([
    ['a profile ARN', ANCHOR_ARN.replace('trust-anchor/', 'profile/')],
    ['no region', ANCHOR_ARN.replace('eu-central-1', '')],
    ['an id that is not a UUID', ANCHOR_ARN.replace(/[0-9a-f-]{36}$/, 'my-anchor')],
    ['not an ARN', 'trust-anchor/0b2b6c3e-8f0a-4a55-9a53-3c2f1c7a9d10'],
  ])('refuses %s, naming it', (_what, arn) => {
    expect(() => TrustAnchor.fromTrustAnchorArn(newStack(), 'Imported', arn))
      .toThrow(`invalid trust anchor ARN '${arn}': expected a Roles Anywhere trust anchor ARN`);
  });
});
