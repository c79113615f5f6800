// Publishing a verified `.partial` under its final name without ever replacing a file (contract section
// 8), on every volume an output directory may be on. Two methods, and the one module that makes and
// recognises their traces:
//   link: link(2) the `.partial` to the final name (EEXIST if it is taken), unlink the `.partial`. Nothing
//     is ever replaced, at any instant. Used wherever hard links work.
//   placeholder: for volumes without hard links (exFAT, FAT32, many SMB/NAS mounts): create an empty
//     placeholder under the final name exclusively (open O_CREAT|O_EXCL: EEXIST if anything is there), then
//     rename(2) the `.partial` onto it. The rename replaces only the placeholder this runner created a
//     moment before: anything that existed before the publish makes the exclusive create fail instead. A
//     process that writes the name in the instant between the two calls would have to overwrite the
//     placeholder itself to get there, so it is a clobbering writer that would as well have overwritten
//     the finished output an instant later.
// Which method an output directory needs is found out before any FFmpeg starts (`probePublishing`), with
// the clip's own two names, both just proven free; a volume that can do neither makes the job PARTIAL.
// Traces a crash can leave, and how they are told from real outputs: the final name is only ever an empty
// placeholder (0 bytes) or the complete, verified output (never 0 bytes: a 0-byte output fails
// verification before anything is published), and the rename is atomic. An empty file under an output
// name with its `.partial` beside it is therefore this runner's leftover (the probe and the publish both
// keep the `.partial` until the placeholder is gone or replaced). Nothing deletes it by itself: recovery
// does not know a dead job's output names without re-planning it, and the runner never removes a file it
// cannot prove it made; the preflight of a resubmitted job names it as a leftover instead (explicit, not
// silent), like the `.partial` of a failed clip.

import { dirname } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { DISK_TROUBLE_CODES, fsErrorCode, linkNoReplace } from '../ports.ts';

export type PublishMethod = 'link' | 'placeholder';

/** The two names of one clip's output: the final one and the `.partial` FFmpeg writes. */
export interface OutputNames {
  readonly output: string;
  readonly partial: string;
}

export type ProbeOutcome = { readonly ok: true; readonly method: PublishMethod } | { readonly ok: false; readonly reason: string };

const EMPTY = new Uint8Array(0);
/** Filesystems that cannot fsync a directory (some FUSE and SMB mounts) say so with these codes. */
const FSYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

interface Failure {
  readonly code: string;
  readonly error: unknown;
}

/** Runs `op`; its fs error is returned, not thrown (null when it worked). */
async function attempt(op: () => Promise<void>): Promise<Failure | null> {
  try {
    await op();
    return null;
  } catch (error) {
    return { code: fsErrorCode(error), error };
  }
}

/** A failing disk stops the runner; anything else the volume refuses makes the job PARTIAL with this reason. */
function refusal(failure: Failure, path: string, what: string): ProbeOutcome {
  if (DISK_TROUBLE_CODES.has(failure.code)) throw failure.error;
  if (failure.code === 'EEXIST') return { ok: false, reason: `Output already exists: ${path}` };
  return { ok: false, reason: `Cannot publish outputs in ${dirname(path)}: ${what} ${path} failed (${failure.code})` };
}

/** Removes one of this runner's own empty files (a probe file, a placeholder) after a failure; what is not that stays. */
async function discard(deps: Deps, path: string): Promise<void> {
  try {
    const stat = await deps.fs.lstat(path);
    if (stat.kind === 'file' && stat.size === 0) await deps.fs.unlink(path);
  } catch (error) {
    if (DISK_TROUBLE_CODES.has(fsErrorCode(error))) throw error;
  }
}

/** Removes the probe's files in this order (someone else removing one first is fine), or says why it cannot. */
async function removeProbeFiles(deps: Deps, paths: readonly string[]): Promise<ProbeOutcome | null> {
  for (const path of paths) {
    const failure = await attempt(() => deps.fs.unlink(path));
    if (failure !== null && failure.code !== 'ENOENT') return refusal(failure, path, 'removing the probe file');
  }
  return null;
}

/**
 * Which method the volume of `names` supports, found by doing it with empty files under the clip's two
 * names (both proven free): link the `.partial` to the final name; failing that, rename an exclusively
 * created placeholder onto the `.partial`. Both names are free again afterwards. At every instant the
 * final name exists only while its `.partial` does (see the header: that is how a leftover is recognised).
 */
export async function probePublishing(deps: Deps, names: OutputNames): Promise<ProbeOutcome> {
  const { output, partial } = names;
  const { fs } = deps;
  const created = await attempt(() => fs.writeFileExclusive(partial, EMPTY));
  if (created !== null) return refusal(created, partial, 'creating');

  const linked = await attempt(() => linkNoReplace(fs, partial, output));
  if (linked === null) return (await removeProbeFiles(deps, [output, partial])) ?? { ok: true, method: 'link' };
  if (linked.code === 'EEXIST' || DISK_TROUBLE_CODES.has(linked.code)) {
    await discard(deps, partial);
    return refusal(linked, output, 'linking');
  }
  // Any other refusal of link(2) right after a create in the same folder says the volume has no hard links.
  const placed = await attempt(() => fs.writeFileExclusive(output, EMPTY));
  if (placed !== null) {
    await discard(deps, partial);
    return refusal(placed, output, 'creating');
  }
  const renamed = await attempt(() => fs.rename(output, partial));
  if (renamed === null) return (await removeProbeFiles(deps, [partial])) ?? { ok: true, method: 'placeholder' };
  await discard(deps, output);
  await discard(deps, partial);
  if (DISK_TROUBLE_CODES.has(renamed.code)) throw renamed.error;
  return {
    ok: false,
    reason: `Cannot publish outputs in ${dirname(output)} without risking an overwrite: the volume supports neither hard links (${linked.code}) nor renaming a file onto an existing name (${renamed.code})`,
  };
}

/**
 * Publishes a verified `.partial` under the final name by `method`; returns the failure reason or null.
 * The output volume is the operator's: its refusals fail the clip (the `.partial` kept), not the runner.
 */
export async function publishOutput(deps: Deps, names: OutputNames, method: PublishMethod): Promise<string | null> {
  const { output, partial } = names;
  const first = await attempt(async () => {
    await deps.fs.fsyncFile(partial);
    await (method === 'link' ? linkNoReplace(deps.fs, partial, output) : deps.fs.writeFileExclusive(output, EMPTY));
  });
  if (first !== null) {
    if (first.code === 'EEXIST') return `Output already exists: ${output}`;
    if (DISK_TROUBLE_CODES.has(first.code)) throw first.error;
    return `Cannot publish the output ${output} without risking an overwrite (${first.code})`;
  }
  if (method === 'link') {
    await deps.fs.unlink(partial);
  } else {
    const renamed = await attempt(() => deps.fs.rename(partial, output));
    if (renamed !== null) {
      await discard(deps, output); // the placeholder made a moment ago
      if (DISK_TROUBLE_CODES.has(renamed.code)) throw renamed.error;
      return `Cannot publish the output ${output} (${renamed.code})`;
    }
  }
  await deps.fs.fsyncDir(dirname(output)).catch((error: unknown) => {
    if (!FSYNC_UNSUPPORTED.has(fsErrorCode(error))) throw error;
  });
  return null;
}

/**
 * Whether the entry at an output name is a leftover of an interrupted probe or publish: an empty regular
 * file with the clip's `.partial` beside it (see the header). Never a real output: those are never empty.
 */
export async function isLeftoverPlaceholder(deps: Deps, names: OutputNames, entry: FileStat): Promise<boolean> {
  if (entry.kind !== 'file' || entry.size !== 0) return false;
  try {
    await deps.fs.lstat(names.partial);
    return true;
  } catch (error) {
    if (DISK_TROUBLE_CODES.has(fsErrorCode(error))) throw error;
    return false;
  }
}
