// The receiving path: Connection + ApiDestination + Rule + dead-letter queue.
export * from './receiving/receiver-props';
export * from './receiving/connector-receiver';
export * from './receiving/queue-receiver-props';
export * from './receiving/queue-receiver';
