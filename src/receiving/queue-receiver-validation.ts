import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { checkParameterPath } from '../contract';
import type { QueueReceiverProps } from './queue-receiver-props';
import { definedOnly } from '../contract/defined-only';

/** SQS's bounds, which the messages below quote. */
const VISIBILITY_SECONDS = { min: 0, max: 43_200 } as const;
const RETENTION_SECONDS = { min: 60, max: 1_209_600 } as const;
const MAX_RECEIVE_COUNT = { min: 1, max: 1000 } as const;
/** EventBridge limits a pattern's value list; keep a list readable in a message too. */
const MAX_VALUES = 100;

export interface NormalizedQueueReceiverProps extends QueueReceiverProps {
  readonly eventPattern: events.EventPattern;
  readonly visibilityTimeout: Duration;
  readonly retentionPeriod: Duration;
  readonly maxReceiveCount: number;
}

/**
 * Every event has a `source`, and every string starts with '': matches everything, including
 * events other accounts put on the bus (a pattern on `account` would miss them).
 */
const EVERY_EVENT: events.EventPattern = { source: events.Match.prefix('') };

/** Checks the props (leaving unresolved tokens to deployment) and returns them with their defaults. */
export function validateQueueReceiverProps(props: QueueReceiverProps): NormalizedQueueReceiverProps {
  const problem =
    checkValues('sources', props.sources) ??
    checkValues('detailTypes', props.detailTypes) ??
    checkPatternChoice(props) ??
    (props.parameterPath === undefined || Token.isUnresolved(props.parameterPath) ? undefined : checkParameterPath(props.parameterPath)) ??
    checkSeconds('visibilityTimeout', props.visibilityTimeout, VISIBILITY_SECONDS) ??
    checkSeconds('retentionPeriod', props.retentionPeriod, RETENTION_SECONDS) ??
    checkMaxReceiveCount(props.maxReceiveCount);
  if (problem) throw new Error(problem);
  return {
    ...props,
    eventPattern: props.eventPattern ?? patternOf(props),
    visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(30),
    retentionPeriod: props.retentionPeriod ?? Duration.days(4),
    maxReceiveCount: props.maxReceiveCount ?? 5,
  };
}

function patternOf(props: QueueReceiverProps): events.EventPattern {
  if (props.sources === undefined && props.detailTypes === undefined) return EVERY_EVENT;
  return {
    ...definedOnly({ source: props.sources, detailType: props.detailTypes }),
  };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 64)}... (${text.length} characters)` : text;
}

function checkValues(name: string, values: string[] | undefined): string | undefined {
  if (values === undefined || Token.isUnresolved(values)) return undefined;
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES) {
    return `invalid ${name} '${show(values)}': expected 1 to ${MAX_VALUES} values, or leave ${name} out to match every value`;
  }
  const bad = values.find((v) => !Token.isUnresolved(v) && (typeof v !== 'string' || v.length === 0 || v.length > 256));
  if (bad !== undefined) return `invalid ${name} value '${show(bad)}': expected a string of 1 to 256 characters`;
  return undefined;
}

function checkPatternChoice(props: QueueReceiverProps): string | undefined {
  if (props.eventPattern === undefined) return undefined;
  if (props.sources !== undefined || props.detailTypes !== undefined) {
    return 'invalid eventPattern: it is exclusive with sources and detailTypes, expected either a full eventPattern or sources/detailTypes';
  }
  if (Object.values(props.eventPattern).every((v) => v === undefined)) {
    return 'invalid eventPattern {}: EventBridge requires at least one field; leave eventPattern out to receive every event on the bus';
  }
  return undefined;
}

function checkSeconds(name: string, value: Duration | undefined, range: { min: number; max: number }): string | undefined {
  if (value === undefined || value.isUnresolved()) return undefined;
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < range.min || seconds > range.max) {
    return `invalid ${name} '${value.toHumanString()}': expected whole seconds from ${range.min} to ${range.max} (SQS's limit)`;
  }
  return undefined;
}

function checkMaxReceiveCount(value: number | undefined): string | undefined {
  if (value === undefined || Token.isUnresolved(value)) return undefined;
  if (!Number.isInteger(value) || value < MAX_RECEIVE_COUNT.min || value > MAX_RECEIVE_COUNT.max) {
    return `invalid maxReceiveCount '${value}': expected a whole number from ${MAX_RECEIVE_COUNT.min} to ${MAX_RECEIVE_COUNT.max}`;
  }
  return undefined;
}
