// Scanning pending/ (contract section 3): which names are candidates, in which order, and whether a
// candidate is provably complete yet. pending/ is listed once per scan; nothing here moves a file.

import { join } from 'node:path';
import type { Deps } from '../ports.ts';
import { fsErrorCode } from '../ports.ts';
import { isCompleteJsonContainer } from '../jobspec/json.ts';
import { isJobSpecName } from './filing-names.ts';
import { byCodeUnits } from './layout.ts';
import type { Layout } from './layout.ts';
import { MAX_JOBSPEC_BYTES } from './read-jobspec.ts';
import { recreateIfMissing } from './state-folders.ts';

/** The candidates in pending/; none when pending/ was removed (it is created again, for later drops). */
export async function listCandidates(deps: Deps, layout: Layout): Promise<string[]> {
  let names: string[];
  try {
    names = await deps.fs.readdir(layout.pending);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT' && (await recreateIfMissing(deps, layout, layout.pending))) return [];
    throw error;
  }
  return names.filter(isJobSpecName).sort(byCodeUnits);
}

/** `vanished` when the file went away between the listing and now (another process took it). */
export type Readiness = 'ready' | 'waiting' | 'vanished';

/** Why a `waiting` candidate stays in pending/, as the log and `status` say it. */
export const WAITING_REASON = 'not complete yet (not a complete JSON object or array, modified within the settle window)';

/**
 * A candidate is ready when its bytes are a complete JSON object or array (R3.5: nothing a writer can
 * still append would make it another valid text, so it is judged now, and a complete but invalid file is
 * filed with its reason instead of waiting) or when it has not been modified for the settle window.
 * Entries that are not plain single-link files of a readable size are ready at once: they are filed unread.
 */
export async function readinessOf(deps: Deps, path: string, settleMs: number): Promise<Readiness> {
  let stat;
  try {
    stat = await deps.fs.lstat(path);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return 'vanished';
    throw error; // lstat of a listed name fails only when the runner or its disk is in trouble
  }
  if (stat.kind !== 'file' || stat.nlink > 1 || stat.size > MAX_JOBSPEC_BYTES) return 'ready';
  const settled = deps.clock.now() - stat.mtimeMs >= settleMs;
  if (settled) return 'ready';
  let handle;
  try {
    handle = await deps.fs.openNoFollow(path);
  } catch (error) {
    const code = fsErrorCode(error);
    if (code === 'ENOENT') return 'vanished';
    if (code === 'ELOOP' || code === 'ENXIO' || code === 'EACCES' || code === 'EPERM') return 'ready'; // filed with its reason
    throw error;
  }
  try {
    const opened = await handle.stat();
    if (opened.kind !== 'file') return 'ready'; // swapped for something else since lstat
    return isCompleteJsonContainer(await handle.read(MAX_JOBSPEC_BYTES + 1)) ? 'ready' : 'waiting';
  } finally {
    await handle.close().catch((error: unknown) => void fsErrorCode(error));
  }
}
