// `status FOLDER`: what a watch folder holds and what its runner is doing, for an operator or a monitor.
// It only looks: it never takes the lock, never moves, creates or removes a file, so it can run beside
// a working runner at any moment. What the runner is doing comes from its lock record (the holder, the
// clip being encoded and FFmpeg's last reported progress: runner/progress.ts); the rest from listings.

import { join, resolve } from 'node:path';
import type { Deps } from '../ports.ts';
import { fsErrorCode, lstatOrNull } from '../ports.ts';
import { oneLine, printable } from '../log.ts';
import { OPTIONS } from '../options.ts';
import { parseJsonObject } from '../jobspec/json.ts';
import { parseJobSpec } from '../jobspec/parse.ts';
import { summarizeResult } from '../result.ts';
import { isJobSpecName, isLockName, stemOfResultName } from '../runner/filing-names.ts';
import type { Layout } from '../runner/layout.ts';
import { byCodeUnits, layoutOf, STATE_FOLDERS } from '../runner/layout.ts';
import { holderState } from '../runner/lock-liveness.ts';
import type { LockActivity } from '../runner/lock-record.ts';
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
}

export interface RunningJob {
  readonly name: string;
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
  readonly running: readonly RunningJob[];
  readonly pending: readonly PendingFile[];
  readonly recent: readonly RecentResult[];
}

async function listOrNull(deps: Deps, folder: string): Promise<string[] | null> {
  try {
    return await deps.fs.readdir(folder);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function countOf(names: readonly string[] | null): FolderCount {
  if (names === null) return { jobspecs: null, results: null };
  return { jobspecs: names.filter(isJobSpecName).length, results: names.filter((n) => stemOfResultName(n) !== null).length };
}

async function lockHolder(deps: Deps, layout: Layout): Promise<{ holder: LockHolder | null; activities: readonly LockActivity[] }> {
  const record = await readLockRecord(deps.fs, layout.lock);
  if (record === null) return { holder: null, activities: [] };
  const state = await holderState(deps, record);
  const holder: LockHolder = { pid: record.pid, host: record.host, started_at: record.started_at, state: state === 'alive' ? 'alive' : state === 'dead' ? 'stale' : 'other-host' };
  return { holder, activities: activitiesOf(record) };
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

async function runningJobs(deps: Deps, layout: Layout, names: readonly string[], holder: LockHolder | null, activities: readonly LockActivity[]): Promise<RunningJob[]> {
  const jobs: RunningJob[] = [];
  // A holder on another host may well be working: only a stale lock or none at all means "interrupted".
  const live = holder !== null && holder.state !== 'stale';
  for (const name of names.filter(isJobSpecName).sort(byCodeUnits)) {
    const mine = activities.find((activity) => activity.job === name) ?? null;
    const done = mine?.done_seconds ?? null;
    const total = mine?.total_seconds ?? null;
    jobs.push({
      name,
      job_id: mine?.job_id ?? (await jobIdOf(deps, join(layout.running, name))),
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
  for (const name of STATE_FOLDERS) listings[name] = await listOrNull(deps, layout[name]);
  const counts = {} as Record<FolderName, FolderCount>;
  for (const name of STATE_FOLDERS) counts[name] = countOf(listings[name]);
  const { holder, activities } = await lockHolder(deps, layout);
  const running = listings.running ?? [];
  return {
    folder: layout.root,
    counts,
    lock: holder,
    running: await runningJobs(deps, layout, running, holder, activities),
    pending: await pendingFiles(deps, layout, (listings.pending ?? []).filter((n) => !isLockName(n)), running),
    recent: await recentResults(deps, layout, listings),
  };
}

const clockOrUnknown = (seconds: number | null): string => (seconds === null ? '?' : clockText(seconds));

function textReport(report: StatusReport): string {
  const lines: string[] = [`Watch folder ${report.folder}`];
  const count = (c: FolderCount): string => (c.jobspecs === null ? 'missing' : `${c.jobspecs}`);
  lines.push(`  ${STATE_FOLDERS.map((name) => `${name}: ${count(report.counts[name])}`).join(', ')}`);
  const { lock } = report;
  lines.push(
    lock === null
      ? 'Runner: none (no lock)'
      : `Runner: pid ${lock.pid} on ${lock.host}, started ${lock.started_at}, ${lock.state === 'alive' ? 'alive' : lock.state === 'stale' ? 'STALE (its process is gone; the next start takes over)' : 'on another host (cannot check it from here)'}`,
  );
  for (const job of report.running) {
    if (job.state === 'interrupted') {
      lines.push(`Stuck in running/: ${job.name} (job_id ${job.job_id}): no live runner; the next start files it as FAILED "runner interrupted"`);
      continue;
    }
    const clip = job.clip === null ? 'between clips or being checked' : `clip ${job.clip} of ${job.clips ?? '?'}`;
    const elapsed = job.elapsed_seconds === null ? '' : `, running for ${clockOrUnknown(job.elapsed_seconds)}`;
    lines.push(`Running: ${job.name} (job_id ${job.job_id}), ${clip}${elapsed}`);
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
