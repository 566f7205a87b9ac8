// The package's command-line entry (bin `eventbridge-connector`): a thin layer over the runtime
// and the local services; the commands live in src/cli/.
import { main } from './cli/main';

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stdin: async (maxBytes) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new Error(`stdin holds more than ${maxBytes} bytes: expected a string to sign`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`eventbridge-connector: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
