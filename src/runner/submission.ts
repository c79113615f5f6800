// Safe submission (SPEC R2.20, R4.21): a JobSpec enters pending/ complete or not at all, and never in the
// place of another file. This is the one module that writes a submission and recognises its trace.
//   1. The bytes are created exclusively as `.submitting/<name>` in the watch folder (O_EXCL: a second
//      submission of that name meanwhile gets EEXIST) and fsynced; a new `.submitting/` is made durable.
//   2. The caller checks that very file, so the bytes checked are the bytes that will run.
//   3. link(2) `.submitting/<name>` to `pending/<name>`: EEXIST when the name is taken, so nothing is ever
//      replaced, and no runner can see the name before its bytes are complete and durable. pending/ is
//      fsynced. On a network filesystem a link whose reply was lost is retried by the client and reports
//      EEXIST although it was done: the name then holds our own inode, which is what counts.
//   4. `.submitting/<name>` is unlinked and `.submitting/` fsynced.
// Between 3 and 4 the JobSpec in pending/ has two links, which a runner refuses (R4.7: a hard link may
// reach a file the folder does not own). The runner recognises this one case after its claim: exactly two
// links, the other being `.submitting/<name>` with the same inode. Both names are inside the watch folder
// and nothing else names the file, so the runner does step 4 itself (`dropSubmissionTwin`) and goes on;
// the submitter's own unlink then finds nothing, which it takes as done.

import { join } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { fsErrorCode, ignoreMissing, linkNoReplace, lstatOrNull, sameFile } from '../ports.ts';
import type { Layout } from './layout.ts';

export type StageOutcome = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };
/** A linked submission may carry a warning: it is in pending/, but a later step of the protocol failed. */
export type LinkOutcome = { readonly ok: true; readonly path: string; readonly warning: string | null } | { readonly ok: false; readonly reason: string };

function failed(what: string, path: string, error: unknown): string {
  return `Cannot submit: ${what} ${path} failed (${fsErrorCode(error)})`;
}

/** `.submitting/` exists (made durable in the watch folder when this call created it), or the reason not. */
async function ensureFolder(deps: Deps, layout: Layout): Promise<string | null> {
  try {
    await deps.fs.mkdir(layout.submitting);
  } catch (error) {
    if (fsErrorCode(error) === 'EEXIST') return (await lstatOrNull(deps.fs, layout.submitting))?.kind === 'directory' ? null : `Cannot submit: ${layout.submitting} exists but is not a directory`;
    return failed('creating', layout.submitting, error);
  }
  try {
    await deps.fs.fsyncDir(layout.root);
    return null;
  } catch (error) {
    return failed('making durable', layout.submitting, error);
  }
}

/** Step 1: `bytes` as `.submitting/<name>`, durable; the path to check, or why not (nothing left behind). */
export async function stageSubmission(deps: Deps, layout: Layout, name: string, bytes: Uint8Array): Promise<StageOutcome> {
  const problem = await ensureFolder(deps, layout);
  if (problem !== null) return { ok: false, reason: problem };
  const path = join(layout.submitting, name);
  try {
    await deps.fs.writeFileExclusive(path, bytes);
    return { ok: true, path };
  } catch (error) {
    if (fsErrorCode(error) === 'EEXIST') {
      return { ok: false, reason: `Cannot submit: ${path} exists: another submission of ${name} is under way, or one was interrupted (remove it when no submit is running)` };
    }
    await abandonSubmission(deps, path); // a write that failed half-way (ENOSPC) leaves a file of ours
    return { ok: false, reason: failed('writing', path, error) };
  }
}

/** Removes a staged file that will not be linked (it failed its check, or its link did). */
export async function abandonSubmission(deps: Deps, staged: string): Promise<void> {
  await deps.fs.unlink(staged).catch((error: unknown) => void fsErrorCode(error));
}

/** Steps 3 and 4: links the staged file into pending/ without replacing anything; its pending/ path or why not. */
export async function linkSubmission(deps: Deps, layout: Layout, name: string, staged: string): Promise<LinkOutcome> {
  const target = join(layout.pending, name);
  try {
    await linkNoReplace(deps.fs, staged, target);
  } catch (error) {
    const code = fsErrorCode(error);
    await abandonSubmission(deps, staged);
    if (code === 'EEXIST') return { ok: false, reason: `Cannot submit: ${target} already exists (nothing was replaced)` };
    if (code === 'ENOENT') return { ok: false, reason: `Cannot submit: ${layout.pending} does not exist (is ${layout.root} a watch folder?)` };
    if (code === 'EXDEV') return { ok: false, reason: `Cannot submit: ${layout.submitting} and ${layout.pending} must be on one filesystem (EXDEV)` };
    return { ok: false, reason: failed('linking into', target, error) };
  }
  // From here on the JobSpec is in pending/ and a runner may claim it at any moment: it is submitted,
  // whatever fails next. What fails is said, never turned into "not submitted".
  try {
    await deps.fs.fsyncDir(layout.pending);
  } catch (error) {
    return { ok: true, path: target, warning: `making ${layout.pending} durable failed (${fsErrorCode(error)}): a power cut could lose this submission` };
  }
  try {
    // ENOENT: a runner claimed it already and did this step itself (dropSubmissionTwin).
    await ignoreMissing(deps.fs.unlink(staged));
    await deps.fs.fsyncDir(layout.submitting);
  } catch (error) {
    return { ok: true, path: target, warning: `removing ${staged} failed (${fsErrorCode(error)}): the runner drops it when it claims the JobSpec` };
  }
  return { ok: true, path: target, warning: null };
}

/**
 * A claimed JobSpec `running/<name>` with `entry` as its lstat: when it has exactly two links and the
 * other is its submission's staged name (same inode), that name is unlinked (step 4 done for the
 * submitter) and true is returned, so the job reads it again as a file with one link. False otherwise.
 */
export async function dropSubmissionTwin(deps: Deps, layout: Layout, name: string, entry: FileStat): Promise<boolean> {
  if (entry.kind !== 'file' || entry.nlink !== 2) return false;
  const staged = join(layout.submitting, name);
  const twin = await lstatOrNull(deps.fs, staged);
  if (twin === null || !sameFile(twin, entry)) return false;
  await ignoreMissing(deps.fs.unlink(staged)); // ENOENT: the submitter did it meanwhile
  await deps.fs.fsyncDir(layout.submitting);
  return true;
}
