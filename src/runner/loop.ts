// Scans: one with --once, or one every --poll-seconds until the stop signal. Jobs are claimed one at a
// time in name order; with --max-workers N up to N run at once, each claimed only after the one before it
// has planned (job.ts), so every decision a plan makes is the one a serial run makes. With one worker
// this is exactly the serial loop. A stop request lets the running jobs settle (interrupting their FFmpeg)
// and starts no other.

import { join } from 'node:path';
import { oneLine } from '../log.ts';
import type { FinalStatus } from '../result.ts';
import type { FiledJob, HookContext } from './hook.ts';
import { runFiledHook } from './hook.ts';
import type { Deps } from '../ports.ts';
import { INTERRUPTED } from './execute.ts';
import type { JobContext, JobOutcome } from './job.ts';
import { DiskHalt } from './job.ts';
import type { HeldLock } from './lock.ts';
import type { RecoveredJob } from './recover.ts';
import { settledPaths } from './settle.ts';
import { processJob } from './job.ts';
import { listCandidates, ReadinessMemo, readinessOf, WAITING_REASON } from './scan.ts';

export interface LoopOptions {
  readonly once: boolean;
  readonly pollMs: number;
  readonly settleMs: number;
  readonly hook: HookContext | null;
  /** This start's recovery filed a job FAILED or PARTIAL: with --once it counts like a job of the scan (R11.6). */
  readonly recoveryFiledFailure: boolean;
  /** --max-workers: how many jobs may run at once. */
  readonly maxWorkers: number;
  /** The held lock, whose worker(n) each further worker records its FFmpeg child with. */
  readonly lock: HeldLock;
  /** --shared: before each scan, take over the jobs of runners whose lease expired; true when one was filed FAILED or PARTIAL. */
  readonly beforeScan?: () => Promise<boolean>;
}

export interface ScanSummary {
  completed: number;
  failed: number;
  partial: number;
  waiting: number;
}

const TALLY: Record<FinalStatus, keyof ScanSummary> = { COMPLETED: 'completed', FAILED: 'failed', PARTIAL: 'partial' };

/**
 * What was last said of each file that stays in pending/, so that it is said once and not at every poll:
 * again only when what there is to say changes, or after the file left pending/ and came back.
 */
export class PendingNotices {
  private said = new Map<string, string>();
  private now = new Map<string, string>();
  /** What was read of the files that wait, kept over the same scans. */
  readonly readiness = new ReadinessMemo();

  /** True when `notice` is news for `name` in this scan. */
  isNews(name: string, notice: string): boolean {
    this.now.set(name, notice);
    return this.said.get(name) !== notice;
  }

  /** Ends a scan: what was not said of a file in it is forgotten. */
  endScan(): void {
    this.said = this.now;
    this.now = new Map();
    this.readiness.endScan();
  }
}

function shownPath(folder: string, name: string): string {
  return `${folder.slice(folder.lastIndexOf('/') + 1)}/${name}`;
}

/** The `filed` event of a job: where its JobSpec and result went. */
export function logFiled(ctx: JobContext, filed: FiledJob): void {
  const { folder, jobSpecName, resultName } = filed.settled;
  const where = jobSpecName === null ? `${shownPath(folder, resultName)} (the JobSpec left running/ during the job)` : shownPath(folder, jobSpecName);
  const said = filed.reason === null ? '' : ` (${oneLine(filed.reason)})`;
  ctx.deps.log.event('filed', `${filed.status}: ${filed.name} -> ${where}${said}`, {
    job: filed.name,
    job_id: filed.jobId,
    status: filed.status,
    // The reason exactly as the result file has it: JSON carries line breaks without ambiguity.
    reason: filed.reason,
    ...settledPaths(filed.settled),
  });
}

/** The `recovered` event of one job a previous runner left: it is named, with where it went. */
export function logRecovered(deps: Deps, job: RecoveredJob): void {
  const { folder, jobSpecName, resultName } = job.settled;
  const where = shownPath(folder, jobSpecName ?? resultName);
  const how =
    job.kind === 'interrupted'
      ? `left in running/ by a runner that stopped: ${job.status} -> ${where} (${INTERRUPTED})`
      : `its filing, committed by a runner that stopped, was finished: ${job.status} -> ${where}`;
  deps.log.event('recovered', `Recovered ${job.name}: ${how}`, {
    job: job.name,
    status: job.status,
    reason: job.reason,
    ...settledPaths(job.settled),
  });
}

/** The smallest worker number not in use, from 1. */
function freeWorker(busy: ReadonlySet<number>): number {
  let worker = 1;
  while (busy.has(worker)) worker += 1;
  return worker;
}

/** `quietWhenIdle`: in continuous mode a scan with nothing new prints nothing, or the log would grow every poll. */
export async function runScan(ctx: JobContext, options: LoopOptions, notices: PendingNotices, quietWhenIdle: boolean): Promise<ScanSummary> {
  const { deps, layout } = ctx;
  const summary: ScanSummary = { completed: 0, failed: 0, partial: 0, waiting: 0 };
  let news = false;
  // Several workers: a failure of one job's disk (thrown) stops the others' FFmpeg too, then is rethrown.
  const halt = options.maxWorkers > 1 ? new AbortController() : null;
  const stop = halt === null ? ctx.stop : AbortSignal.any([ctx.stop, halt.signal]);
  const inFlight = new Set<Promise<void>>();
  const busyWorkers = new Set<number>();
  let failure: { readonly error: unknown } | null = null;

  const filed = async (name: string, outcome: JobOutcome): Promise<void> => {
    if (outcome.kind === 'not-claimed') {
      if (outcome.why !== 'vanished' && notices.isNews(name, outcome.detail)) {
        const why = outcome.why === 'running-taken' ? ` because ${outcome.detail}` : `: ${outcome.detail}`;
        deps.log.event('skipped', `Skipped: ${name} stays in pending/${why}`, { job: name, reason: outcome.detail });
        news = true;
      }
      return;
    }
    news = true;
    summary[TALLY[outcome.status]] += 1;
    const job: FiledJob = { name, jobId: outcome.jobId, status: outcome.status, reason: outcome.reason, settled: outcome.settled };
    logFiled(ctx, job);
    if (options.hook !== null) await runFiledHook(deps, options.hook, job);
  };

  const candidates = await listCandidates(deps, layout);
  for (const name of candidates) {
    // A free worker first: with one worker, the job before has then ended, as in a serial loop.
    while (inFlight.size >= options.maxWorkers) await Promise.race(inFlight);
    if (failure !== null) break;
    // A SIGTERM is seen here, between candidates, even when nothing since the last one had to wait.
    await deps.clock.yieldToEvents();
    if (stop.aborted) break;
    const readiness = await readinessOf(deps, join(layout.pending, name), options.settleMs, notices.readiness);
    if (readiness === 'vanished') continue;
    if (readiness === 'waiting') {
      summary.waiting += 1;
      if (notices.isNews(name, WAITING_REASON)) {
        deps.log.event('waiting', `Waiting: ${name} is ${WAITING_REASON}`, { job: name, reason: WAITING_REASON });
        news = true;
      }
      continue;
    }
    const worker = freeWorker(busyWorkers);
    busyWorkers.add(worker);
    let planned = (): void => undefined;
    const plannedNow = new Promise<void>((resolve) => {
      planned = resolve;
    });
    const jobCtx: JobContext = worker === 1 && halt === null ? ctx : { ...ctx, stop, worker, lock: options.lock.worker(worker) };
    const run: Promise<void> = processJob(jobCtx, name, planned)
      .then((outcome) => filed(name, outcome))
      .catch((error: unknown) => {
        failure ??= { error };
        halt?.abort(new DiskHalt());
      })
      .finally(() => {
        inFlight.delete(run);
        busyWorkers.delete(worker);
      });
    inFlight.add(run);
    // The next candidate is claimed only once this job has planned (or was not claimed at all).
    await Promise.race([plannedNow, run]);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw (failure as { readonly error: unknown }).error;
  notices.endScan();
  if (quietWhenIdle && !news) return summary;
  deps.log.event(
    'scan',
    `Scan complete: ${summary.completed} completed, ${summary.failed} failed, ${summary.partial} partial, ${summary.waiting} waiting`,
    { ...summary },
  );
  return summary;
}

/**
 * Returns the process exit code: with --once, 1 when any job of the scan or of the start's recovery ended
 * FAILED or PARTIAL; else 0 (continuous mode reports outcomes in result files, not in its exit: R2.14).
 */
export async function runLoop(ctx: JobContext, options: LoopOptions): Promise<number> {
  const notices = new PendingNotices();
  if (options.once) {
    const takenOverFailure = (await options.beforeScan?.()) === true;
    const summary = await runScan(ctx, options, notices, false);
    return options.recoveryFiledFailure || takenOverFailure || summary.failed + summary.partial > 0 ? 1 : 0;
  }
  // A change in pending/ (a drop, and our own claims) wakes the sleep between scans, or makes the next
  // scan follow at once when it came during a scan; polling still finds what no event reported.
  let changed = false;
  let wake: AbortController | null = null;
  const unwatch = ctx.deps.events?.watch(ctx.layout.pending, () => {
    changed = true;
    wake?.abort();
  });
  try {
    while (!ctx.stop.aborted) {
      changed = false;
      await options.beforeScan?.();
      await runScan(ctx, options, notices, true);
      if (changed || ctx.stop.aborted) continue;
      if (unwatch === undefined) {
        await ctx.deps.clock.sleep(options.pollMs, ctx.stop);
        continue;
      }
      wake = new AbortController();
      await ctx.deps.clock.sleep(options.pollMs, AbortSignal.any([ctx.stop, wake.signal]));
      wake = null;
    }
  } finally {
    unwatch?.();
  }
  return 0;
}
