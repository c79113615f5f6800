// Scanning pending/ (contract section 3): which names are candidates, in which order, and whether a
// candidate is provably complete yet. pending/ is listed once per scan; nothing here moves a file.

import { join } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { fsErrorCode, sameFile } from '../ports.ts';
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
 * The candidates last read and found incomplete, with the lstat they had, so that a scan reads a
 * waiting file again only when its size or mtime changed (or it is another file of that name): a poll
 * costs one lstat per waiting file, not one read. Like PendingNotices, it forgets what a scan did not see.
 */
export class ReadinessMemo {
  private last = new Map<string, FileStat>();
  private now = new Map<string, FileStat>();

  /** True when `path` was found waiting with exactly this identity, size and mtime; kept for the next scan. */
  stillWaiting(path: string, stat: FileStat): boolean {
    const was = this.last.get(path);
    if (was === undefined || !sameFile(was, stat) || was.size !== stat.size || was.mtimeMs !== stat.mtimeMs) return false;
    this.now.set(path, stat);
    return true;
  }

  waiting(path: string, stat: FileStat): void {
    this.now.set(path, stat);
  }

  endScan(): void {
    this.last = this.now;
    this.now = new Map();
  }
}

/**
 * A candidate is ready when its bytes are a complete JSON object or array (R3.5: nothing a writer can
 * still append would make it another valid text, so it is judged now, and a complete but invalid file is
 * filed with its reason instead of waiting) or when it has not been modified for the settle window.
 * Entries that are not plain single-link files of a readable size are ready at once: they are filed unread.
 */
export async function readinessOf(deps: Deps, path: string, settleMs: number, memo?: ReadinessMemo): Promise<Readiness> {
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
  if (memo?.stillWaiting(path, stat) === true) return 'waiting';
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
    if (isCompleteJsonContainer(await handle.read(MAX_JOBSPEC_BYTES + 1))) return 'ready';
    memo?.waiting(path, stat);
    return 'waiting';
  } finally {
    await handle.close().catch((error: unknown) => void fsErrorCode(error));
  }
}
