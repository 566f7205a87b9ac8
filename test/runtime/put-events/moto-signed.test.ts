/**
 * moto checking signatures and IAM actions accepts the lean transport's requests, signed with a
 * session (access key, secret and session token) from STS AssumeRole, and refuses a request
 * signed with a wrong secret with the same code over both transports.
 */
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { putEventsOver, TEST_CREDENTIALS, TRANSPORTS } from './sdk';
import { MotoServer, startMoto } from '../../../src/local/moto';
import { EventSender, PutEventsFailure } from '../../../src/runtime/put-events';
import { ASSUME_ROLE_USER_CALLS, CONNECTOR_ROLE_CALLS, createAssumeRoleUser, createConnectorRole } from '../../support/moto-iam';

const ACCOUNT = '123456789012';
let moto: MotoServer;
let session: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

beforeAll(async () => {
  moto = await startMoto({ initialNoAuthActionCount: ASSUME_ROLE_USER_CALLS + CONNECTOR_ROLE_CALLS + 1 });
  const user = await createAssumeRoleUser(moto.endpoint, 'orders-app');
  await createConnectorRole(moto.endpoint, 'orders-sender', `arn:aws:iam::${ACCOUNT}:user/orders-app`, ['events:PutEvents']);
  const events = new EventBridgeClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: TEST_CREDENTIALS });
  await events.send(new CreateEventBusCommand({ Name: 'orders' }));
  events.destroy();
  const sts = new STSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: user });
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-sender`, RoleSessionName: 'orders' }));
  sts.destroy();
  session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}, 60_000);
afterAll(() => moto?.stop());

test('moto checking signatures accepts 50 events sent over the lean transport with a session', async () => {
  const over = putEventsOver('lean', moto.endpoint, { credentials: session });
  const events = Array.from({ length: 50 }, (_, n) => ({ source: 'com.example.orders', detailType: 'OrderPlaced', detail: { n } }));
  const sender = new EventSender(over.putEvents, { eventBusName: 'orders' });
  // The first request is signed by SignatureV4 and checks the fast signer; the rest are fast.
  expect((await sender.send(events.slice(0, 1))).failedEntryCount).toBe(0);
  const result = await sender.send(events);
  over.destroy();
  expect(result.failedEntryCount).toBe(0);
  expect(new Set(result.entries.map((e) => e.eventId)).size).toBe(50);
});

test('a request signed with a wrong secret is refused, final, with the same code over both transports', async () => {
  const outcomes: PutEventsFailure[] = [];
  for (const transport of TRANSPORTS) {
    const over = putEventsOver(transport, moto.endpoint, { credentials: { ...session, secretAccessKey: 'not-the-secret' } });
    const result = await new EventSender(over.putEvents, { eventBusName: 'orders' }).send([{ source: 'com.example.orders', detailType: 'OrderPlaced', detail: {} }]);
    over.destroy();
    outcomes.push(result.entries[0] as PutEventsFailure);
  }
  // moto answers a bad signature 403 with a body that is not JSON: the code comes from the status.
  expect(outcomes[0]).toMatchObject({ errorCode: 'AccessDeniedException', httpStatusCode: 403 });
  expect(outcomes[0]).toEqual(outcomes[1]);
  expect(outcomes[0].attempts).toBe(1);
});
