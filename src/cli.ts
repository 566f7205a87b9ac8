// The package's command-line entry (bin `eventbridge-connector`): a thin layer over the runtime.
process.stderr.write('eventbridge-connector: no subcommands yet\n');
process.exit(2);
