// `validate FILE…`: a JobSpec checked before it is dropped. Each file goes through exactly what the runner
// does with a claimed JobSpec before FFmpeg (runner/prepare.ts: the same reading, checks, order and reason
// text), and a valid one is shown as the runner would run it: the profile, each output and the exact
// FFmpeg argv. It changes nothing: no folder is created, no probe file written, nothing moved.

import { basename, resolve } from 'node:path';
import type { Deps } from '../ports.ts';
import { printable } from '../log.ts';
import { isJobSpecName } from '../runner/filing-names.ts';
import { clipArgv } from '../runner/plan.ts';
import { prepareJob } from '../runner/prepare.ts';
import { unreadableReason } from '../runner/read-jobspec.ts';

export interface ValidatedClip {
  readonly source: string;
  readonly output: string;
  readonly partial_output: string;
  readonly ffmpeg_command: readonly string[];
}

export interface ValidatedFile {
  readonly file: string;
  readonly valid: boolean;
  readonly job_id: string;
  /** The first failed check's reason, as the result file would give it; null when valid. */
  readonly reason: string | null;
  /** What the runner would file it as without starting FFmpeg (always PARTIAL), or null when it would run. */
  readonly would_file_as: 'PARTIAL' | null;
  readonly profile: string | null;
  readonly clips: readonly ValidatedClip[];
  /** A name the runner never picks up from pending/ (not `*.json`, or a `*.result.json`); null when fine. */
  readonly name_warning: string | null;
}

export interface ValidateReport {
  readonly valid: boolean;
  /** The FFmpeg the commands name, or null when there is none on PATH (its clips would fail). */
  readonly ffmpeg: string | null;
  readonly files: readonly ValidatedFile[];
}

export async function validateFiles(deps: Deps, files: readonly string[]): Promise<ValidateReport> {
  const ffmpeg = await deps.transcoder.locate();
  const startedMs = deps.clock.now();
  const checked: ValidatedFile[] = [];
  for (const file of files) {
    const path = resolve(deps.cwd, file);
    const nameWarning = isJobSpecName(basename(path)) ? null : 'the runner only picks up names ending in .json (and never *.result.json) from pending/';
    let prepared;
    try {
      prepared = await prepareJob(deps, path, { startedMs, probe: false });
    } catch (error) {
      // The runner never meets a file that is not there; a disk error is the disk's. Either way: not valid.
      const reason = unreadableReason(path, error);
      checked.push({ file, valid: false, job_id: 'unknown', reason, would_file_as: null, profile: null, clips: [], name_warning: nameWarning });
      continue;
    }
    if (!prepared.outcome.ok) {
      const { reason } = prepared.outcome.failure;
      checked.push({ file, valid: false, job_id: prepared.jobId, reason, would_file_as: 'PARTIAL', profile: prepared.outcome.failure.profile, clips: [], name_warning: nameWarning });
      continue;
    }
    const { plan } = prepared.outcome;
    const clips = plan.clips.map((clip) => ({
      source: clip.sourcePath,
      output: clip.output,
      partial_output: clip.partial,
      ffmpeg_command: clipArgv(plan, clip, ffmpeg),
    }));
    checked.push({ file, valid: true, job_id: prepared.jobId, reason: null, would_file_as: null, profile: plan.profile.name, clips, name_warning: nameWarning });
  }
  return { valid: checked.every((f) => f.valid), ffmpeg, files: checked };
}

/** An argument as a POSIX shell would need it written, so the shown command can be pasted. */
export function shellQuoted(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function textReport(report: ValidateReport): string {
  const lines: string[] = [];
  for (const f of report.files) {
    if (!f.valid) {
      lines.push(`${f.file}: INVALID (job_id ${f.job_id}): ${f.reason ?? ''}`);
      if (f.would_file_as !== null) lines.push(`  the runner would file it as ${f.would_file_as} without starting FFmpeg`);
    } else {
      lines.push(`${f.file}: valid (job_id ${f.job_id}, profile ${f.profile ?? ''}, ${f.clips.length} clip${f.clips.length === 1 ? '' : 's'})`);
      for (const [i, clip] of f.clips.entries()) {
        lines.push(`  clip ${i + 1}: ${clip.source} -> ${clip.output}`);
        lines.push(`    ${clip.ffmpeg_command.map(shellQuoted).join(' ')}`);
      }
    }
    if (f.name_warning !== null) lines.push(`  note: ${f.name_warning}`);
  }
  if (report.ffmpeg === null) lines.push('note: no ffmpeg on PATH: the runner would fail every clip with "FFmpeg not found"');
  const invalid = report.files.filter((f) => !f.valid).length;
  lines.push(invalid === 0 ? `${report.files.length} valid` : `${invalid} of ${report.files.length} invalid`);
  // The report names files and reasons that may hold control characters: one line each, nothing hidden.
  return lines.map(printable).join('\n');
}

/** Exit 0 when every file is valid, 1 otherwise. */
export async function runValidate(deps: Deps, files: readonly string[], json: boolean): Promise<number> {
  const report = await validateFiles(deps, files);
  deps.log.print(json ? JSON.stringify(report, null, 2) : textReport(report));
  return report.valid ? 0 : 1;
}
