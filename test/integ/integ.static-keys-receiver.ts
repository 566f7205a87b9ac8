// Integ test: a connector in static mode (an IAM user's keys, the secret key in Secrets Manager)
// with an HTTP receiver (connection with an API key, API destination, rule, dead-letter queue).
// The application's receive URL is stood in for by a Lambda function URL that checks the API key
// of each delivery against the receiver's secret and queues what it got. Asserted on deployment:
// an event put on the bus (by the test's own role) reaches the endpoint through the API
// destination with the right key; an event put with the connector's own static keys (read from
// its secret, as the runtime does) reaches it too; the receiver's dead-letter queue stays empty.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { assertThat, delivered, expectMessage, putEvent, TestEvent } from './delivery-assertions';
import { integApp } from './integ-app';
import { ConnectorAuthentication, EventBridgeConnector } from '../../src';

const app = integApp();
const stack = new Stack(app, 'StaticKeysReceiverInteg');
const connector = new EventBridgeConnector(stack, 'Orders', {
  parameterPath: '/eventbridge-connector/integ-static-keys',
  authentication: ConnectorAuthentication.staticCredentials(),
});

// The stand-in application: what it received, with whether the API key matched, goes to a queue.
// A short visibility timeout: the assertions poll the queue for two events in turn.
const received = new sqs.Queue(stack, 'Received', { enforceSSL: true, visibilityTimeout: Duration.seconds(5) });
const endpoint = new lambda.Function(stack, 'Endpoint', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  timeout: Duration.seconds(10),
  code: lambda.Code.fromInline(`
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const secrets = new SecretsManagerClient({});
const sqs = new SQSClient({});
exports.handler = async (request) => {
  const { SecretString: apiKey } = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.API_KEY_SECRET_ARN }));
  // Function URLs hand header names over in lower case.
  const apiKeyMatches = request.headers[process.env.API_KEY_HEADER.toLowerCase()] === apiKey;
  const body = request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body;
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.RECEIVED_QUEUE_URL, MessageBody: JSON.stringify({ apiKeyMatches, event: JSON.parse(body) }) }));
  return { statusCode: apiKeyMatches ? 200 : 401 };
};
`),
});
const url = endpoint.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
const receiver = connector.addReceiver('Receiver', { endpoint: url.url, retryAttempts: 2, maxEventAge: Duration.minutes(5) });
endpoint.addEnvironment('API_KEY_SECRET_ARN', receiver.apiKeySecret.secretArn);
endpoint.addEnvironment('API_KEY_HEADER', receiver.apiKeyHeaderName);
endpoint.addEnvironment('RECEIVED_QUEUE_URL', received.queueUrl);
receiver.apiKeySecret.grantRead(endpoint);
received.grantSendMessages(endpoint);

// Sends one event with the connector's static keys: what the runtime does with them, minus the
// contract lookup. A new access key takes a few seconds to be accepted everywhere, so it retries.
const credentials = connector.staticCredentials!;
const sender = new lambda.Function(stack, 'SenderWithConnectorKeys', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  timeout: Duration.minutes(2),
  environment: {
    ACCESS_KEY_ID: credentials.accessKeyId,
    SECRET_KEY_ARN: credentials.secret.secretArn,
    EVENT_BUS_NAME: connector.eventBus.eventBusName,
  },
  code: lambda.Code.fromInline(`
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
exports.handler = async (entry) => {
  const { SecretString: secretAccessKey } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.SECRET_KEY_ARN }));
  const client = new EventBridgeClient({ credentials: { accessKeyId: process.env.ACCESS_KEY_ID, secretAccessKey } });
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await client.send(new PutEventsCommand({ Entries: [{ ...entry, EventBusName: process.env.EVENT_BUS_NAME }] }));
      if (out.FailedEntryCount !== 0) throw new Error('entry refused: ' + JSON.stringify(out.Entries));
      return { sent: true, attempts: attempt };
    } catch (e) {
      if (attempt >= 12 || !/InvalidSignature|UnrecognizedClient|AccessDenied/.test(e.name)) throw e;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
};
`),
});
credentials.secret.grantRead(sender);

const integ = new IntegTest(app, 'StaticKeysReceiver', { testCases: [stack] });
const event: TestEvent = { source: 'integ.static-keys', detailType: 'IntegCheck', detail: { check: 'api-destination' } };
const withKeys: TestEvent = { source: 'integ.static-keys', detailType: 'IntegCheck', detail: { check: 'connector-static-keys' } };

const sent = assertThat(
  integ.assertions.invokeFunction({
    functionName: sender.functionName,
    payload: JSON.stringify({ Source: withKeys.source, DetailType: withKeys.detailType, Detail: JSON.stringify(withKeys.detail) }),
  }),
  // The payload comes back as the JSON text the function returned; a function that throws
  // answers with its error there instead.
  ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson(Match.objectLike({ sent: true })) }),
  Duration.minutes(3),
);
const deadLetters = assertThat(
  integ.assertions.awsApiCall('SQS', 'getQueueAttributes', {
    QueueUrl: receiver.deadLetterQueue.queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages'],
  }),
  ExpectedResult.objectLike({ Attributes: { ApproximateNumberOfMessages: '0' } }),
);
putEvent(integ, connector.eventBus, event)
  .next(expectMessage(integ, received, { apiKeyMatches: true, event: delivered(event) }))
  .next(sent)
  .next(expectMessage(integ, received, { apiKeyMatches: true, event: delivered(withKeys) }))
  .next(deadLetters);

app.synth();
