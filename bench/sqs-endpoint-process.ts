// The loopback SQS endpoint in a process of its own, so that serving requests does not share an
// event loop with the consumer under measurement.
import { startSqsEndpoint } from '../src/local/sqs-endpoint';

void (async () => {
  const endpoint = await startSqsEndpoint();
  process.stdout.write(`${JSON.stringify({ endpoint: endpoint.endpoint })}\n`);
  process.on('SIGTERM', () => void endpoint.stop().then(() => process.exit(0)));
})();
