// With --max-workers above 1, the outputs of the jobs being run right now (SPEC R4.21). A job plans only
// after the job claimed before it has planned, and holds its outputs from its plan until it is settled, so
// two jobs of one scan that would write the same output are decided in claim order whatever the timing:
// the later one fails before its FFmpeg starts, with the reason a serial run gives it once the earlier
// output exists. Names compare case-insensitively, as plan.ts compares a job's own outputs (the volume may
// be case-insensitive).

export class OutputsInFlight {
  private readonly holders = new Map<string, string>();

  /** Whether a job in flight will write `output`. */
  isHeld(output: string): boolean {
    return this.holders.has(output.toLowerCase());
  }

  /** `job` holds `outputs` until release(job). */
  hold(job: string, outputs: readonly string[]): void {
    for (const output of outputs) this.holders.set(output.toLowerCase(), job);
  }

  release(job: string): void {
    for (const [output, holder] of this.holders) if (holder === job) this.holders.delete(output);
  }
}
