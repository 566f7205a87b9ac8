// A process that opens outboxes when told: each line "open <dir>" on stdin opens one (printing
// "ok" or "locked"), "close" closes the one open (printing "closed"). Two of these, told at the
// same moment, race for one directory's lock as two copies of a service started together do.
import { createInterface } from 'node:readline';
import { ConnectorClient, Outbox, OutboxError } from '../../src/runtime';

const client = new ConnectorClient({
  region: 'us-east-1',
  eventBusName: 'orders',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  endpoint: 'http://127.0.0.1:9',
});
let open: Outbox | undefined;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void (async () => {
    if (line.startsWith('open ')) {
      try {
        open = await client.outbox({ directory: line.slice(5) });
        process.stdout.write('ok\n');
      } catch (error) {
        process.stdout.write(error instanceof OutboxError && error.code === 'OutboxLocked' ? 'locked\n' : `error ${String(error)}\n`);
      }
    } else if (line === 'close') {
      await open?.close({ deadlineMs: 100 });
      open = undefined;
      process.stdout.write('closed\n');
    }
  })();
});
lines.on('close', () => void client.close({ deadlineMs: 100 }));
process.stdout.write('ready\n');
