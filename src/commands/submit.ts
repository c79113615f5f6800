// `submit JOBSPEC… --to FOLDER`: puts JobSpecs into a watch folder's pending/ so that no runner can see a
// half-written file and nothing there is replaced (the protocol: runner/submission.ts). Each file is read
// as the runner reads a claimed JobSpec, written to the folder, checked there with the runner's own checks
// (the very bytes that will run, exactly as `validate` checks them) and linked into pending/ only when
// valid. Files are independent: one refused does not stop the others.

import { basename, join, resolve } from 'node:path';
import type { Deps } from '../ports.ts';
import { fsErrorCode } from '../ports.ts';
import { printable } from '../log.ts';
import { isJobSpecName } from '../runner/filing-names.ts';
import { layoutOf } from '../runner/layout.ts';
import { prepareJob } from '../runner/prepare.ts';
import { readJobSpecFile, unreadableReason } from '../runner/read-jobspec.ts';
import { abandonSubmission, linkSubmission, stageSubmission } from '../runner/submission.ts';

export interface SubmittedFile {
  readonly file: string;
  readonly submitted: boolean;
  /** The JobSpec's job_id (or its default), `unknown` when it could not be read. */
  readonly job_id: string;
  /** Where it now is: `<folder>/pending/<name>`; null when not submitted. */
  readonly pending_path: string | null;
  /** Why it was not submitted (the runner's reason for an invalid JobSpec); null when submitted. */
  readonly reason: string | null;
  /** Submitted, but a later step of the protocol failed (a power cut could lose it, say); null when none. */
  readonly warning: string | null;
}

export interface SubmitReport {
  readonly submitted: boolean;
  readonly folder: string;
  readonly files: readonly SubmittedFile[];
}

type Verdict = Omit<SubmittedFile, 'file'>;

function refused(jobId: string, reason: string): Verdict {
  return { submitted: false, job_id: jobId, pending_path: null, reason, warning: null };
}

async function submitOne(deps: Deps, folder: string, path: string, startedMs: number): Promise<Verdict> {
  const name = basename(path);
  if (!isJobSpecName(name)) return refused('unknown', `Cannot submit ${name}: a runner only picks up names ending in .json (and never *.result.json)`);
  let read;
  try {
    read = await readJobSpecFile(deps.fs, path);
  } catch (error) {
    return refused('unknown', unreadableReason(path, error));
  }
  if (!read.ok) return refused('unknown', read.reason);
  const layout = layoutOf(folder);
  const staged = await stageSubmission(deps, layout, name, read.bytes);
  if (!staged.ok) return refused('unknown', staged.reason);
  const prepared = await prepareJob(deps, staged.path, { startedMs, probe: false });
  if (!prepared.outcome.ok) {
    await abandonSubmission(deps, staged.path);
    return refused(prepared.jobId, prepared.outcome.failure.reason);
  }
  const linked = await linkSubmission(deps, layout, name, staged.path);
  if (!linked.ok) return refused(prepared.jobId, linked.reason);
  return { submitted: true, job_id: prepared.jobId, pending_path: linked.path, reason: null, warning: linked.warning };
}

export async function submitFiles(deps: Deps, files: readonly string[], to: string): Promise<SubmitReport> {
  const folder = resolve(deps.cwd, to);
  const startedMs = deps.clock.now();
  const done: SubmittedFile[] = [];
  for (const file of files) {
    let verdict: Verdict;
    try {
      verdict = await submitOne(deps, folder, resolve(deps.cwd, file), startedMs);
    } catch (error) {
      // A disk that fails under one file (EIO, ENOSPC, …) refuses that file, said with its code.
      verdict = refused('unknown', `Cannot submit: a filesystem operation failed (${fsErrorCode(error)})`);
    }
    done.push({ file, ...verdict });
  }
  return { submitted: done.every((f) => f.submitted), folder, files: done };
}

function textReport(report: SubmitReport): string {
  const lines: string[] = [];
  for (const f of report.files) {
    lines.push(f.submitted ? `${f.file}: submitted (job_id ${f.job_id}) as ${f.pending_path ?? ''}` : `${f.file}: NOT submitted (job_id ${f.job_id}): ${f.reason ?? ''}`);
    if (f.warning !== null) lines.push(`  warning: ${f.warning}`);
  }
  const refusedCount = report.files.filter((f) => !f.submitted).length;
  lines.push(refusedCount === 0 ? `${report.files.length} submitted to ${join(report.folder, 'pending')}` : `${refusedCount} of ${report.files.length} not submitted`);
  return lines.map(printable).join('\n');
}

/** Why `folder` cannot take submissions at all (no pending/ directory in it), or null. */
async function folderProblem(deps: Deps, folder: string): Promise<string | null> {
  const { pending } = layoutOf(folder);
  try {
    if ((await deps.fs.stat(pending)).kind === 'directory') return null;
  } catch (error) {
    const code = fsErrorCode(error);
    if (code !== 'ENOENT') return `Cannot check ${pending} (${code})`;
  }
  // The runner creates its state folders when it starts; a submitter does not guess that a folder is one.
  return `Not a watch folder: ${pending} is not a directory (a runner's first start creates it)`;
}

/** Exit 0 when every file was submitted, 1 otherwise, 2 when the folder is not a watch folder. */
export async function runSubmit(deps: Deps, files: readonly string[], to: string, json: boolean): Promise<number> {
  const problem = await folderProblem(deps, resolve(deps.cwd, to));
  if (problem !== null) {
    deps.log.event('usage-error', `error: ${problem}`);
    return 2;
  }
  const report = await submitFiles(deps, files, to);
  deps.log.print(json ? JSON.stringify(report, null, 2) : textReport(report));
  return report.submitted ? 0 : 1;
}
