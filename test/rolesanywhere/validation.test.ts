import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ANCHOR_ARN, newStack, useTestPki } from './fixture';
import { FIXTURES } from './test-pki';
import {
  CertificateField,
  CrlSource,
  NotificationEvent,
  Profile,
  ProfileProps,
  RolesAnywherePrincipal,
  RolesAnywherePrincipalProps,
  TrustAnchor,
  TrustAnchorProps,
  TrustAnchorSource,
} from '../../src/rolesanywhere';

const pki = useTestPki();

const bundle = (pem: () => string) => () => TrustAnchorSource.fromCertificateBundle(pem());
const fixture = (path: string) => readFileSync(path, 'utf8');

function trustAnchor(props: Partial<TrustAnchorProps>): (stack: Stack) => void {
  return (stack) => new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(pki.caPem), ...props });
}

function profile(props: Partial<ProfileProps>): (stack: Stack) => void {
  return (stack) => new Profile(stack, 'Profile', { roles: [iam.Role.fromRoleName(stack, 'Role', 'connector')], ...props });
}

function principal(props: RolesAnywherePrincipalProps): (stack: Stack) => void {
  return (stack) => new RolesAnywherePrincipal(TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN), props);
}

// Each bad input, what is wrong with it, and the message that must name it.
const BAD_INPUTS: Array<[string, (stack: Stack) => unknown, string | RegExp]> = [
  ['a leaf certificate in the bundle', bundle(() => pki.leafPem),
    "certificate 'CN=app.example.com' is not a CA certificate: expected basic constraints CA:TRUE in a trust anchor bundle"],
  ['three CA certificates', bundle(() => pki.caPem + pki.secondCaPem + pki.thirdCaPem),
    "invalid certificate bundle: 3 certificates ('CN=Test Root CA', 'CN=Second Test CA', 'CN=Third Test CA'), Roles Anywhere takes at most 2"],
  ['an expired CA', bundle(() => fixture(FIXTURES.expiredCa)),
    "certificate 'CN=Fixture expired CA' expired on 2001-01-01T00:00:00.000Z: expected a CA certificate valid now"],
  ['a CA not yet valid', bundle(() => fixture(FIXTURES.notYetValidCa)),
    "certificate 'CN=Fixture not-yet-valid CA' is not valid before 2099-01-01T00:00:00.000Z: expected a CA certificate valid now"],
  ['the same CA twice', bundle(() => pki.caPem + pki.caPem),
    "certificate 'CN=Test Root CA' appears twice in the certificate bundle: expected distinct CA certificates"],
  ['a bundle with no PEM', bundle(() => 'MIIBazCCARKgAwIBAgICEAAw'),
    'invalid certificate bundle: no PEM block found, expected one or two CA certificates in PEM (-----BEGIN CERTIFICATE-----)'],
  ['a private key in the bundle', bundle(() => pki.caPem + readFileSync(join(pki.dir, 'ca.key'), 'utf8')),
    "invalid certificate bundle: block 2 is a 'PRIVATE KEY', expected only CERTIFICATE blocks"],
  ['a certificate block that is not base64', bundle(() => '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n'),
    "invalid certificate bundle: the body of block 1 ('CERTIFICATE') is not base64"],
  ['a certificate block that is not X.509', bundle(() => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    /^invalid certificate bundle: certificate 1 cannot be parsed as X.509/],
  ['a bundle file that does not exist', () => TrustAnchorSource.fromCertificateBundleFile('/nonexistent/ca.pem'),
    /^cannot read certificate bundle file '\/nonexistent\/ca.pem': no such file \(ENOENT\), expected a readable file$/],
  ['an ACM Private CA ARN of another service', () => TrustAnchorSource.fromAcmPrivateCaArn(ANCHOR_ARN),
    `invalid certificate authority ARN '${ANCHOR_ARN}': expected an ACM Private CA ARN`],
  ['a trust anchor name with a slash', trustAnchor({ trustAnchorName: 'orders/ca' }),
    "invalid trust anchor name 'orders/ca': expected 1 to 255 characters of letters, digits, spaces, - and _"],
  ['a trust anchor name of 256 characters', trustAnchor({ trustAnchorName: 'a'.repeat(256) }),
    // The message quotes a bounded prefix and the length.
    `invalid trust anchor name '${'a'.repeat(160)}...' (256 characters): expected 1 to 255 characters`],
  ['a notification threshold of 400 days',
    trustAnchor({ notificationSettings: [{ event: NotificationEvent.CA_CERTIFICATE_EXPIRY, threshold: Duration.days(400) }] }),
    'invalid notification threshold 400 days: expected whole days from 1 to 360'],
  ['a notification threshold of 36 hours',
    trustAnchor({ notificationSettings: [{ event: NotificationEvent.CA_CERTIFICATE_EXPIRY, threshold: Duration.hours(36) }] }),
    'invalid notification threshold 1 day 12 hours: expected whole days from 1 to 360'],
  ['two settings for one notification event',
    trustAnchor({ notificationSettings: [{ event: NotificationEvent.CA_CERTIFICATE_EXPIRY }, { event: NotificationEvent.CA_CERTIFICATE_EXPIRY }] }),
    'duplicate notification setting for CA_CERTIFICATE_EXPIRY on channel ALL: expected one setting per event and channel'],
  ['a session of 60 seconds', profile({ sessionDuration: Duration.seconds(60) }),
    'invalid session duration 60 seconds: expected 900 to 43200'],
  ['a session of 13 hours', profile({ sessionDuration: Duration.hours(13) }),
    'invalid session duration 46800 seconds: expected 900 to 43200'],
  ['a profile name with a colon', profile({ profileName: 'orders:app' }),
    "invalid profile name 'orders:app': expected 1 to 255 characters of letters, digits, spaces, - and _"],
  ['two mappings for one certificate field', profile({
    attributeMappings: [
      { certificateField: CertificateField.X509_SUBJECT, specifiers: ['CN'] },
      { certificateField: CertificateField.X509_SUBJECT, specifiers: ['OU'] },
    ],
  }), 'duplicate attribute mapping for x509Subject: expected one mapping per certificate field'],
  ['a mapping without specifiers', profile({ attributeMappings: [{ certificateField: CertificateField.X509_SAN, specifiers: [] }] }),
    'attribute mapping for x509SAN has no specifiers: expected at least one, such as CN'],
  ['a specifier of 61 characters', profile({ attributeMappings: [{ certificateField: CertificateField.X509_ISSUER, specifiers: ['C'.repeat(61)] }] }),
    `invalid specifier '${'C'.repeat(61)}' for x509Issuer: expected 1 to 60 characters, such as CN`],
  ['a certificate given as a CRL', () => CrlSource.fromPem(pki.caPem),
    "invalid CRL PEM: found a 'CERTIFICATE' block, expected one '-----BEGIN X509 CRL-----' block"],
  ['two CRLs in one PEM', () => CrlSource.fromPem(pki.crlPem + pki.crlPem),
    "invalid CRL PEM: found 2 'X509 CRL' blocks, expected one"],
  ['a certificate given as DER for a CRL', () => CrlSource.fromDerBase64(pki.caPem.replace(/-----[A-Z ]+-----|\s/g, '')),
    'invalid CRL: the data is an X.509 certificate, expected a certificate revocation list'],
  ['a truncated DER CRL', () => CrlSource.fromDerBase64(pki.crlDer.subarray(0, pki.crlDer.length - 3).toString('base64')),
    /^invalid CRL: the ASN.1 SEQUENCE is truncated or its length is malformed/],
  ['DER that is not a SEQUENCE', () => CrlSource.fromDerBase64(Buffer.from([0x02, 0x01, 0x05]).toString('base64')),
    'invalid CRL: expected DER beginning with an ASN.1 SEQUENCE (0x30), got 0x02'],
  ['CRL data that is not base64', () => CrlSource.fromDerBase64('not base64!'),
    "invalid CRL: 'not base64!' is not base64, expected base64 of a DER-encoded CRL"],
  ['an empty list of subject common names', principal({ subjectCommonNames: [] }),
    'subjectCommonNames is empty: expected at least one subject common name, or leave subjectCommonNames out'],
  ['a wildcard issuer common name', principal({ issuerCommonNames: ['Test *'] }),
    "invalid issuer common name 'Test *': expected an exact name, the condition uses StringEquals (no wildcards)"],
  ['a blank SAN DNS name', principal({ subjectAlternativeNameDns: [' '] }),
    "invalid subject alternative DNS name ' ': expected a non-empty name"],
];

describe('bad input is refused at synthesis with a message that names it', () => {
  test.each(BAD_INPUTS)('%s', (_what, build, message) => {
    expect(() => build(newStack())).toThrow(message);
  });
});

describe('values that are unresolved tokens are left to CloudFormation', () => {
  test('names, durations, thresholds, ARNs and certificate names', () => {
    const stack = newStack();
    const text = (id: string) => new CfnParameter(stack, id).valueAsString;
    const number = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;

    const anchor = new TrustAnchor(stack, 'Anchor', {
      source: TrustAnchorSource.fromAcmPrivateCaArn(text('CaArn')),
      trustAnchorName: text('AnchorName'),
      notificationSettings: [{ event: NotificationEvent.CA_CERTIFICATE_EXPIRY, threshold: Duration.days(number('ThresholdDays')) }],
    });
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new RolesAnywherePrincipal(anchor, { subjectCommonNames: [text('SubjectCn')] }),
    });
    new Profile(stack, 'Profile', {
      roles: [role],
      profileName: text('ProfileName'),
      sessionDuration: Duration.seconds(number('SessionSeconds')),
    });
    const imported = Profile.fromProfileArn(stack, 'Imported', text('ProfileArn'));

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Name: { Ref: 'AnchorName' },
      Source: { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: { Ref: 'CaArn' } } },
      NotificationSettings: [{ Event: 'CA_CERTIFICATE_EXPIRY', Channel: 'ALL', Enabled: true, Threshold: { Ref: 'ThresholdDays' } }],
    });
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', {
      Name: { Ref: 'ProfileName' },
      DurationSeconds: { Ref: 'SessionSeconds' },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': { Ref: 'SubjectCn' } } } }],
      },
    });
    expect(stack.resolve(imported.profileArn)).toEqual({ Ref: 'ProfileArn' });
  });
});

describe('messages stay short and escaped whatever the input', () => {
  test('a bundle of 8,000 certificates lists three subjects and counts the rest', () => {
    const error = catchError(() => TrustAnchorSource.fromCertificateBundle(pki.caPem.repeat(8000)));
    expect(error).toBe("invalid certificate bundle: 8000 certificates ('CN=Test Root CA', 'CN=Test Root CA', 'CN=Test Root CA' and 7997 more), Roles Anywhere takes at most 2");
  });

  test('a bundle file name with terminal escapes is quoted once, without Node\'s raw text', () => {
    const error = catchError(() => TrustAnchorSource.fromCertificateBundleFile('/no\u001b[2Jpe.pem'));
    expect(error).toBe("cannot read certificate bundle file '/no\\x1b[2Jpe.pem': no such file (ENOENT), expected a readable file");
  });
});

function catchError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
