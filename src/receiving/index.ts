// The receiving construct family: the HTTPS path (Connection + ApiDestination + Rule +
// dead-letter queue) and the queue path (Rule + SQS queue), each with its props.
export * from './receiver-props';
export * from './connector-receiver';
export * from './queue-receiver-props';
export * from './queue-receiver';
