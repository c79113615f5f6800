// `status FOLDER`: what a watch folder holds and what its runner is doing, for an operator or a monitor.
// It only looks: it never takes the lock, never moves, creates or removes a file, so it can run beside
// a working runner at any moment. What the runner is doing comes from its lock record (the holder, the
// clip being encoded and FFmpeg's last reported progress: runner/progress.ts), and, in a folder worked
// with --shared, from each runner's lease and its folder running/<id>/; the rest from listings (a file
// `submit` staged in .submitting/ and never linked is shown too: nothing else would say it is there).

import { join, resolve } from 'node:path';
import type { Deps } from '../ports.ts';
import { fsErrorCode, lstatOrNull, readdirOrNull } from '../ports.ts';
import { oneLine, printable } from '../log.ts';
import { OPTIONS } from '../options.ts';
import { parseJsonObject } from '../jobspec/json.ts';
import { parseJobSpec } from '../jobspec/parse.ts';
import { summarizeResult } from '../result.ts';
import { isJobSpecName, isLockName, stemOfResultName } from '../runner/filing-names.ts';
import type { Layout } from '../runner/layout.ts';
import { byCodeUnits, layoutOf, STATE_FOLDERS } from '../runner/layout.ts';
import { holderState } from '../runner/lock-liveness.ts';
import type { LockActivity, LockRecord } from '../runner/lock-record.ts';
import { idOfLeaseName } from '../runner/membership.ts';
import { activitiesOf, readLockRecord } from '../runner/lock-record.ts';
import { readJobSpecFile } from '../runner/read-jobspec.ts';
import { clockText, percentOf } from '../runner/progress.ts';
import { readinessOf, WAITING_REASON } from '../runner/scan.ts';

/** How many of the latest results the report shows. */
export const RECENT_RESULTS = 10;

type FolderName = (typeof STATE_FOLDERS)[number];

export interface FolderCount {
  /** JobSpecs in the folder; null when the folder does not exist. */
  readonly jobspecs: number | null;
  readonly results: number | null;
}

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
  /** `alive`; `stale` (its process is gone: the next start takes over); `other-host` (cannot be judged from here). */
  readonly state: 'alive' | 'stale' | 'other-host';
  /** The folder is worked with --shared: this is the first shared runner's marker, and `runners` the runners. */
  readonly shared: boolean;
}

export interface RunningJob {
  readonly name: string;
  /** --shared: the id of the runner whose folder `running/<id>/` holds it; null in running/ itself. */
  readonly runner: string | null;
  readonly job_id: string;
  /** `running` under a live holder; `interrupted` otherwise (the next start files it as "runner interrupted"). */
  readonly state: 'running' | 'interrupted';
  readonly clip: number | null;
  readonly clips: number | null;
  readonly source: string | null;
  readonly job_started_at: string | null;
  readonly elapsed_seconds: number | null;
  readonly clip_elapsed_seconds: number | null;
  readonly done_seconds: number | null;
  readonly total_seconds: number | null;
  readonly percent: number | null;
  readonly speed: number | null;
  readonly progress_updated_at: string | null;
}

/** A shared runner, from its lease `.runners/<id>.lease` (R11.28). */
export interface SharedRunner {
  readonly id: string;
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
  /** How many times it renewed its lease: a beat that stands still across looks is a runner that stopped. */
  readonly beat: number;
  readonly lease_seconds: number;
  /** As the lock holder's state; a runner on another host is judged by the others through its beat. */
  readonly state: 'alive' | 'stale' | 'other-host';
}

/** A file `submit` staged in `.submitting/` (R2.20): linked into pending/ already, or never. */
export interface StagedSubmission {
  readonly name: string;
  /** true: pending/ has it too and the runner drops this name when it claims it; false: a submit that stopped before linking it. */
  readonly linked: boolean;
}

export interface PendingFile {
  readonly name: string;
  readonly state: 'ready' | 'waiting' | 'stuck' | 'ignored';
  readonly reason: string | null;
}

export interface RecentResult {
  readonly name: string;
  readonly folder: 'completed' | 'failed';
  readonly job_id: string | null;
  readonly status: string | null;
  readonly reason: string | null;
  readonly completed_at: string | null;
}

export interface StatusReport {
  readonly folder: string;
  readonly counts: Readonly<Record<FolderName, FolderCount>>;
  readonly lock: LockHolder | null;
  /** --shared: every runner with a lease, in id order (empty otherwise). */
  readonly runners: readonly SharedRunner[];
  readonly running: readonly RunningJob[];
  readonly pending: readonly PendingFile[];
  readonly recent: readonly RecentResult[];
  readonly submitting: readonly StagedSubmission[];
}

function countOf(names: readonly string[] | null): FolderCount {
  if (names === null) return { jobspecs: null, results: null };
  return { jobspecs: names.filter(isJobSpecName).length, results: names.filter((n) => stemOfResultName(n) !== null).length };
}

async function lockHolder(deps: Deps, layout: Layout): Promise<{ holder: LockHolder | null; activities: readonly LockActivity[] }> {
  const record = await readLockRecord(deps.fs, layout.lock);
  if (record === null) return { holder: null, activities: [] };
  const holder: LockHolder = { pid: record.pid, host: record.host, started_at: record.started_at, state: await stateOf(deps, record), shared: record.shared === true };
  return { holder, activities: activitiesOf(record) };
}

async function stateOf(deps: Deps, record: LockRecord): Promise<LockHolder['state']> {
  const state = await holderState(deps, record);
  return state === 'alive' ? 'alive' : state === 'dead' ? 'stale' : 'other-host';
}

interface Lease {
  readonly runner: SharedRunner;
  readonly activities: readonly LockActivity[];
}

/** Every readable lease in `.runners/`, in id order. */
async function leases(deps: Deps, layout: Layout): Promise<Lease[]> {
  const found: Lease[] = [];
  for (const name of ((await readdirOrNull(deps.fs, layout.runners)) ?? []).sort(byCodeUnits)) {
    const id = idOfLeaseName(name);
    const record = id === null ? null : await readLockRecord(deps.fs, join(layout.runners, name));
    if (id === null || record === null) continue;
    const runner: SharedRunner = {
      id,
      pid: record.pid,
      host: record.host,
      started_at: record.started_at,
      beat: record.lease?.beat ?? 0,
      lease_seconds: record.lease?.seconds ?? 0,
      state: await stateOf(deps, record),
    };
    found.push({ runner, activities: activitiesOf(record) });
  }
  return found;
}

/** What `.submitting/` holds: every staged JobSpec, and whether pending/ has it too. */
async function stagedSubmissions(deps: Deps, layout: Layout): Promise<StagedSubmission[]> {
  const staged: StagedSubmission[] = [];
  for (const name of ((await readdirOrNull(deps.fs, layout.submitting)) ?? []).sort(byCodeUnits)) {
    const stat = await lstatOrNull(deps.fs, join(layout.submitting, name));
    if (stat?.kind === 'file') staged.push({ name, linked: stat.nlink > 1 });
  }
  return staged;
}

const secondsSince = (deps: Deps, timestamp: string | null): number | null => {
  const at = timestamp === null ? Number.NaN : Date.parse(timestamp);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((deps.clock.now() - at) / 100) / 10);
};

/** The job_id of a JobSpec in running/, read as the runner reads it (never following a link). */
async function jobIdOf(deps: Deps, path: string): Promise<string> {
  const read = await readJobSpecFile(deps.fs, path);
  return read.ok ? parseJobSpec(read.bytes).jobId : 'unknown';
}

/** The JobSpecs of one folder of running/: the lone runner's (`runner` null) or a shared runner's own. */
async function runningJobs(deps: Deps, folder: string, names: readonly string[], live: boolean, activities: readonly LockActivity[], runner: string | null): Promise<RunningJob[]> {
  const jobs: RunningJob[] = [];
  for (const name of names.filter(isJobSpecName).sort(byCodeUnits)) {
    const mine = activities.find((activity) => activity.job === name) ?? null;
    const done = mine?.done_seconds ?? null;
    const total = mine?.total_seconds ?? null;
    jobs.push({
      name,
      runner,
      job_id: mine?.job_id ?? (await jobIdOf(deps, join(folder, name))),
      state: live ? 'running' : 'interrupted',
      clip: mine?.clip ?? null,
      clips: mine?.clips ?? null,
      source: mine?.source ?? null,
      job_started_at: mine?.job_started_at ?? null,
      elapsed_seconds: secondsSince(deps, mine?.job_started_at ?? null),
      clip_elapsed_seconds: secondsSince(deps, mine?.clip_started_at ?? null),
      done_seconds: done,
      total_seconds: total,
      percent: done === null ? null : percentOf(done, total),
      speed: mine?.speed ?? null,
      progress_updated_at: mine === null || done === null ? null : mine.updated_at,
    });
  }
  return jobs;
}

/**
 * The jobs of every shared runner's folder `running/<id>/`, in id order: running while its lease's runner
 * is alive or on another host, interrupted when its runner is gone or it has no lease (the next shared
 * runner takes it over and files it). A folder a runner took over is inside its own and is shown there.
 */
async function sharedRunningJobs(deps: Deps, layout: Layout, names: readonly string[], found: readonly Lease[]): Promise<RunningJob[]> {
  const jobs: RunningJob[] = [];
  for (const id of names.filter((name) => !isJobSpecName(name)).sort(byCodeUnits)) {
    const folder = join(layout.running, id);
    const inside = (await lstatOrNull(deps.fs, folder))?.kind === 'directory' ? await readdirOrNull(deps.fs, folder) : null;
    if (inside === null) continue;
    const lease = found.find((l) => l.runner.id === id);
    jobs.push(...(await runningJobs(deps, folder, inside, lease !== undefined && lease.runner.state !== 'stale', lease?.activities ?? [], id)));
  }
  return jobs;
}

function defaultSettleMs(): number {
  const settle = OPTIONS.find((o) => o.name === 'settle-seconds');
  return settle?.kind === 'seconds' ? settle.default * 1000 : 0;
}

async function pendingFiles(deps: Deps, layout: Layout, names: readonly string[], running: readonly string[]): Promise<PendingFile[]> {
  const files: PendingFile[] = [];
  const taken = new Set(running);
  for (const name of [...names].sort(byCodeUnits)) {
    if (!isJobSpecName(name)) {
      files.push({ name, state: 'ignored', reason: 'not a JobSpec name (a JobSpec ends in .json and is no *.result.json): the runner never picks it up' });
      continue;
    }
    if (taken.has(name)) {
      files.push({ name, state: 'stuck', reason: `running/${name} already exists: it stays in pending/ until that name is free` });
      continue;
    }
    const readiness = await readinessOf(deps, join(layout.pending, name), defaultSettleMs());
    if (readiness === 'vanished') continue;
    files.push(
      readiness === 'waiting'
        ? { name, state: 'waiting', reason: WAITING_REASON }
        : { name, state: 'ready', reason: null },
    );
  }
  return files;
}

async function readResult(deps: Deps, path: string): Promise<Omit<RecentResult, 'name' | 'folder'>> {
  let bytes;
  try {
    bytes = await deps.fs.readFile(path);
  } catch (error) {
    fsErrorCode(error);
    return { job_id: null, status: null, reason: null, completed_at: null };
  }
  const result = summarizeResult(parseJsonObject(bytes));
  return { job_id: result.jobId, status: result.status, reason: result.reason, completed_at: result.completedAt };
}

/** The latest results by modification time: every result is stat'ed (cheap), only the shown ones read. */
async function recentResults(deps: Deps, layout: Layout, listings: Readonly<Record<'completed' | 'failed', readonly string[] | null>>): Promise<RecentResult[]> {
  const found: { name: string; folder: 'completed' | 'failed'; mtimeMs: number }[] = [];
  for (const folder of ['completed', 'failed'] as const) {
    for (const name of listings[folder] ?? []) {
      if (stemOfResultName(name) === null) continue;
      const stat = await lstatOrNull(deps.fs, join(layout[folder], name));
      if (stat?.kind === 'file') found.push({ name, folder, mtimeMs: stat.mtimeMs });
    }
  }
  found.sort((a, b) => b.mtimeMs - a.mtimeMs || byCodeUnits(a.name, b.name));
  const recent: RecentResult[] = [];
  for (const { name, folder } of found.slice(0, RECENT_RESULTS)) recent.push({ name, folder, ...(await readResult(deps, join(layout[folder], name))) });
  return recent;
}

export async function folderStatus(deps: Deps, folder: string): Promise<StatusReport | { readonly error: string }> {
  const layout = layoutOf(resolve(deps.cwd, folder));
  const root = await lstatOrNull(deps.fs, layout.root);
  if (root === null) return { error: `Watch folder does not exist: ${layout.root}` };
  const listings = {} as Record<FolderName, string[] | null>;
  for (const name of STATE_FOLDERS) listings[name] = await readdirOrNull(deps.fs, layout[name]);
  const counts = {} as Record<FolderName, FolderCount>;
  for (const name of STATE_FOLDERS) counts[name] = countOf(listings[name]);
  const { holder, activities } = await lockHolder(deps, layout);
  const running = listings.running ?? [];
  const found = holder?.shared === true ? await leases(deps, layout) : [];
  // A holder on another host may well be working: only a stale lock or none at all means "interrupted".
  const lone = await runningJobs(deps, layout.running, running, holder !== null && holder.state !== 'stale', activities, null);
  return {
    folder: layout.root,
    counts,
    lock: holder,
    runners: found.map((lease) => lease.runner),
    running: [...lone, ...(holder?.shared === true ? await sharedRunningJobs(deps, layout, running, found) : [])],
    pending: await pendingFiles(deps, layout, (listings.pending ?? []).filter((n) => !isLockName(n)), running),
    recent: await recentResults(deps, layout, listings),
    submitting: await stagedSubmissions(deps, layout),
  };
}

const clockOrUnknown = (seconds: number | null): string => (seconds === null ? '?' : clockText(seconds));

function textReport(report: StatusReport): string {
  const lines: string[] = [`Watch folder ${report.folder}`];
  const count = (c: FolderCount): string => (c.jobspecs === null ? 'missing' : `${c.jobspecs}`);
  lines.push(`  ${STATE_FOLDERS.map((name) => `${name}: ${count(report.counts[name])}`).join(', ')}`);
  const { lock } = report;
  if (lock?.shared === true) {
    lines.push(`Runners (--shared): ${report.runners.length === 0 ? 'none working now' : `${report.runners.length}`}`);
    for (const runner of report.runners) {
      const state = runner.state === 'alive' ? 'alive' : runner.state === 'stale' ? 'GONE (the next shared runner takes its jobs over)' : 'on another host (judged by its beat)';
      lines.push(`  ${runner.id}: pid ${runner.pid} on ${runner.host}, started ${runner.started_at}, beat ${runner.beat} (lease ${runner.lease_seconds} s), ${state}`);
    }
  } else {
    lines.push(
      lock === null
        ? 'Runner: none (no lock)'
        : `Runner: pid ${lock.pid} on ${lock.host}, started ${lock.started_at}, ${lock.state === 'alive' ? 'alive' : lock.state === 'stale' ? 'STALE (its process is gone; the next start takes over)' : 'on another host (cannot check it from here)'}`,
    );
  }
  for (const job of report.running) {
    const where = job.runner === null ? 'running/' : `running/${job.runner}/`;
    if (job.state === 'interrupted') {
      const next = job.runner === null ? 'the next start files it' : 'the next shared runner takes it over and files it';
      lines.push(`Stuck in ${where}: ${job.name} (job_id ${job.job_id}): no live runner; ${next} as FAILED "runner interrupted"`);
      continue;
    }
    const clip = job.clip === null ? 'between clips or being checked' : `clip ${job.clip} of ${job.clips ?? '?'}`;
    const elapsed = job.elapsed_seconds === null ? '' : `, running for ${clockOrUnknown(job.elapsed_seconds)}`;
    lines.push(`Running: ${job.name}${job.runner === null ? '' : ` on ${job.runner}`} (job_id ${job.job_id}), ${clip}${elapsed}`);
    if (job.done_seconds !== null) {
      const total = job.total_seconds === null ? '' : ` of ${clockOrUnknown(job.total_seconds)}`;
      const share = job.percent === null ? '' : ` (${job.percent}%)`;
      const speed = job.speed === null ? '' : `, ${job.speed}x`;
      lines.push(`  FFmpeg: ${clockOrUnknown(job.done_seconds)}${total}${share}${speed}, as of ${job.progress_updated_at ?? '?'}`);
    }
  }
  for (const file of report.pending) {
    lines.push(`Pending ${file.state}: ${file.name}${file.reason === null ? '' : `: ${file.reason}`}`);
  }
  for (const staged of report.submitting) {
    lines.push(
      staged.linked
        ? `Submitting: .submitting/${staged.name}, linked into pending/ (the runner drops this name when it claims it)`
        : `Submitting: .submitting/${staged.name}, never linked into pending/ (a submit that stopped half-way: submit it again, or remove it)`,
    );
  }
  if (report.recent.length > 0) lines.push('Latest results:');
  for (const result of report.recent) {
    lines.push(`  ${result.folder}/${result.name}: ${result.status ?? '?'}${result.reason === null ? '' : ` (${oneLine(result.reason)})`}`);
  }
  return lines.map(printable).join('\n');
}

/** Exit 0 with the report; 2 when the folder does not exist. */
export async function runStatus(deps: Deps, folder: string, json: boolean): Promise<number> {
  const report = await folderStatus(deps, folder);
  if ('error' in report) {
    deps.log.event('usage-error', `error: ${report.error}`);
    return 2;
  }
  deps.log.print(json ? JSON.stringify(report, null, 2) : textReport(report));
  return 0;
}
