// Reads a JobSpec the safe way (contract sections 3 and 4.2; reliability section 5): a non-regular entry
// is never opened, a link is never followed, a FIFO swapped in at the last moment cannot block, a
// hard-linked or oversized file is not read, and never more than the cap is read.
// Errors that say something about the runner's own state (EMFILE, EIO, ENOMEM, …) are not the JobSpec's
// fault: they propagate, so a sick runner stops instead of filing good JobSpecs as invalid.

import type { EntryKind, FileStat, Fs } from '../ports.ts';
import { fsErrorCode, sameFile } from '../ports.ts';

export const MAX_JOBSPEC_BYTES = 1024 * 1024;

/**
 * `entry` is the lstat of the JobSpec's name as it was read (null when even that failed): its inode lets the
 * job find the JobSpec again if someone moves it out of running/ while the job runs.
 */
export type JobSpecRead =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly entry: FileStat }
  | { readonly ok: false; readonly reason: string; readonly entry: FileStat | null };

const KIND_WORDS: Record<Exclude<EntryKind, 'file'>, string> = {
  symlink: 'symbolic link',
  directory: 'directory',
  other: 'not a regular file (FIFO, socket or device)',
};

/** Codes that describe the entry itself (its kind or permissions), so filing the job is right. */
const ENTRY_CODES: Readonly<Record<string, string>> = {
  ELOOP: KIND_WORDS.symlink,
  EISDIR: KIND_WORDS.directory,
  ENXIO: KIND_WORDS.other,
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

function invalid(why: string, entry: FileStat | null): JobSpecRead {
  return { ok: false, reason: `Invalid JobSpec file: ${why}`, entry };
}

function entryProblem(error: unknown, entry: FileStat | null): JobSpecRead {
  const why = ENTRY_CODES[fsErrorCode(error)];
  if (why === undefined) throw error;
  return invalid(why, entry);
}

/** The reason for a JobSpec that could not be read at all (`validate` and `submit` name a file by path). */
export function unreadableReason(path: string, error: unknown): string {
  const code = fsErrorCode(error);
  return code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path} (${code})`;
}

export async function readJobSpecFile(fs: Fs, path: string): Promise<JobSpecRead> {
  let stat;
  try {
    stat = await fs.lstat(path);
  } catch (error) {
    return entryProblem(error, null);
  }
  if (stat.kind !== 'file') return invalid(KIND_WORDS[stat.kind], stat);
  if (stat.nlink > 1) return invalid(`hard link (link count ${stat.nlink})`, stat);
  if (stat.size > MAX_JOBSPEC_BYTES) return invalid(`larger than 1 MiB (${stat.size} bytes)`, stat);

  let handle;
  try {
    handle = await fs.openNoFollow(path);
  } catch (error) {
    return entryProblem(error, stat);
  }
  try {
    const opened = await handle.stat();
    // Swapped for something else between lstat and open: judge what was opened, read nothing else.
    if (opened.kind !== 'file' || !sameFile(opened, stat)) return invalid('replaced while being opened', stat);
    if (opened.nlink > 1) return invalid(`hard link (link count ${opened.nlink})`, stat);
    // One byte over the cap proves a file that grew after the stat is too large, without reading it all.
    const bytes = await handle.read(MAX_JOBSPEC_BYTES + 1);
    if (bytes.length > MAX_JOBSPEC_BYTES) return invalid('larger than 1 MiB', stat);
    return { ok: true, bytes, entry: stat };
  } catch (error) {
    return entryProblem(error, stat);
  } finally {
    await handle.close().catch((error: unknown) => void fsErrorCode(error));
  }
}
