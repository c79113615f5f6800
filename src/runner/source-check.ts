// "Output exists and is larger than zero" proves an output, not an output of the source the JobSpec
// names (issue 9.6): a copy that is still being written when the job starts grows under FFmpeg, which then
// encodes half a clip and exits 0. The source is therefore compared before and after its encode: the same
// file (inode and device), the same size, the same modification time; anything else fails the clip.

import type { Deps, FileStat } from '../ports.ts';
import { DISK_TROUBLE_CODES, fsErrorCode, sameFile } from '../ports.ts';

/** The source as it is now (following links, as FFmpeg does), or null when it cannot be stat'ed. */
export async function sourceIdentity(deps: Deps, path: string): Promise<FileStat | null> {
  try {
    return await deps.fs.stat(path);
  } catch (error) {
    if (DISK_TROUBLE_CODES.has(fsErrorCode(error))) throw error;
    return null; // gone (or unreachable): FFmpeg's own failure, or the comparison afterwards, says so
  }
}

/**
 * Why the source at `path` is not the file FFmpeg started on, or null when it is unchanged. A copy that is
 * still being written (the usual case) grows; a copy tool that renames its temp file over the name replaces it.
 */
export function sourceChange(path: string, before: FileStat | null, after: FileStat | null): string | null {
  const prefix = `Source changed during encode: ${path}`;
  // Planning found it, so it went missing since: whatever FFmpeg read, nothing proves it was this source.
  if (before === null) return `${prefix} (it was missing when the encode started)`;
  if (after === null) return `${prefix} (it was removed or renamed)`;
  if (!sameFile(after, before)) return `${prefix} (it was replaced by another file)`;
  if (after.size !== before.size) return `${prefix} (size ${before.size} → ${after.size} bytes)`;
  if (after.mtimeMs !== before.mtimeMs) return `${prefix} (modified during the encode, size unchanged)`;
  return null;
}
