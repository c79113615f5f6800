// Scans: one with --once, or one every --poll-seconds until the stop signal. Jobs run one at a time in
// name order; a stop request lets the current job settle (interrupting its FFmpeg) and starts no other.

import { join } from 'node:path';
import type { FinalStatus } from '../result.ts';
import type { JobContext } from './job.ts';
import { processJob } from './job.ts';
import { listCandidates, readinessOf } from './scan.ts';

export interface LoopOptions {
  readonly once: boolean;
  readonly pollMs: number;
  readonly settleMs: number;
  /** This start's recovery filed a job FAILED or PARTIAL: with --once it counts like a job of the scan (R11.6). */
  readonly recoveryFiledFailure: boolean;
}

export interface ScanSummary {
  completed: number;
  failed: number;
  partial: number;
  waiting: number;
}

const TALLY: Record<FinalStatus, keyof ScanSummary> = { COMPLETED: 'completed', FAILED: 'failed', PARTIAL: 'partial' };

/**
 * Console lines stay one line and cannot carry terminal escapes from hostile names or reasons. A byte of
 * a name that is not UTF-8 (a lone surrogate, path-bytes.ts) is shown as `\udcNN`, as result files show it.
 */
function printable(text: string): string {
  return text.replace(/\p{Cc}|\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function describe(folder: string, name: string): string {
  return `${folder.slice(folder.lastIndexOf('/') + 1)}/${name}`;
}

/** `quietWhenIdle`: in continuous mode an idle scan prints nothing, or the log would grow every poll. */
export async function runScan(ctx: JobContext, settleMs: number, quietWhenIdle: boolean): Promise<ScanSummary> {
  const { deps, layout } = ctx;
  const summary: ScanSummary = { completed: 0, failed: 0, partial: 0, waiting: 0 };
  const candidates = await listCandidates(deps, layout);
  for (const name of candidates) {
    if (ctx.stop.aborted) break;
    const readiness = await readinessOf(deps, join(layout.pending, name), settleMs);
    if (readiness === 'vanished') continue;
    if (readiness === 'waiting') {
      summary.waiting += 1;
      deps.log.info(printable(`Waiting: ${name} is not complete yet (not a JSON object, modified within the settle window)`));
      continue;
    }
    const outcome = await processJob(ctx, name);
    if (outcome.kind === 'not-claimed') {
      if (outcome.why === 'running-taken') deps.log.info(printable(`Skipped: ${name} stays in pending/ because ${outcome.detail}`));
      if (outcome.why === 'claim-failed') deps.log.error(printable(`Skipped: ${name} stays in pending/: ${outcome.detail}`));
      continue;
    }
    summary[TALLY[outcome.status]] += 1;
    const { folder, jobSpecName, resultName } = outcome.settled;
    const where = jobSpecName === null ? `${describe(folder, resultName)} (the JobSpec left running/ during the job)` : describe(folder, jobSpecName);
    deps.log.info(printable(`${outcome.status}: ${name} -> ${where}${outcome.reason === null ? '' : ` (${outcome.reason})`}`));
  }
  if (quietWhenIdle && candidates.length === 0) return summary;
  deps.log.info(
    `Scan complete: ${summary.completed} completed, ${summary.failed} failed, ${summary.partial} partial, ${summary.waiting} waiting`,
  );
  return summary;
}

/**
 * Returns the process exit code: with --once, 1 when any job of the scan or of the start's recovery ended
 * FAILED or PARTIAL; else 0 (continuous mode reports outcomes in result files, not in its exit: R2.14).
 */
export async function runLoop(ctx: JobContext, options: LoopOptions): Promise<number> {
  if (options.once) {
    const summary = await runScan(ctx, options.settleMs, false);
    return options.recoveryFiledFailure || summary.failed + summary.partial > 0 ? 1 : 0;
  }
  while (!ctx.stop.aborted) {
    await runScan(ctx, options.settleMs, true);
    await ctx.deps.clock.sleep(options.pollMs, ctx.stop);
  }
  return 0;
}
