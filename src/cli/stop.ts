/** How a long-running subcommand (serve, update, rolesanywhere-service) learns to stop. */
export interface StopOptions {
  /** Resolves when the command should stop. @default - on SIGINT or SIGTERM */
  readonly stopSignal?: Promise<unknown>;
}

export function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
