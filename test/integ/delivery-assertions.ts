// The assertions the integ apps share (integ-tests-alpha, run when a maintainer deploys an app):
// an event put on a bus, then that event found in a queue. Every assertion waits for its result
// (waitForAssertions), so a failed one fails the deployment itself: `cdk deploy` reports it with
// no integ-runner. Every value is a constant, so the snapshots stay the same between synths.
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** What the apps put on their bus: one event, told apart from others by its source and detail. */
export interface TestEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, string>;
}

/**
 * Asserts that `call` answers `expected`, asking again every 10 seconds for up to `within`
 * (a state that settles after the deployment, such as a message on its way), then failing.
 */
export function assertThat(call: IApiCall, expected: ExpectedResult, within = Duration.minutes(1)): IApiCall {
  call.expect(expected);
  call.waitForAssertions({ totalTimeout: within, interval: Duration.seconds(10) });
  return call;
}

/** PutEvents of `event` on `bus`, asserting that EventBridge accepted the entry. */
export function putEvent(integ: IntegTest, bus: events.IEventBus, event: TestEvent): IApiCall {
  const call = integ.assertions.awsApiCall('EventBridge', 'putEvents', {
    Entries: [{ EventBusName: bus.eventBusName, Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(event.detail) }],
  });
  return assertThat(call, ExpectedResult.objectLike({ FailedEntryCount: 0 }));
}

/**
 * ReceiveMessage on `queue` until a message arrives whose body (parsed as JSON) matches `body`,
 * for up to 5 minutes: EventBridge delivers to a queue within seconds, to an API destination
 * within a minute or so of its connection being authorized.
 */
export function expectMessage(integ: IntegTest, queue: sqs.IQueue, body: Record<string, unknown>): IApiCall {
  const call = integ.assertions.awsApiCall('SQS', 'receiveMessage', {
    QueueUrl: queue.queueUrl,
    MaxNumberOfMessages: 10,
    // Well under the assertion provider's time limit, with room for the call itself.
    WaitTimeSeconds: 10,
  });
  return assertThat(call, ExpectedResult.objectLike({
    Messages: Match.arrayWith([Match.objectLike({ Body: Match.serializedJson(Match.objectLike(body)) })]),
  }), Duration.minutes(5));
}

/** The event as EventBridge hands it to a target: the fields `putEvent` set. */
export function delivered(event: TestEvent): Record<string, unknown> {
  return { 'source': event.source, 'detail-type': event.detailType, 'detail': event.detail };
}
