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

import { join } from 'node:path';
import type { Deps } from '../ports.ts';
import { fsErrorCode } from '../ports.ts';
import type { JobResult } from '../result.ts';
import { formatTimestamp, serializeResult } from '../result.ts';
import type { Layout } from './layout.ts';
import { filingStems, jobSpecNameOf, resultNameOf, resultTempNameOf, stemOf } from './filing-names.ts';

export interface SettledNames {
  readonly folder: string;
  readonly jobSpecName: string;
  readonly resultName: string;
}

async function exists(deps: Deps, path: string): Promise<boolean> {
  try {
    await deps.fs.lstat(path);
    return true;
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return false;
    throw error;
  }
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

/** Moves `from` to `to` without ever replacing `to`: link+unlink for files, checked rename for folders. */
async function commitJobSpec(deps: Deps, from: string, to: string): Promise<'linked' | 'renamed'> {
  try {
    await deps.fs.link(from, to);
    return 'linked';
  } catch (error) {
    const code = fsErrorCode(error);
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
): Promise<SettledNames> {
  const folder = result.final_status === 'COMPLETED' ? layout.completed : layout.failed;
  const stem = await freeStem(deps, folder, stemOf(jobSpecName));
  const names: SettledNames = { folder, jobSpecName: jobSpecNameOf(stem), resultName: resultNameOf(stem) };
  const temp = join(folder, resultTempNameOf(stem));
  const running = join(layout.running, jobSpecName);

  const written: JobResult = { ...result, _metadata: { ...result._metadata, result_written_at: formatTimestamp(deps.clock.now()) } };
  await deps.fs.writeFileExclusive(temp, new TextEncoder().encode(serializeResult(written)));
  await deps.fs.fsyncDir(folder);

  const how = await commitJobSpec(deps, running, join(folder, names.jobSpecName));
  await deps.fs.fsyncDir(folder);

  await deps.fs.link(temp, join(folder, names.resultName));

  if (how === 'linked') {
    await deps.fs.unlink(running);
  }
  await deps.fs.fsyncDir(layout.running);

  await deps.fs.unlink(temp);
  await deps.fs.fsyncDir(folder);
  return names;
}
