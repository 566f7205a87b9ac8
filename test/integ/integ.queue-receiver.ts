// Integ test: a queue receiver on its own (a bus, a rule, an SQS queue with a dead-letter queue),
// as an application that takes no inbound HTTPS uses it. Asserted on deployment: the queue's
// redrive policy names the dead-letter queue with the receive count given, the rule selects the
// sources given, and an event put on the bus arrives in the queue.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { assertThat, delivered, expectMessage, putEvent, TestEvent } from './delivery-assertions';
import { integApp } from './integ-app';
import { ParameterKeys, QueueReceiver } from '../../src';

const PARAMETER_PATH = '/eventbridge-connector/integ-queue-receiver';

const app = integApp();
const stack = new Stack(app, 'QueueReceiverInteg');
const bus = new events.EventBus(stack, 'Bus');
const receiver = new QueueReceiver(stack, 'Inbox', {
  eventBus: bus,
  sources: ['integ.queue-receiver'],
  maxReceiveCount: 3,
  parameterPath: PARAMETER_PATH,
});

const integ = new IntegTest(app, 'QueueReceiver', { testCases: [stack] });
const event: TestEvent = { source: 'integ.queue-receiver', detailType: 'IntegCheck', detail: { check: 'queue-receiver' } };

const redrive = assertThat(
  integ.assertions.awsApiCall('SQS', 'getQueueAttributes', { QueueUrl: receiver.queue.queueUrl, AttributeNames: ['RedrivePolicy'] }),
  ExpectedResult.objectLike({
    Attributes: { RedrivePolicy: Match.serializedJson({ deadLetterTargetArn: receiver.deadLetterQueue.queueArn, maxReceiveCount: 3 }) },
  }),
);
const rule = assertThat(
  integ.assertions.awsApiCall('EventBridge', 'describeRule', { Name: receiver.rule.ruleName, EventBusName: bus.eventBusName }),
  ExpectedResult.objectLike({ State: 'ENABLED', EventPattern: Match.serializedJson({ source: ['integ.queue-receiver'] }) }),
);
// The contract key the runtime's consumer reads to find the queue.
const queueUrl = assertThat(
  integ.assertions.awsApiCall('SSM', 'getParameter', { Name: `${PARAMETER_PATH}/${ParameterKeys.QUEUE_URL}` }),
  ExpectedResult.objectLike({ Parameter: { Value: receiver.queue.queueUrl } }),
);
redrive.next(rule).next(queueUrl).next(putEvent(integ, bus, event)).next(expectMessage(integ, receiver.queue, delivered(event)));

app.synth();
