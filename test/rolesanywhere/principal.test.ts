import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ANCHOR_ARN, newStack, useTestPki } from './fixture';
import { RolesAnywherePrincipal, TrustAnchor, TrustAnchorSource } from '../../src/rolesanywhere';

const pki = useTestPki();

/** The statements of the only role's trust policy. */
function trustStatements(stack: Stack): any[] {
  const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return roles[0].Properties.AssumeRolePolicyDocument.Statement;
}

describe('a role assumed through Roles Anywhere', () => {
  test('trusts the service for its trust anchor and its account only (confused-deputy conditions), in one statement with the three actions', () => {
    const stack = newStack();
    const anchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(pki.caPem) });
    new iam.Role(stack, 'Role', { assumedBy: new RolesAnywherePrincipal(anchor) });

    expect(trustStatements(stack)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'rolesanywhere.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        Condition: {
          ArnEquals: { 'aws:SourceArn': stack.resolve(anchor.trustAnchorArn) },
          StringEquals: { 'aws:SourceAccount': stack.resolve(stack.account) },
        },
      },
    ]);
  });

  test('can require names on the certificate, as session tags Roles Anywhere sets', () => {
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    new iam.Role(stack, 'Role', {
      assumedBy: new RolesAnywherePrincipal(anchor, {
        subjectCommonNames: ['orders-app', 'orders-worker'],
        issuerCommonNames: ['Test Root CA'],
        subjectAlternativeNameDns: ['orders.example.com'],
      }),
    });

    const [statement] = trustStatements(stack);
    expect(statement.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': ANCHOR_ARN },
      StringEquals: {
        'aws:SourceAccount': ANCHOR_ARN.split(':')[4],
        'aws:PrincipalTag/x509Subject/CN': ['orders-app', 'orders-worker'],
        'aws:PrincipalTag/x509Issuer/CN': 'Test Root CA',
        'aws:PrincipalTag/x509SAN/DNS': 'orders.example.com',
      },
    });
  });

  test('adds its conditions to those of withConditions, still in one statement', () => {
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    const principal = new RolesAnywherePrincipal(anchor).withConditions({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
    new iam.Role(stack, 'Role', { assumedBy: principal });

    const statements = trustStatements(stack);
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']);
    expect(statements[0].Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': ANCHOR_ARN },
      StringEquals: { 'aws:SourceAccount': '123456789012' },
    });
  });

  test('two principals for different trust anchors are two statements', () => {
    const stack = newStack();
    const first = TrustAnchor.fromTrustAnchorArn(stack, 'First', ANCHOR_ARN);
    const second = TrustAnchor.fromTrustAnchorArn(stack, 'Second', ANCHOR_ARN.replace('0b2b6c3e', '1c3c7d4f'));
    const role = new iam.Role(stack, 'Role', { assumedBy: new RolesAnywherePrincipal(first) });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      principals: [new RolesAnywherePrincipal(second)],
    }));

    expect(trustStatements(stack).map((s) => s.Condition.ArnEquals['aws:SourceArn'])).toEqual([
      ANCHOR_ARN,
      ANCHOR_ARN.replace('0b2b6c3e', '1c3c7d4f'),
    ]);
  });
});
