// The package's command-line entry (bin `eventbridge-connector`): a thin layer over the runtime
// and the local services; the commands live in src/cli/.
import { main } from './cli/main';

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`eventbridge-connector: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
