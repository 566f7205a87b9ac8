/** The PutEvents senders bench/throughput.ts compares, each run by bench/put-events-sender-process.ts. */
export const CONTENDERS = ['putEvents', 'putEvents-sdk-transport', 'raw-sdk-batched', 'raw-sdk-single', 'minimal-signed-http'] as const;
export type Contender = (typeof CONTENDERS)[number];
