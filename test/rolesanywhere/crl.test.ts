import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ANCHOR_ARN, newStack, useTestPki } from './fixture';
import { Crl, CrlSource, TrustAnchor, TrustAnchorSource } from '../../src/rolesanywhere';

const CRL_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:crl/7d9e3b1a-4c2f-4e8d-9a6b-1f2e3d4c5b6a';

const pki = useTestPki();

function newAnchor(stack: Stack): TrustAnchor {
  return new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(pki.caPem) });
}

describe('a CRL', () => {
  test('revokes for its trust anchor, enabled, named after its construct path', () => {
    const stack = newStack();
    const anchor = newAnchor(stack);
    new Crl(stack, 'Crl', { trustAnchor: anchor, source: CrlSource.fromPem(pki.crlPem) });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::CRL', {
      Name: Match.stringLikeRegexp('^Stack-Crl'),
      CrlData: pki.crlPem,
      TrustAnchorArn: stack.resolve(anchor.trustAnchorArn),
      Enabled: true,
    });
  });

  test('CloudFormation takes CRL data as PEM, so DER is converted to the PEM openssl writes', () => {
    const stack = newStack();
    const trustAnchor = newAnchor(stack);
    new Crl(stack, 'FromDer', { trustAnchor, source: CrlSource.fromDerBase64(pki.crlDer.toString('base64')) });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::CRL', { CrlData: pki.crlPem });
  });

  test('DER in base64 may be wrapped over several lines', () => {
    const wrapped = pki.crlDer.toString('base64').replace(/.{1,76}/g, '$&\n');
    expect(CrlSource.fromDerBase64(wrapped).pem).toBe(pki.crlPem);
  });

  test.each([
    ['PEM', () => pki.crlPemFile],
    ['DER', () => pki.crlDerFile],
  ])('reads a %s file, telling the format from the content', (_format, file) => {
    expect(CrlSource.fromFile(file()).pem).toBe(pki.crlPem);
  });

  test('takes a name, starts disabled on request, and works with an imported trust anchor', () => {
    const stack = newStack();
    new Crl(stack, 'Crl', {
      trustAnchor: TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN),
      source: CrlSource.fromPem(pki.crlPem),
      crlName: 'orders revocations',
      enabled: false,
    });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::CRL', {
      Name: 'orders revocations',
      TrustAnchorArn: ANCHOR_ARN,
      Enabled: false,
    });
  });

  test('passes tokens through: PEM as is, DER base64 wrapped in PEM armour', () => {
    const stack = newStack();
    const trustAnchor = newAnchor(stack);
    new Crl(stack, 'Pem', { trustAnchor, source: CrlSource.fromPem(new CfnParameter(stack, 'CrlPem').valueAsString) });
    new Crl(stack, 'Der', { trustAnchor, source: CrlSource.fromDerBase64(new CfnParameter(stack, 'CrlDer').valueAsString) });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::CRL', { CrlData: { Ref: 'CrlPem' } });
    template.hasResourceProperties('AWS::RolesAnywhere::CRL', {
      CrlData: { 'Fn::Join': ['', ['-----BEGIN X509 CRL-----\n', { Ref: 'CrlDer' }, '\n-----END X509 CRL-----\n']] },
    });
  });

  test('exposes its id and an ARN in the service layout', () => {
    const stack = newStack();
    const crl = new Crl(stack, 'Crl', { trustAnchor: newAnchor(stack), source: CrlSource.fromPem(pki.crlPem) });
    const logicalId = stack.getLogicalId(crl.node.defaultChild as any);

    expect(stack.resolve(crl.crlId)).toEqual({ 'Fn::GetAtt': [logicalId, 'CrlId'] });
    expect(stack.resolve(crl.crlRef)).toEqual({ crlId: { 'Fn::GetAtt': [logicalId, 'CrlId'] } });
    expect(stack.resolve(crl.crlArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rolesanywhere:eu-west-1:123456789012:crl/', { 'Fn::GetAtt': [logicalId, 'CrlId'] }]],
    });
  });
});

describe('importing a CRL', () => {
  test('by ARN gives its id', () => {
    const stack = newStack();
    const crl = Crl.fromCrlArn(stack, 'Imported', CRL_ARN);

    expect(crl.crlArn).toBe(CRL_ARN);
    expect(stack.resolve(crl.crlId)).toBe('7d9e3b1a-4c2f-4e8d-9a6b-1f2e3d4c5b6a');
  });

  test.each([
    ['a trust anchor ARN', ANCHOR_ARN],
    ['a CRL ARN without a region', CRL_ARN.replace('eu-west-1', '')],
  ])('refuses %s, naming it', (_what, arn) => {
    expect(() => Crl.fromCrlArn(newStack(), 'Imported', arn)).toThrow(`invalid CRL ARN '${arn}': expected a Roles Anywhere CRL ARN`);
  });
});
