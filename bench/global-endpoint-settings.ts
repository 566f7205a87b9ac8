/** What bench/global-endpoint-process.ts and its senders share: the endpoint's id, regions and key. */
export const BENCH_ENDPOINT_ID = 'bench.global';
export const BENCH_PRIMARY = 'us-east-1';
export const BENCH_SECONDARY = 'us-west-2';
export const BENCH_CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
