// Reads a JobSpec file the safe way (contract section 4, step 2; reliability section 5): never follow a
// link, never block on a FIFO, never read a hard-linked or oversized file, never read more than the cap.

import type { EntryKind, Fs } from '../ports.ts';
import { fsErrorCode } from '../ports.ts';

export const MAX_JOBSPEC_BYTES = 1024 * 1024;

export type JobSpecRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: string };

const KIND_WORDS: Record<Exclude<EntryKind, 'file'>, string> = {
  symlink: 'symbolic link',
  directory: 'directory',
  other: 'not a regular file (FIFO, socket or device)',
};

function invalid(why: string): JobSpecRead {
  return { ok: false, reason: `Invalid JobSpec file: ${why}` };
}

export async function readJobSpecFile(fs: Fs, path: string): Promise<JobSpecRead> {
  let handle;
  try {
    handle = await fs.openNoFollow(path);
  } catch (error) {
    const code = fsErrorCode(error);
    if (code === 'ELOOP') return invalid(KIND_WORDS.symlink);
    return invalid(`cannot be opened (${code})`);
  }
  try {
    const stat = await handle.stat();
    if (stat.kind !== 'file') return invalid(KIND_WORDS[stat.kind]);
    if (stat.nlink > 1) return invalid(`hard link (link count ${stat.nlink})`);
    if (stat.size > MAX_JOBSPEC_BYTES) return invalid(`larger than 1 MiB (${stat.size} bytes)`);
    // One byte over the cap proves a file that grew after fstat is too large, without reading it all.
    const bytes = await handle.read(MAX_JOBSPEC_BYTES + 1);
    if (bytes.length > MAX_JOBSPEC_BYTES) return invalid('larger than 1 MiB');
    return { ok: true, bytes };
  } catch (error) {
    return invalid(`cannot be read (${fsErrorCode(error)})`);
  } finally {
    await handle.close().catch((error: unknown) => void fsErrorCode(error));
  }
}
