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

  public summary(facts: ReadonlyArray<[string, string]>): void {
    const width = Math.max(...this.steps.map((s) => s.name.length), 10);
    process.stdout.write('\nSummary\n');
    for (const [i, s] of this.steps.entries()) {
      process.stdout.write(`  ${String(i + 1).padStart(2)}. ${s.name.padEnd(width)}  ${s.ok ? 'ok    ' : 'FAILED'}  ${s.seconds.toFixed(1).padStart(5)} s\n`);
    }
    const keyWidth = Math.max(...facts.map(([k]) => k.length));
    process.stdout.write('\n');
    for (const [key, value] of facts) process.stdout.write(`  ${key.padEnd(keyWidth)}  ${value}\n`);
    process.stdout.write(`\n  total ${((Date.now() - this.started) / 1000).toFixed(1)} s\n`);
  }
}
