// Startup recovery (contract section 11; reliability section 2.6). Runs under the lock, before any scan.
// 0. pending/ and running/ are fsynced: a claim whose own fsync a crash prevented becomes durable now.
// 1. A JobSpec in running/ that is still in pending/ too (same inode) was claimed by a rename that a power
//    cut made only half durable (running/ was fsynced, pending/ not yet): its pending/ name is dropped, or
//    the scan would file the same JobSpec a second time.
// 2. A JobSpec in running/ that is already committed is unlinked. Committed means: the same inode is in
//    completed/ or failed/ under one of its filing names AND that name's result temp is still beside it
//    (settle.ts drops the temp only after the running/ name). The same inode without the temp is a hard
//    link of a JobSpec filed earlier, resubmitted and claimed just before a crash: it is filed in step 4.
// 3. In completed/ and failed/, a result temp file whose JobSpec was committed beside it is published
//    (the crash came between commit and publish); any other temp file is an abandoned write: removed.
//    This runs even when running/ is empty: a directory JobSpec is committed by rename, which empties
//    running/ before its result is published. It runs after step 2, which needs the temps.
// 4. Every other JobSpec in running/ is filed in failed/ as "runner interrupted".
// Each step is idempotent, so a crash during recovery is repaired by the next start. The jobs of steps 3
// and 4 are returned with their final status: the crashed runner never reported them, and --once does.
// (Step 2 alone reports nothing: its job's temp is beside it, so step 3 reports it.)

import { dirname, join } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { linkNoReplace, lstatOfListed, lstatOrNull, sameFile } from '../ports.ts';
import { parseJsonObject } from '../jobspec/json.ts';
import { defaultJobId } from '../jobspec/parse.ts';
import type { FinalStatus } from '../result.ts';
import { summarizeResult } from '../result.ts';
import { INTERRUPTED } from './execute.ts';
import { buildRecoveredResult } from './job-result.ts';
import type { Layout } from './layout.ts';
import { byCodeUnits } from './layout.ts';
import { isFilingStemOf, isJobSpecName, jobSpecNameOf, resultNameOf, resultTempNameOf, stemOf, stemOfResultTemp } from './filing-names.ts';
import { readJobSpecFile } from './read-jobspec.ts';
import type { SettledNames } from './settle.ts';
import { settleJob } from './settle.ts';
import { dropSubmissionTwin } from './submission.ts';

export interface RecoveryContext {
  readonly deps: Deps;
  readonly layout: Layout;
  readonly workerStartedAt: string;
  /**
   * --shared: only the result temps of these stems are this recovery's (the jobs of a runner taken over);
   * any other temp may be a live runner's settle under way. Absent: every temp is (a lone runner).
   */
  readonly onlyStems?: ReadonlySet<string>;
  /**
   * --shared: where the runner taken over had these JobSpecs (`running/<its id>`), which the results name
   * as original_path; by default the folder they are recovered from. A result temp whose own result says
   * its JobSpec was there is that runner's too: a settle it left after dropping the JobSpec's running name
   * (so its stem is not among onlyStems), which this recovery finishes.
   */
  readonly originalFolder?: string;
}

/**
 * A job whose filing this start's recovery did or finished. The runner that crashed never reported it (it
 * died before its scan's exit), so this start does: with --once a FAILED or PARTIAL one makes the exit 1
 * (R11.6, R2.13).
 */
export interface RecoveredJob {
  /**
   * `interrupted`: left in running/ and filed now as FAILED "runner interrupted" (R11.2); `committed`: the
   * crashed runner had committed it, and recovery finished its filing (R11.8): published its result or
   * removed what its settle had left.
   */
  readonly kind: 'interrupted' | 'committed';
  /** The JobSpec's name where recovery found it: in running/ (interrupted) or in its destination (committed). */
  readonly name: string;
  readonly status: FinalStatus;
  /** Its result's job_id (`unknown` when a committed result does not say). */
  readonly jobId: string;
  /** Its result's reason (`runner interrupted` for an interrupted job), or null. */
  readonly reason: string | null;
  /** Where the JobSpec and its result are now. */
  readonly settled: SettledNames;
}

/**
 * The final_status, job_id and reason of a committed job's result temp. The temp was written and fsynced
 * before its commit, so it is the runner's own complete result; a file of that name that says no status
 * is not, and is taken for what its folder means (only COMPLETED jobs are filed in completed/).
 */
async function committedOutcome(deps: Deps, temp: string, folderMeans: FinalStatus): Promise<Pick<RecoveredJob, 'status' | 'jobId' | 'reason'>> {
  const result = summarizeResult(parseJsonObject(await deps.fs.readFile(temp)));
  return { status: result.status ?? folderMeans, jobId: result.jobId ?? 'unknown', reason: result.reason };
}

/**
 * Step 3 above, in one destination: publishes the temp of every JobSpec committed beside it and drops
 * every temp. A temp beside its committed JobSpec is a settle that never reached its end (settle.ts drops
 * the temp last), so each of those is a committed job this recovery finished.
 */
async function completeOrDropTemps(deps: Deps, destination: SettledFolder, ctx: RecoveryContext): Promise<RecoveredJob[]> {
  const { folder, names, means } = destination;
  const { onlyStems, originalFolder } = ctx;
  const present = new Set(names);
  const finished: RecoveredJob[] = [];
  let changed = false;
  for (const name of names) {
    const stem = stemOfResultTemp(name);
    if (stem === null) continue;
    const ownStem = onlyStems === undefined || [...onlyStems].some((own) => isFilingStemOf(own, stem));
    if (!ownStem && originalFolder === undefined) continue;
    // Only our own temp files are regular files; anything else of that name is not ours to touch.
    if ((await lstatOrNull(deps.fs, join(folder, name)))?.kind !== 'file') continue;
    if (!ownStem && originalFolder !== undefined && !(await wasSettledFrom(deps, join(folder, name), originalFolder))) continue;
    const jobSpecName = jobSpecNameOf(stem);
    const resultName = resultNameOf(stem);
    if (present.has(jobSpecName)) {
      const outcome = await committedOutcome(deps, join(folder, name), means);
      if (!present.has(resultName)) {
        await linkNoReplace(deps.fs, join(folder, name), join(folder, resultName));
        present.add(resultName);
      }
      finished.push({ kind: 'committed', name: jobSpecName, ...outcome, settled: { folder, jobSpecName, resultName } });
    }
    await deps.fs.unlink(join(folder, name));
    present.delete(name);
    changed = true;
  }
  if (changed) await deps.fs.fsyncDir(folder);
  return finished;
}

/** Whether the result temp at `temp` is of a JobSpec that was in `folder` (its result's jobspec_path). */
async function wasSettledFrom(deps: Deps, temp: string, folder: string): Promise<boolean> {
  const path = summarizeResult(parseJsonObject(await deps.fs.readFile(temp))).jobspecPath;
  return path !== null && dirname(path) === folder;
}

interface SettledFolder {
  readonly folder: string;
  readonly names: ReadonlySet<string>;
  /** The status a job filed here has when its result does not say (committedOutcome). */
  readonly means: FinalStatus;
}

/** The folder a settle of this runner committed the JobSpec with this inode to (step 2 above), or null. */
async function committedTo(deps: Deps, stat: FileStat, stem: string, settled: readonly SettledFolder[]): Promise<string | null> {
  if (stat.kind === 'directory' || stat.nlink < 2) return null;
  for (const { folder, names } of settled) {
    // A settled name is one of the stem's filing names with its result temp beside it: only those need a look.
    for (const name of names) {
      if (!isJobSpecName(name) || !isFilingStemOf(stem, stemOf(name)) || !names.has(resultTempNameOf(stemOf(name)))) continue;
      const other = await lstatOfListed(deps.fs, join(folder, name));
      if (other === null || !sameFile(other, stat)) continue;
      if ((await lstatOfListed(deps.fs, join(folder, resultTempNameOf(stemOf(name)))))?.kind === 'file') return folder;
    }
  }
  return null;
}

async function identityOf(deps: Deps, path: string): Promise<{ jobId: string; jobspecVersion: string }> {
  const read = await readJobSpecFile(deps.fs, path);
  if (!read.ok) return { jobId: 'unknown', jobspecVersion: '2.1' };
  const object = parseJsonObject(read.bytes);
  if (object === null) return { jobId: 'unknown', jobspecVersion: '2.1' };
  const { job_id: jobId, jobspec_version: version } = object;
  return {
    jobId: typeof jobId === 'string' ? jobId : defaultJobId(read.bytes),
    jobspecVersion: typeof version === 'string' ? version : '2.1',
  };
}

/** Unlinks `pendingPath` when it names the same file as `stat` (a half-durable claim); true when it did. */
async function dropHalfClaimedTwin(deps: Deps, pendingPath: string, stat: FileStat): Promise<boolean> {
  const twin = await lstatOrNull(deps.fs, pendingPath);
  if (twin === null || !sameFile(twin, stat)) return false;
  await deps.fs.unlink(pendingPath);
  await deps.fs.fsyncDir(dirname(pendingPath));
  return true;
}

/**
 * Returns every job recovery filed: the committed jobs whose filing it finished (in completed/, then
 * failed/), then the interrupted ones, in the order it filed them.
 */
export async function recoverInterrupted(ctx: RecoveryContext): Promise<RecoveredJob[]> {
  const { deps, layout } = ctx;
  await deps.fs.fsyncDir(layout.running);
  await deps.fs.fsyncDir(layout.pending);
  const settled: SettledFolder[] = [];
  for (const [folder, means] of [[layout.completed, 'COMPLETED'], [layout.failed, 'FAILED']] as const) {
    settled.push({ folder, names: new Set(await deps.fs.readdir(folder)), means });
  }

  const uncommitted: string[] = [];
  const leftovers = (await deps.fs.readdir(layout.running)).filter(isJobSpecName).sort(byCodeUnits);
  for (const name of leftovers) {
    const path = join(layout.running, name);
    let stat = await lstatOfListed(deps.fs, path);
    if (stat === null) continue;
    if (stat.kind !== 'directory' && stat.nlink > 1 && (await dropHalfClaimedTwin(deps, join(layout.pending, name), stat))) {
      stat = await lstatOrNull(deps.fs, path);
      if (stat === null) continue;
    }
    const committed = await committedTo(deps, stat, stemOf(name), settled);
    if (committed !== null) {
      // The crash may have come before the commit's own fsync: make the committed name durable before
      // the running/ one goes, or a power cut now could take both.
      await deps.fs.fsyncDir(committed);
      await deps.fs.unlink(path);
      await deps.fs.fsyncDir(layout.running);
      continue;
    }
    // A submission claimed before its submitter dropped the staged name, then a crash: drop it now (R4.20).
    if (stat.nlink === 2) await dropSubmissionTwin(deps, layout, name, stat);
    uncommitted.push(name);
  }

  const filed: RecoveredJob[] = [];
  for (const destination of settled) filed.push(...(await completeOrDropTemps(deps, destination, ctx)));

  for (const name of uncommitted) {
    const path = join(layout.running, name);
    const identity = await identityOf(deps, path);
    const result = buildRecoveredResult({ ...identity, jobspecPath: join(ctx.originalFolder ?? layout.running, name), atMs: deps.clock.now(), workerStartedAt: ctx.workerStartedAt });
    const where = await settleJob(deps, layout, name, result);
    filed.push({ kind: 'interrupted', name, status: result.final_status, jobId: result.job_id, reason: INTERRUPTED, settled: where });
  }
  return filed;
}
