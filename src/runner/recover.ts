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
// Each step is idempotent, so a crash during recovery is repaired by the next start.

import { dirname, join } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { lstatOfListed, lstatOrNull, sameFile } from '../ports.ts';
import { parseJsonObject } from '../jobspec/json.ts';
import { defaultJobId } from '../jobspec/parse.ts';
import { buildRecoveredResult } from './job-result.ts';
import type { Layout } from './layout.ts';
import { byCodeUnits } from './layout.ts';
import { isFilingStemOf, isJobSpecName, jobSpecNameOf, resultNameOf, resultTempNameOf, stemOf, stemOfResultTemp } from './filing-names.ts';
import { readJobSpecFile } from './read-jobspec.ts';
import { settleJob } from './settle.ts';

export interface RecoveryContext {
  readonly deps: Deps;
  readonly layout: Layout;
  readonly workerStartedAt: string;
}

async function completeOrDropTemps(deps: Deps, folder: string, names: readonly string[]): Promise<void> {
  const present = new Set(names);
  let changed = false;
  for (const name of names) {
    const stem = stemOfResultTemp(name);
    if (stem === null) continue;
    // Only our own temp files are regular files; anything else of that name is not ours to touch.
    if ((await lstatOrNull(deps.fs, join(folder, name)))?.kind !== 'file') continue;
    const resultName = resultNameOf(stem);
    if (present.has(jobSpecNameOf(stem)) && !present.has(resultName)) {
      await deps.fs.link(join(folder, name), join(folder, resultName));
      present.add(resultName);
    }
    await deps.fs.unlink(join(folder, name));
    present.delete(name);
    changed = true;
  }
  if (changed) await deps.fs.fsyncDir(folder);
}

interface SettledFolder {
  readonly folder: string;
  readonly names: ReadonlySet<string>;
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

/** Returns how many interrupted jobs were filed in failed/. */
export async function recoverInterrupted(ctx: RecoveryContext): Promise<number> {
  const { deps, layout } = ctx;
  await deps.fs.fsyncDir(layout.running);
  await deps.fs.fsyncDir(layout.pending);
  const settled: SettledFolder[] = [];
  for (const folder of [layout.completed, layout.failed]) settled.push({ folder, names: new Set(await deps.fs.readdir(folder)) });

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
    uncommitted.push(name);
  }

  for (const { folder, names } of settled) await completeOrDropTemps(deps, folder, [...names]);

  let filed = 0;
  for (const name of uncommitted) {
    const path = join(layout.running, name);
    const identity = await identityOf(deps, path);
    const result = buildRecoveredResult({ ...identity, jobspecPath: path, atMs: deps.clock.now(), workerStartedAt: ctx.workerStartedAt });
    await settleJob(deps, layout, name, result);
    filed += 1;
  }
  return filed;
}
