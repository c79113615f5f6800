// The runner as a function of its arguments and ports: what `src/cli.ts` runs with the real adapters
// and what the scenario harness runs on memfs. Returns the exit code of contract section 2.

import { resolve } from 'node:path';
import type { Console, Deps } from './ports.ts';
import { DISK_TROUBLE_CODES, fsErrorCode } from './ports.ts';
import { parseCommandLine, USAGE } from './options.ts';
import type { RunnerOptions } from './options.ts';
import { createLog } from './log.ts';
import { formatTimestamp } from './result.ts';
import { runStatus } from './commands/status.ts';
import { runSubmit } from './commands/submit.ts';
import { runValidate } from './commands/validate.ts';
import { VERSION } from './version.ts';
import type { Layout } from './runner/layout.ts';
import { layoutOf, STATE_FOLDERS } from './runner/layout.ts';
import type { HeldLock, LockAttempt, StoppedOrphan } from './runner/lock.ts';
import { acquireLock, joinSharedFolder, ownRecord } from './runner/lock.ts';
import { ORPHAN_GRACE_MS } from './runner/lock-liveness.ts';
import type { HookContext } from './runner/hook.ts';
import { runFiledHook } from './runner/hook.ts';
import { logRecovered, runLoop } from './runner/loop.ts';
import { OutputsInFlight } from './runner/outputs-in-flight.ts';
import type { RecoveredJob } from './runner/recover.ts';
import { recoverInterrupted } from './runner/recover.ts';
import type { LeaseTerms, Membership } from './runner/membership.ts';
import { joinMembership, LeaseLost, recoverTakenFolder, runnerIdOf } from './runner/membership.ts';

export const EXIT = { ok: 0, jobFailed: 1, usage: 2, busy: 3, internal: 70 } as const;

interface StartupProblem {
  readonly exit: number;
  readonly message: string;
}

/** A folder that is missing, of the wrong kind or not ours to write is configuration (2); a failing disk is not (70). */
function startupProblem(message: string, code?: string): StartupProblem {
  const exit = code !== undefined && DISK_TROUBLE_CODES.has(code) ? EXIT.internal : EXIT.usage;
  return { exit, message: code === undefined ? message : `${message} (${code})` };
}

/** Creates missing state folders and checks the layout; returns the problem or null. */
async function prepareFolder(deps: Deps, layout: Layout): Promise<StartupProblem | null> {
  try {
    if ((await deps.fs.stat(layout.root)).kind !== 'directory') return startupProblem(`Watch folder is not a directory: ${layout.root}`);
  } catch (error) {
    const code = fsErrorCode(error);
    return startupProblem(code === 'ENOENT' ? `Watch folder does not exist: ${layout.root}` : `Cannot check the watch folder ${layout.root}`, code);
  }
  const devices = new Set<number>();
  const folders = new Set<string>();
  for (const name of STATE_FOLDERS) {
    const path = layout[name];
    try {
      await deps.fs.mkdir(path);
    } catch (error) {
      const code = fsErrorCode(error);
      if (code !== 'EEXIST') return startupProblem(`Cannot create ${path}`, code);
    }
    let stat;
    try {
      stat = await deps.fs.stat(path);
    } catch (error) {
      const code = fsErrorCode(error);
      return startupProblem(DISK_TROUBLE_CODES.has(code) ? `Cannot check ${path}` : `${path} is not a directory`, code); // e.g. a dangling symlink
    }
    if (stat.kind !== 'directory') return startupProblem(`${path} exists but is not a directory`);
    devices.add(stat.dev);
    folders.add(`${stat.dev}:${stat.ino}`);
  }
  // Atomic renames and links only work within one filesystem.
  if (devices.size > 1) return startupProblem(`The folders pending/, running/, completed/ and failed/ of ${layout.root} must be on one filesystem`);
  // Two names for one folder (pending/ a symlink to completed/, say) would re-run filed jobs forever.
  if (folders.size < STATE_FOLDERS.length) return startupProblem(`The folders pending/, running/, completed/ and failed/ of ${layout.root} must be four different folders`);
  // A new folder's own entry is durable only once its parent is fsynced: without this, a power cut could
  // take running/ or completed/ away with the JobSpecs already durably filed inside them. Every start does
  // it, not only the one that created a folder: that one may have died before its fsync.
  try {
    await deps.fs.fsyncDir(layout.root);
  } catch (error) {
    return startupProblem(`Cannot make the folders of ${layout.root} durable`, fsErrorCode(error));
  }
  return null;
}

/** The lock, or the exit code after saying why not. */
/** How a start holds the folder: the lock, its orphans, and (with --shared) its membership; or why not. */
type FolderHold =
  | { readonly ok: true; readonly lock: HeldLock; readonly orphans: readonly StoppedOrphan[]; readonly membership: Membership | null }
  | Extract<LockAttempt, { ok: false }>
  | StartupProblem;

async function takeLock(deps: Deps, layout: Layout, workerStartedAt: string): Promise<FolderHold> {
  try {
    const attempt = await acquireLock(deps, layout, workerStartedAt);
    return attempt.ok ? { ...attempt, membership: null } : attempt;
  } catch (error) {
    return startupProblem(`Cannot take the lock ${layout.lock}`, fsErrorCode(error));
  }
}

/** How many ids a shared runner tries before it gives up: one clone at the same instant is already rare. */
const ID_ATTEMPTS = 16;

/** A shared runner's start: the folder marked as shared, this runner's membership (lease and folder). */
async function joinShared(deps: Deps, layout: Layout, workerStartedAt: string, terms: LeaseTerms): Promise<FolderHold> {
  try {
    const identity = await ownRecord(deps, workerStartedAt);
    const startedMs = deps.clock.now();
    const joined = await joinSharedFolder(deps, layout, identity, runnerIdOf(identity.host, identity.pid, startedMs));
    if (!joined.ok) return joined;
    // An id whose lease exists is a clone's (same host name, pid and start): the next millisecond's is not.
    for (let later = 0; later < ID_ATTEMPTS; later += 1) {
      const membership = await joinMembership(deps, layout, identity, terms, runnerIdOf(identity.host, identity.pid, startedMs + later));
      if (membership !== null) return { ok: true, lock: membership.lock, membership, orphans: joined.orphans };
    }
    return startupProblem(`Cannot join the shared watch folder ${layout.root}: the leases of ${ID_ATTEMPTS} ids of this host, pid and start time exist already in .runners/`);
  } catch (error) {
    return startupProblem(`Cannot join the shared watch folder ${layout.root}`, fsErrorCode(error));
  }
}

/**
 * Says each job recovery filed and tells the --on-filed program of it (a recovered job carries everything a
 * filed one does); true when one of them ended FAILED or PARTIAL.
 */
async function reportRecovered(deps: Deps, hook: HookContext | null, jobs: readonly RecoveredJob[]): Promise<boolean> {
  for (const job of jobs) logRecovered(deps, job);
  if (hook !== null) for (const job of jobs) await runFiledHook(deps, hook, job);
  return jobs.some((job) => job.status !== 'COMPLETED');
}

function logOrphans(deps: Deps, orphans: readonly StoppedOrphan[]): void {
  for (const { pid, end } of orphans) {
    const how = end === 'killed' ? ` (SIGKILL: it was still running ${ORPHAN_GRACE_MS / 1000} s after SIGTERM)` : '';
    deps.log.event('orphan-stopped', `Terminated orphaned FFmpeg process ${pid} of a previous runner${how}`, { pid, killed: end === 'killed' });
  }
}

/** The stop event, said once when the stop arrives: which job it interrupts, if one is running. */
function sayStop(deps: Deps, stop: AbortSignal, running: ReadonlySet<string>): void {
  const signal = typeof stop.reason === 'string' ? stop.reason : 'a stop request';
  const jobs = [...running];
  const [job = null] = jobs;
  const message =
    job === null
      ? `Received ${signal}: stopping; no job is running`
      : jobs.length === 1
        ? `Received ${signal}: stopping; the running job ${job} is interrupted (its FFmpeg is stopped and it is filed as FAILED "runner interrupted" unless its last clip already ended)`
        : `Received ${signal}: stopping; the ${jobs.length} running jobs ${jobs.join(', ')} are interrupted (their FFmpeg is stopped and each is filed as FAILED "runner interrupted" unless its last clip already ended)`;
  deps.log.event('stop', message, { signal, job, running_jobs: jobs.length });
}

async function runWatchFolder(options: RunnerOptions, deps: Deps, stop: AbortSignal): Promise<number> {
  const layout = layoutOf(resolve(deps.cwd, options.folder));
  const problem = await prepareFolder(deps, layout);
  if (problem !== null) {
    deps.log.event('startup-error', `error: ${problem.message}`);
    return problem.exit;
  }
  const workerStartedAt = formatTimestamp(deps.clock.now());
  const attempt = options.shared === null ? await takeLock(deps, layout, workerStartedAt) : await joinShared(deps, layout, workerStartedAt, options.shared);
  if ('exit' in attempt) {
    deps.log.event('startup-error', `error: ${attempt.message}`);
    return attempt.exit;
  }
  if (!attempt.ok) {
    deps.log.event('startup-error', `error: ${attempt.message}`);
    return attempt.kind === 'busy' ? EXIT.busy : EXIT.usage;
  }
  const { lock, membership } = attempt;
  // --shared: the lease is renewed in the background; a failed fence (our jobs taken over) stops the work.
  const lost = new AbortController();
  const done = new AbortController();
  const renewing = (membership?.renewUntil(AbortSignal.any([stop, done.signal]), lost) ?? Promise.resolve()).catch((error: unknown) => lost.abort(error));
  const working = membership === null ? stop : AbortSignal.any([stop, lost.signal]);
  const jobLayout = membership === null ? layout : { ...layout, running: membership.running };
  const running = new Set<string>();
  let diskHalted = false;
  const onStop = (): void => sayStop(deps, stop, running);
  stop.addEventListener('abort', onStop, { once: true });
  try {
    const mode = options.once ? 'single scan (--once)' : `continuous, polling every ${options.pollSeconds} s`;
    deps.log.event('start', `Watch folder runner ${VERSION}: ${layout.root}, ${mode}`, {
      version: VERSION,
      folder: layout.root,
      mode: options.once ? 'once' : 'continuous',
      pid: deps.host.pid,
      host: deps.host.hostname,
    });
    logOrphans(deps, attempt.orphans);
    const hook = options.onFiled === null ? null : { program: options.onFiled, timeoutMs: Math.max(1, Math.round(options.hookTimeoutSeconds * 1000)) };
    /** --shared: files the jobs of the folders taken over so far; true when one ended FAILED or PARTIAL. */
    const fileTaken = async (): Promise<boolean> => {
      if (membership === null) return false;
      const filed: RecoveredJob[] = [];
      for (const taken of membership.drainTaken()) {
        deps.log.event('taken-over', `Took over the jobs of runner ${taken.id}: its lease expired`, { runner: taken.id });
        logOrphans(deps, taken.orphans);
        filed.push(...(await recoverTakenFolder(deps, layout, workerStartedAt, taken.path)));
      }
      return reportRecovered(deps, hook, filed);
    };
    /** --shared: takes over the runners whose lease expired and files their jobs; true when one ended FAILED or PARTIAL. */
    const takeOver = async (): Promise<boolean> => {
      if (membership === null) return false;
      await membership.fence();
      await membership.takeOverExpired();
      return fileTaken();
    };
    const recovered = membership === null ? await recoverInterrupted({ deps, layout, workerStartedAt }) : [];
    const recoveryFiledFailure = await reportRecovered(deps, hook, recovered);
    const ctx = {
      deps,
      layout: jobLayout,
      workerStartedAt,
      stop: working,
      ...(membership === null ? {} : { fence: membership.fence }),
      clipTimeoutMs: Math.max(1, Math.round(options.clipTimeoutSeconds * 1000)),
      progressMs: Math.round(options.progressSeconds * 1000),
      lock,
      running,
      worker: 1,
      inFlight: new OutputsInFlight(),
    };
    const exit = await runLoop(ctx, {
      once: options.once,
      pollMs: options.pollSeconds * 1000,
      settleMs: options.settleSeconds * 1000,
      hook,
      recoveryFiledFailure,
      maxWorkers: options.maxWorkers,
      lock,
      ...(membership === null ? {} : { beforeScan: takeOver }),
    });
    if (lost.signal.aborted) throw lost.signal.reason instanceof LeaseLost ? lost.signal.reason : new LeaseLost(jobLayout.running);
    // Folders the renewal took over while the last job ran are filed before leaving (no FFmpeg: quick).
    await membership?.fence();
    const lateFailure = await fileTaken();
    return exit === 0 && lateFailure && options.once ? EXIT.jobFailed : exit;
  } catch (error) {
    // A shared runner that was taken over may meet its vanished folder anywhere (an lstat, a claim's fsync)
    // before a fence check: that is the lease lost, not a failing disk.
    const fenced = error instanceof LeaseLost ? error : membership === null ? null : await membership.fence().then(() => null, (why: unknown) => (why instanceof LeaseLost ? why : null));
    if (fenced !== null) {
      deps.log.event('lease-lost', `error: stopping without filing anything more: ${fenced.message}; the runner that took over files its jobs`);
      return EXIT.internal;
    }
    // A failing disk (EIO, ENOSPC, …): stop claiming at once. Whatever is in running/ stays there and is
    // filed as interrupted by the next start, so pending/ is never drained into failed/.
    const code = fsErrorCode(error);
    diskHalted = true;
    const message = error instanceof Error ? error.message : '';
    deps.log.event(
      'disk-error',
      `error: stopping because a filesystem operation failed (${code}): ${message}; nothing more is claimed, and a job left in running/ is recovered at the next start`,
      { code },
    );
    return EXIT.internal;
  } finally {
    stop.removeEventListener('abort', onStop);
    done.abort();
    await renewing.catch((error: unknown) => deps.log.event('startup-error', `error: cannot renew the lease (${fsErrorCode(error)})`));
    if (membership === null) {
      await lock.release().catch((error: unknown) => deps.log.event('startup-error', `error: cannot remove ${layout.lock} (${fsErrorCode(error)})`));
    } else {
      await membership.leave(diskHalted ? 'disk-error' : undefined).catch((error: unknown) => deps.log.event('startup-error', `error: cannot leave the shared folder (${fsErrorCode(error)})`));
    }
  }
}

/** What runApp is given: the ports, with the console the log is made on once the log format is known. */
export interface AppDeps extends Omit<Deps, 'log'> {
  readonly console: Console;
}

export async function runApp(argv: readonly string[], appDeps: AppDeps, stop: AbortSignal): Promise<number> {
  const command = parseCommandLine(argv);
  const log = createLog(appDeps.console, appDeps.clock, command.kind === 'run' ? command.options.logFormat : 'text');
  const deps: Deps = { ...appDeps, log };
  switch (command.kind) {
    case 'help':
      log.print(USAGE);
      return EXIT.ok;
    case 'version':
      log.print(VERSION);
      return EXIT.ok;
    case 'usage-error':
      log.event('usage-error', `error: ${command.message} (see --help)`);
      return EXIT.usage;
    case 'validate':
      return runValidate(deps, command.files, command.json);
    case 'status':
      return runStatus(deps, command.folder, command.json);
    case 'submit':
      return runSubmit(deps, command.files, command.to, command.json);
    case 'run':
      return runWatchFolder(command.options, deps, stop);
  }
}
