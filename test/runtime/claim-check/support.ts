// moto as S3 for the claim-check tests, and an S3 client that counts what it sends and how many
// body bytes a GetObject delivered to its reader.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MotoServer, startMoto } from '../../../src/local/moto';

export const REGION = 'eu-west-1';
export const BUCKET = 'shop-payloads';
export const PREFIX = 'payloads/orders/';
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

export function s3Of(moto: MotoServer): S3Client {
  // Path style: moto on 127.0.0.1 has no <bucket>.host names.
  return new S3Client({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS, forcePathStyle: true });
}

export async function createBucket(s3: S3Client): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
}

/**
 * moto and an S3 client with the test bucket for the calling file: started before its tests,
 * handed to `use` (with moto, for more clients of its own), stopped after them.
 */
export function useMotoBucket(use: (s3: S3Client, moto: MotoServer) => void): void {
  let moto: MotoServer | undefined;
  let s3: S3Client | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    s3 = s3Of(moto);
    await createBucket(s3);
    use(s3, moto);
  }, 60_000);
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });
}

/** What a wrapped client sent, and the body bytes its GetObject responses gave their readers. */
export interface Recorded {
  readonly commands: Array<{ name: string; input: Record<string, unknown> }>;
  bodyBytesRead: number;
}

/** `s3`, recording each command and counting the bytes read from each GetObject body. */
export function recording(s3: S3Client): { client: { send(command: any, options?: any): Promise<unknown> }; recorded: Recorded } {
  const recorded: Recorded = { commands: [], bodyBytesRead: 0 };
  const client = {
    async send(command: any, options?: any): Promise<unknown> {
      recorded.commands.push({ name: command.constructor.name, input: { ...command.input } });
      const output: any = await s3.send(command, options);
      if (output?.Body && typeof output.Body[Symbol.asyncIterator] === 'function') {
        const body = output.Body;
        const counted = {
          async *[Symbol.asyncIterator]() {
            for await (const chunk of body) {
              recorded.bodyBytesRead += chunk.length;
              yield chunk;
            }
          },
          destroy: (error?: Error) => body.destroy?.(error),
        };
        return { ...output, Body: counted };
      }
      return output;
    },
  };
  return { client, recorded };
}
