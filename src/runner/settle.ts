// Filing a finished job (contract sections 4.5 and 10; reliability section 2). The order makes a crash
// at any instant recoverable:
//   1. write the result to a hidden temp file in the destination, fsync it and the folder;
//   2. link the JobSpec into the destination (no clobber) and fsync: this durable link is the commit;
//   3. publish the result under its final name (link, no clobber);
//   4. unlink the JobSpec from running/ and fsync running/;
//   5. drop the temp and fsync the destination.
// The temp outlives the JobSpec's running/ name on purpose: a JobSpec in running/ whose inode is also in
// the destination is a commit of ours only while its temp is there. Without it, it is a hard-linked
// resubmission of an already filed JobSpec that a crash caught after its claim, and it must be filed.
// Recovery (recover.ts) finishes a committed job and files anything uncommitted.
// An operator may move or delete the JobSpec, or remove a state folder, while the job runs (the seed's own
// "Job stuck in running/" recipe is `mv running/x.json failed/`). That is the job's problem, not the
// disk's: a missing destination or running/ is created again, and a JobSpec gone from running/ gets its
// result beside it where it now is (same inode, same name, in completed/ or failed/), or else alone in the
// destination. The result is always written, and the log says where and why.

import { basename, dirname, join } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { fsErrorCode, linkNoReplace, lstatOrNull, sameFile } from '../ports.ts';
import type { JobResult } from '../result.ts';
import { formatTimestamp, serializeResult } from '../result.ts';
import type { Layout } from './layout.ts';
import { filingStems, jobSpecNameOf, resultNameOf, resultTempNameOf, stemOf } from './filing-names.ts';
import { fsyncStateFolder, recreateIfMissing } from './state-folders.ts';

export interface SettledNames {
  readonly folder: string;
  /** Where the JobSpec is now, in `folder`; null when it vanished from running/ and was not found. */
  readonly jobSpecName: string | null;
  readonly resultName: string;
}

/** The paths of a filed job: its JobSpec (null when it left running/ and was not found) and its result. */
export function settledPaths({ folder, jobSpecName, resultName }: SettledNames): { readonly jobspec: string | null; readonly result: string } {
  return { jobspec: jobSpecName === null ? null : join(folder, jobSpecName), result: join(folder, resultName) };
}

/** Where a JobSpec that left running/ during its job can be found again: its lstat when it was read. */
export interface SettleOptions {
  readonly entry?: FileStat | null;
}

async function exists(deps: Deps, path: string): Promise<boolean> {
  return (await lstatOrNull(deps.fs, path)) !== null;
}

/** The first filing stem (filing-names.ts) for which neither the JobSpec, the result nor its temp is taken. */
async function freeStem(deps: Deps, folder: string, stem: string): Promise<string> {
  for (const candidate of filingStems(stem, deps.clock.now())) {
    const taken =
      (await exists(deps, join(folder, jobSpecNameOf(candidate)))) ||
      (await exists(deps, join(folder, resultNameOf(candidate)))) ||
      (await exists(deps, join(folder, resultTempNameOf(candidate))));
    if (!taken) return candidate;
  }
  throw new Error(`no free name for ${stem} in ${folder}`);
}

/**
 * Moves `from` to `to` without ever replacing `to`: link+unlink for files, checked rename for folders.
 * `vanished` when `from` is no longer there (someone moved or deleted it).
 */
async function commitJobSpec(deps: Deps, from: string, to: string): Promise<'linked' | 'renamed' | 'vanished'> {
  try {
    await linkNoReplace(deps.fs, from, to);
    return 'linked';
  } catch (error) {
    const code = fsErrorCode(error);
    if (code === 'ENOENT' && !(await exists(deps, from))) return 'vanished';
    // Directories cannot be hard-linked; the destination name was just checked free and only the lock
    // holder writes here, so a rename cannot replace anything.
    if (code !== 'EPERM' && code !== 'EISDIR') throw error;
    if ((await deps.fs.lstat(from)).kind !== 'directory' || (await exists(deps, to))) throw error;
    await deps.fs.rename(from, to);
    return 'renamed';
  }
}

export async function settleJob(
  deps: Deps,
  layout: Layout,
  jobSpecName: string,
  result: JobResult,
  options: SettleOptions = {},
): Promise<SettledNames> {
  const folder = result.final_status === 'COMPLETED' ? layout.completed : layout.failed;
  await recreateIfMissing(deps, layout, folder);
  const stem = await freeStem(deps, folder, stemOf(jobSpecName));
  const filedName = jobSpecNameOf(stem);
  const names: SettledNames = { folder, jobSpecName: filedName, resultName: resultNameOf(stem) };
  const temp = join(folder, resultTempNameOf(stem));
  const running = join(layout.running, jobSpecName);

  const written: JobResult = { ...result, _metadata: { ...result._metadata, result_written_at: formatTimestamp(deps.clock.now()) } };
  const bytes = new TextEncoder().encode(serializeResult(written));
  await deps.fs.writeFileExclusive(temp, bytes);
  await deps.fs.fsyncDir(folder);

  const how = await commitJobSpec(deps, running, join(folder, filedName));
  if (how === 'vanished') return fileWithoutJobSpec(deps, layout, { jobSpecName, entry: options.entry ?? null, temp, bytes, resultName: names.resultName });
  await deps.fs.fsyncDir(folder);

  await linkNoReplace(deps.fs, temp, join(folder, names.resultName));

  if (how === 'linked') {
    // Already committed: if someone removed the running/ name meanwhile, there is nothing left to do.
    await deps.fs.unlink(running).catch(async (error: unknown) => {
      if (fsErrorCode(error) !== 'ENOENT' || (await exists(deps, running))) throw error;
    });
  }
  await fsyncStateFolder(deps, layout, layout.running);

  await deps.fs.unlink(temp);
  await deps.fs.fsyncDir(folder);
  return names;
}

/** The durable temp file becomes `result` (no clobber), and the folder is fsynced (a JobSpec that left running/). */
async function publishTemp(deps: Deps, temp: string, result: string): Promise<void> {
  await linkNoReplace(deps.fs, temp, result);
  await deps.fs.unlink(temp);
  await deps.fs.fsyncDir(dirname(result));
}

/** The JobSpec moved out of running/ into completed/ or failed/ under its own name, or null. */
async function findMovedJobSpec(deps: Deps, layout: Layout, jobSpecName: string, entry: FileStat | null): Promise<string | null> {
  if (entry === null) return null;
  for (const folder of [layout.completed, layout.failed]) {
    const path = join(folder, jobSpecName);
    const stat = await lstatOrNull(deps.fs, path);
    if (stat !== null && sameFile(stat, entry)) return path;
  }
  return null;
}

interface Vanished {
  readonly jobSpecName: string;
  readonly entry: FileStat | null;
  /** The result's temp file, already durable in the destination, and its bytes. */
  readonly temp: string;
  readonly bytes: Uint8Array;
  readonly resultName: string;
}

/** The JobSpec left running/ during its job: its result goes beside it where it now is, else alone in the destination. */
async function fileWithoutJobSpec(deps: Deps, layout: Layout, vanished: Vanished): Promise<SettledNames> {
  const { jobSpecName, temp } = vanished;
  const destination = dirname(temp);
  const was = `running/${jobSpecName}`;
  const found = await findMovedJobSpec(deps, layout, jobSpecName, vanished.entry);
  const shown = (path: string): string => `${basename(dirname(path))}/${basename(path)}`;
  if (found !== null) {
    const folder = dirname(found);
    const resultName = resultNameOf(stemOf(jobSpecName));
    const beside = join(folder, resultTempNameOf(stemOf(jobSpecName)));
    // Moved into the destination after its free name was chosen: the temp file already is beside it.
    const ready = beside === temp;
    if (ready || (!(await exists(deps, join(folder, resultName))) && !(await exists(deps, beside)))) {
      if (!ready) {
        await deps.fs.writeFileExclusive(beside, vanished.bytes);
        await deps.fs.fsyncDir(folder);
      }
      await publishTemp(deps, beside, join(folder, resultName));
      if (!ready) {
        await deps.fs.unlink(temp);
        await deps.fs.fsyncDir(destination);
      }
      deps.log.event('file-moved', `${was} was moved to ${shown(found)} while its job ran: its result is ${shown(join(folder, resultName))}, beside it`, { job: jobSpecName, result: join(folder, resultName) });
      await fsyncStateFolder(deps, layout, layout.running);
      return { folder, jobSpecName, resultName };
    }
    deps.log.event('file-moved', `${was} was moved to ${shown(found)} while its job ran, where ${resultName} is taken: its result is ${shown(join(destination, vanished.resultName))}`, { job: jobSpecName, result: join(destination, vanished.resultName) });
  } else {
    deps.log.event('file-moved', `${was} was moved or deleted while its job ran and is not in completed/ or failed/: its result is ${shown(join(destination, vanished.resultName))}`, { job: jobSpecName, result: join(destination, vanished.resultName) });
  }
  await publishTemp(deps, temp, join(destination, vanished.resultName));
  await fsyncStateFolder(deps, layout, layout.running);
  return { folder: destination, jobSpecName: null, resultName: vanished.resultName };
}
