/**
 * The SSM and STS client modules load on first use. A process that never reads its contract
 * (`new ConnectorClient`) or never validates its credentials does not pay for them, and one that
 * does pays after start-up rather than at `require` time: together they are about a third of
 * the runtime's load time. esbuild turns these `require` calls into lazy calls of the modules it
 * bundled.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export function ssmModule(): typeof import('@aws-sdk/client-ssm') {
  return require('@aws-sdk/client-ssm');
}

export function stsModule(): typeof import('@aws-sdk/client-sts') {
  return require('@aws-sdk/client-sts');
}

export function sqsModule(): typeof import('@aws-sdk/client-sqs') {
  return require('@aws-sdk/client-sqs');
}

/** The S3 client: only a process that stores or fetches claim-check payloads loads it. */
export function s3Module(): typeof import('@aws-sdk/client-s3') {
  return require('@aws-sdk/client-s3');
}
