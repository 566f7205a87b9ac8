import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { newStack } from './fixture';
import { CertificateField, Profile } from '../../src/rolesanywhere';

const PROFILE_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/5e0c6a4d-2b1f-4c3e-8d7a-9f6b5a4c3d2e';

function newRole(stack: Stack, id = 'Role', maxSessionDuration?: Duration): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('rolesanywhere.amazonaws.com'), maxSessionDuration });
}

describe('a profile', () => {
  test('issues one-hour sessions for its role, enabled, named after its construct path', () => {
    const stack = newStack();
    const role = newRole(stack);
    const profile = new Profile(stack, 'Profile', { roles: [role] });

    expect(profile.sessionDuration.toSeconds()).toBe(3600);
    expect(profile.acceptRoleSessionName).toBe(false);
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', {
      Name: Match.stringLikeRegexp('^Stack-Profile'),
      RoleArns: [stack.resolve(role.roleArn)],
      DurationSeconds: 3600,
      Enabled: true,
      AcceptRoleSessionName: Match.absent(),
      SessionPolicy: Match.absent(),
      ManagedPolicyArns: Match.absent(),
      AttributeMappings: Match.absent(),
      RequireInstanceProperties: Match.absent(),
    });
  });

  test('renders every setting it is given', () => {
    const stack = newStack();
    const readOnly = iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess');
    new Profile(stack, 'Profile', {
      roles: [newRole(stack)],
      profileName: 'orders connector',
      sessionDuration: Duration.hours(2),
      acceptRoleSessionName: true,
      managedPolicies: [readOnly],
      attributeMappings: [
        { certificateField: CertificateField.X509_SUBJECT, specifiers: ['CN', 'OU'] },
        { certificateField: CertificateField.X509_SAN, specifiers: ['DNS'] },
      ],
      requireInstanceProperties: true,
      enabled: false,
    });

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', {
      Name: 'orders connector',
      DurationSeconds: 7200,
      AcceptRoleSessionName: true,
      ManagedPolicyArns: [stack.resolve(readOnly.managedPolicyArn)],
      AttributeMappings: [
        { CertificateField: 'x509Subject', MappingRules: [{ Specifier: 'CN' }, { Specifier: 'OU' }] },
        { CertificateField: 'x509SAN', MappingRules: [{ Specifier: 'DNS' }] },
      ],
      RequireInstanceProperties: true,
      Enabled: false,
    });
  });

  test('writes its session policy as a JSON document, including statements added later', () => {
    const stack = newStack();
    const sessionPolicy = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: ['arn:aws:events:eu-west-1:123456789012:event-bus/orders'] })],
    });
    new Profile(stack, 'Profile', { roles: [newRole(stack)], sessionPolicy });
    sessionPolicy.addStatements(new iam.PolicyStatement({ actions: ['ssm:GetParametersByPath'], resources: ['*'] }));

    const [profile] = Object.values(Template.fromStack(stack).findResources('AWS::RolesAnywhere::Profile'));
    expect(JSON.parse(profile.Properties.SessionPolicy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'events:PutEvents', Resource: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' },
        { Effect: 'Allow', Action: 'ssm:GetParametersByPath', Resource: '*' },
      ],
    });
  });

  test('takes roles and managed policies added after construction', () => {
    const stack = newStack();
    const first = newRole(stack, 'First');
    const second = newRole(stack, 'Second');
    const policy = new iam.ManagedPolicy(stack, 'Boundary', {
      statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: ['*'] })],
    });
    const profile = new Profile(stack, 'Profile', { roles: [first] });
    profile.addRole(second);
    profile.addManagedPolicy(policy);

    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', {
      RoleArns: [stack.resolve(first.roleArn), stack.resolve(second.roleArn)],
      ManagedPolicyArns: [stack.resolve(policy.managedPolicyArn)],
    });
  });

  test('its session duration sets the maximum session of a role created after it', () => {
    // The order a connector uses: the profile first, then the role sized to it, then addRole.
    const stack = newStack();
    const profile = new Profile(stack, 'Profile', { roles: [], sessionDuration: Duration.hours(6) });
    const role = newRole(stack, 'Role', profile.sessionDuration);
    profile.addRole(role);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 21600 });
    template.hasResourceProperties('AWS::RolesAnywhere::Profile', { DurationSeconds: 21600, RoleArns: [stack.resolve(role.roleArn)] });
  });

  test('exposes its ARN and id to other constructs', () => {
    const stack = newStack();
    const profile = new Profile(stack, 'Profile', { roles: [newRole(stack)] });
    const logicalId = stack.getLogicalId(profile.node.defaultChild as any);

    expect(stack.resolve(profile.profileArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'ProfileArn'] });
    expect(stack.resolve(profile.profileRef)).toEqual({
      profileArn: { 'Fn::GetAtt': [logicalId, 'ProfileArn'] },
      profileId: { 'Fn::GetAtt': [logicalId, 'ProfileId'] },
    });
  });
});

describe('profile checks that need the whole tree', () => {
  test('a profile left without roles fails synthesis, naming the profile', () => {
    const stack = newStack();
    new Profile(stack, 'Profile', { roles: [] });

    expect(() => (stack.node.root as App).synth()).toThrow(/profile 'Stack\/Profile' has no roles: expected at least one, in props.roles or through addRole\(\)/);
  });

  test('a session policy that grants no resource fails synthesis', () => {
    const stack = newStack();
    new Profile(stack, 'Profile', {
      roles: [newRole(stack)],
      sessionPolicy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'] })] }),
    });

    expect(() => (stack.node.root as App).synth()).toThrow(/session policy: A PolicyStatement used in an identity-based policy must specify at least one resource/);
  });

  test('an empty session policy fails synthesis', () => {
    const stack = newStack();
    new Profile(stack, 'Profile', { roles: [newRole(stack)], sessionPolicy: new iam.PolicyDocument() });

    expect(() => (stack.node.root as App).synth()).toThrow('session policy has no statements: expected at least one, or leave sessionPolicy out');
  });

  test('more than 50 managed policies fail synthesis', () => {
    const stack = newStack();
    const profile = new Profile(stack, 'Profile', { roles: [newRole(stack)] });
    for (let i = 0; i < 51; i++) profile.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyName(stack, `Policy${i}`, `policy-${i}`));

    expect(() => (stack.node.root as App).synth()).toThrow("profile 'Stack/Profile' has 51 managed policies: Roles Anywhere takes at most 50");
  });
});

describe('importing a profile', () => {
  test('by ARN gives its id, account and region', () => {
    const stack = newStack();
    const profile = Profile.fromProfileArn(stack, 'Imported', PROFILE_ARN);

    expect(profile.profileArn).toBe(PROFILE_ARN);
    expect(stack.resolve(profile.profileId)).toBe('5e0c6a4d-2b1f-4c3e-8d7a-9f6b5a4c3d2e');
    expect(profile.env).toEqual(expect.objectContaining({ account: '123456789012', region: 'eu-west-1' }));
  });

  test('takes an ARN from a parameter', () => {
    const stack = newStack();
    const profile = Profile.fromProfileArn(stack, 'Imported', new CfnParameter(stack, 'ProfileArn').valueAsString);

    expect(stack.resolve(profile.profileArn)).toEqual({ Ref: 'ProfileArn' });
  });

  test.each([
    ['a trust anchor ARN', PROFILE_ARN.replace('profile/', 'trust-anchor/')],
    ['an ARN of another service', 'arn:aws:iam::123456789012:role/profile'],
    ['a short account', PROFILE_ARN.replace('123456789012', '1234')],
  ])('refuses %s, naming it', (_what, arn) => {
    expect(() => Profile.fromProfileArn(newStack(), 'Imported', arn))
      .toThrow(`invalid profile ARN '${arn}': expected a Roles Anywhere profile ARN`);
  });
});
