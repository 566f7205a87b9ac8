/** The demo's console report: numbered steps with timings, then a summary a person can follow. */

export interface StepRecord {
  readonly name: string;
  readonly seconds: number;
  readonly ok: boolean;
  readonly detail?: string;
}

export class Report {
  public readonly steps: StepRecord[] = [];
  private readonly started = Date.now();

  /** Runs one step, printing its name first and its outcome and duration after. */
  public async step<T>(name: string, run: (note: (line: string) => void) => Promise<T>): Promise<T> {
    const number = this.steps.length + 1;
    process.stdout.write(`\n[${number}] ${name}\n`);
    const start = Date.now();
    const note = (line: string) => process.stdout.write(`    ${line}\n`);
    try {
      const result = await run(note);
      const seconds = (Date.now() - start) / 1000;
      this.steps.push({ name, seconds, ok: true });
      process.stdout.write(`    done in ${seconds.toFixed(1)} s\n`);
      return result;
    } catch (error) {
      const seconds = (Date.now() - start) / 1000;
      const detail = error instanceof Error ? error.message : String(error);
      this.steps.push({ name, seconds, ok: false, detail });
      process.stdout.write(`    FAILED after ${seconds.toFixed(1)} s: ${detail}\n`);
      throw error;
    }
  }

  /**
   * The whole run, from the start of the command (`npm run demo` hands over when run-ts started,
   * so it includes compiling the demo's TypeScript and loading aws-cdk-lib and the SDK), and the
   * part spent before the first step.
   */
  public get totals(): { seconds: number; beforeFirstStep: number } {
    const processStarted = Number(process.env.RUN_TS_STARTED_AT) || Date.now() - process.uptime() * 1000;
    return { seconds: (Date.now() - processStarted) / 1000, beforeFirstStep: (this.started - processStarted) / 1000 };
  }

  public summary(facts: ReadonlyArray<[string, string]>): void {
    const width = Math.max(...this.steps.map((s) => s.name.length), 10);
    process.stdout.write('\nSummary\n');
    for (const [i, s] of this.steps.entries()) {
      process.stdout.write(`  ${String(i + 1).padStart(2)}. ${s.name.padEnd(width)}  ${s.ok ? 'ok    ' : 'FAILED'}  ${s.seconds.toFixed(1).padStart(5)} s\n`);
    }
    const keyWidth = Math.max(...facts.map(([k]) => k.length));
    process.stdout.write('\n');
    for (const [key, value] of facts) process.stdout.write(`  ${key.padEnd(keyWidth)}  ${value}\n`);
    const { seconds, beforeFirstStep } = this.totals;
    process.stdout.write(`\n  total ${seconds.toFixed(1)} s since the command started (${beforeFirstStep.toFixed(1)} s of it loading the demo before step 1)\n`);
  }
}

/** What registerApp did to a resource, in words a newcomer follows. */
export function registration(change: 'created' | 'updated' | 'unchanged'): string {
  switch (change) {
    case 'created': return 'created (it did not exist yet)';
    case 'updated': return "updated: the stack deployed in step 4 created it; registerApp set this app's endpoint and settings";
    case 'unchanged': return 'unchanged: already set for this app';
  }
}
