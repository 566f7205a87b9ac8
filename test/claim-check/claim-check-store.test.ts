// The claim-check store alone and as a connector's option: the bucket's security settings, the
// lifecycle rule, grants scoped to one prefix (checked by IAM policy simulation of the synthesized
// template), the contract keys, and cdk-nag. cfn-lint runs over every template (test/support).
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClaimCheckStore, ConnectorAuthentication, EventBridgeConnector, ParameterKeys } from '../../src';
import { EXAMPLE_CA } from '../connector/fixtures';
import { ACCOUNT, DeployedTemplates, REGION } from '../support/iam-simulate';

const SESSION = ConnectorAuthentication.rolesAnywhere({ caCertificates: EXAMPLE_CA });
const newStack = () => new Stack(new App(), 'Shop', { env: { account: ACCOUNT, region: REGION } });
const logicalId = (construct: any) => Stack.of(construct).getLogicalId(construct.node.defaultChild ?? construct);

describe('ClaimCheckStore alone', () => {
  const stack = newStack();
  const store = new ClaimCheckStore(stack, 'Payloads');
  const template = Template.fromStack(stack);

  test('its bucket is the construct\'s Resource', () => {
    expect(store.bucket.node.id).toBe('Resource');
    expect(logicalId(store.bucket)).toMatch(/^Payloads/);
  });

  test('S3-managed encryption, all public access blocked, ACLs off, no versioning, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: Match.absent(),
        LoggingConfiguration: Match.absent(),
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('expires payloads under payloads/ after 15 days (longer than a queue keeps an event, 14 days)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Id: 'ExpirePayloads', Prefix: 'payloads/', ExpirationInDays: 15, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
      },
    });
    expect(store.retention.toDays()).toBe(15);
  });

  test('the bucket policy refuses requests without TLS, and TLS before 1.2', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('a KMS key, retention, access logs and a prefix as given', () => {
    const s = newStack();
    const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
    const logs = new s3.Bucket(s, 'Logs');
    const role = new iam.Role(s, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const own = new ClaimCheckStore(s, 'Payloads', {
      encryptionKey: key, retention: Duration.days(30), serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'claim-check/', keyPrefix: 'big/events/',
    });
    own.grantRead(role);
    own.grantWrite(role);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(key), 'Arn'] } } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(logs) }, LogFilePrefix: 'claim-check/' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'big/events/', ExpirationInDays: 30 })] },
    });
    // Writing needs a data key, reading the decryption of one; nothing else of the key.
    const [policy] = Object.values(t.findResources('AWS::IAM::Policy'));
    const statements = policy.Properties.PolicyDocument.Statement;
    const onKey = statements.filter((st: any) => JSON.stringify(st.Resource).includes(logicalId(key)));
    const kmsActions = onKey.flatMap((st: any) => [st.Action].flat()).sort();
    expect(kmsActions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('grantRead and grantWrite: one action each on the prefix, never ListBucket or DeleteObject', () => {
    const s = newStack();
    const role = new iam.Role(s, 'App', { assumedBy: new iam.AccountRootPrincipal() });
    const own = new ClaimCheckStore(s, 'Payloads');
    own.grantWrite(role, 'app/');
    own.grantRead(role, 'app/');
    const t = Template.fromStack(s);
    const resource = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(own.bucket), 'Arn'] }, '/payloads/app/*']] };
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 's3:PutObject', Resource: resource },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: resource },
        ],
      },
    });
    expect(own.keyPrefixFor('app/')).toBe('payloads/app/');
  });
});

describe('a connector with claimCheck', () => {
  const stack = newStack();
  const orders = new EventBridgeConnector(stack, 'Orders', { authentication: SESSION, eventBusName: 'orders', claimCheck: {} });
  orders.addReceiver('Receiver', { endpoint: 'https://orders.example.com/events' });
  orders.addQueueReceiver('Inbox');
  const template = Template.fromStack(stack);

  test('a store of its own, and its prefix from the resource name prefix', () => {
    expect(orders.claimCheckStore!.node.path).toBe('Shop/Orders/ClaimCheck');
    expect(orders.claimCheckKeyPrefix).toBe('payloads/orders/');
  });

  test('writes ClaimCheckBucketName and ClaimCheckKeyPrefix under its path', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/eventbridge-connector/orders/${ParameterKeys.CLAIM_CHECK_BUCKET_NAME}`,
      Value: { Ref: logicalId(orders.claimCheckStore!.bucket) },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/eventbridge-connector/orders/ClaimCheckKeyPrefix', Value: 'payloads/orders/' });
    expect(orders.parameters.keys).toEqual(expect.arrayContaining(['ClaimCheckBucketName', 'ClaimCheckKeyPrefix']));
  });

  test('the role may read both new keys (the read grant names every contract key)', async () => {
    const deployed = new DeployedTemplates([template.toJSON()]);
    for (const key of ['ClaimCheckBucketName', 'ClaimCheckKeyPrefix']) {
      expect(await deployed.decide(logicalId(orders.role), 'ssm:GetParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/eventbridge-connector/orders/${key}`)).toBe('Allowed');
    }
  });

  test('cdk-nag AwsSolutions finds nothing in the store nor in the grants to the role', () => {
    const violations = new AwsSolutionsChecks().validateScope(stack).violations;
    const ours = violations.filter((v) => v.violatingResources.some((r) => /\/(ClaimCheck|Role)\//.test(r.constructPath ?? '')));
    expect(ours).toEqual([]);
  });
});

test('control: the same cdk-nag check flags a plain bucket at a store\'s path', () => {
  const stack = newStack();
  new s3.Bucket(stack, 'ClaimCheck');
  const violations = new AwsSolutionsChecks().validateScope(stack).violations;
  const rules = violations.filter((v) => v.violatingResources.some((r) => /\/(ClaimCheck|Role)\//.test(r.constructPath ?? ''))).map((v) => v.ruleName);
  expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
});

describe('two connectors sharing one store, simulated', () => {
  const stack = newStack();
  const store = new ClaimCheckStore(stack, 'Payloads');
  const orders = new EventBridgeConnector(stack, 'Orders', { authentication: SESSION, eventBusName: 'orders', claimCheck: { store } });
  // `orders-eu/` starts with no other prefix: the '/' ends each.
  const ordersEu = new EventBridgeConnector(stack, 'OrdersEU', { authentication: SESSION, eventBusName: 'orders-eu', claimCheck: { store } });
  const billing = new EventBridgeConnector(stack, 'Billing', { authentication: ConnectorAuthentication.staticCredentials(), eventBusName: 'billing', claimCheck: { store } });
  const template = Template.fromStack(stack);
  const deployed = new DeployedTemplates([template.toJSON()]);
  const bucketArn = deployed.arnOf(logicalId(store.bucket));
  const object = (key: string) => `${bucketArn}/${key}`;
  const role = logicalId(orders.role);
  const user = logicalId(billing.user);
  const bucketPolicy = logicalId(store.bucket.policy);

  test('each connector has its prefix', () => {
    expect([orders.claimCheckKeyPrefix, ordersEu.claimCheckKeyPrefix, billing.claimCheckKeyPrefix]).toEqual(['payloads/orders/', 'payloads/orders-eu/', 'payloads/billing/']);
  });

  test.each([
    ['s3:GetObject', 'payloads/orders/2026/12/07/0f3a.json', 'Allowed'],
    ['s3:PutObject', 'payloads/orders/2026/12/07/0f3a.json', 'Allowed'],
    ['s3:GetObject', 'payloads/orders-eu/2026/12/07/0f3a.json', 'ImplicitlyDenied'],
    ['s3:PutObject', 'payloads/orders-eu/2026/12/07/0f3a.json', 'ImplicitlyDenied'],
    ['s3:GetObject', 'payloads/billing/2026/12/07/0f3a.json', 'ImplicitlyDenied'],
    ['s3:GetObject', 'payloads/ordersx/0f3a.json', 'ImplicitlyDenied'],
    ['s3:GetObject', 'elsewhere/orders/0f3a.json', 'ImplicitlyDenied'],
    ['s3:DeleteObject', 'payloads/orders/2026/12/07/0f3a.json', 'ImplicitlyDenied'],
    ['s3:PutObjectAcl', 'payloads/orders/2026/12/07/0f3a.json', 'ImplicitlyDenied'],
  ])('the Orders role: %s on %s is %s', async (action, key, decision) => {
    expect(await deployed.decide(role, action, object(key), { 'aws:SecureTransport': 'true' }, bucketPolicy)).toBe(decision);
  });

  test('the Orders role may not list the bucket', async () => {
    expect(await deployed.decide(role, 's3:ListBucket', bucketArn)).toBe('ImplicitlyDenied');
  });

  test('its own payload without TLS: denied by the bucket policy', async () => {
    expect(await deployed.decide(role, 's3:GetObject', object('payloads/orders/a.json'), { 'aws:SecureTransport': 'false' }, bucketPolicy)).toBe('ExplicitlyDenied');
  });

  test.each([
    ['payloads/billing/a.json', 'Allowed'],
    ['payloads/orders/a.json', 'ImplicitlyDenied'],
  ])('the Billing user (static keys) reads %s: %s', async (key, decision) => {
    expect(await deployed.decide(user, 's3:GetObject', object(key))).toBe(decision);
  });

  test('cdk-nag AwsSolutions finds nothing in the shared store nor the grants', () => {
    const violations = new AwsSolutionsChecks().validateScope(stack).violations;
    const ours = violations.filter((v) => v.violatingResources.some((r) => /\/(Payloads|Role|StaticCredentials)\//.test(r.constructPath ?? '')));
    expect(ours).toEqual([]);
  });
});
