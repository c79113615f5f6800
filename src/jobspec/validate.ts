// Execution-time validation of a parsed JobSpec (SPEC.md section 6): first the sources must exist, then
// the checks in the order section 6 gives, first failure wins. The filesystem is reached only through
// the Fs port, and only fs errors (those with a `code`) are handled: anything else, RunnerKilled
// included, propagates, and so do the codes of a failing disk (DISK_TROUBLE_CODES), which say nothing
// about the JobSpec.
import { resolve } from 'node:path';
import { DISK_TROUBLE_CODES, fsErrorCode, type Fs } from '../ports.ts';
import { normalizedCodec, normalizedContainer } from './parse.ts';
import type { Codec, Container, JobSpec } from './schema.ts';
import { KNOWN_TOKENS } from './schema.ts';

export type JobSpecValidation =
  | { ok: true; sources: string[]; outputDirectory: string }
  | { ok: false; reason: string };

// Listed in the contract's order, which is also the order the message prints them in.
export const CODEC_CONTAINERS: Readonly<Record<Codec, readonly Container[]>> = {
  prores_proxy: ['mov'],
  prores_lt: ['mov'],
  prores_standard: ['mov'],
  prores_hq: ['mov'],
  prores_4444: ['mov'],
  h264: ['mp4', 'mov', 'mkv'],
  h265: ['mp4', 'mov', 'mkv'],
  hevc: ['mp4', 'mov', 'mkv'],
  dnxhd: ['mxf'],
  dnxhr: ['mov', 'mxf'],
  vp9: ['webm', 'mkv'],
  av1: ['mp4', 'mkv', 'webm'],
};

// Codes meaning "there is no usable file at this path" rather than "the disk misbehaved".
const MISSING_CODES = new Set([
  'ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EINVAL', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE',
]);

const PREFIX = 'JobSpec validation failed: ';

/** Only `stat` is needed (a narrower port than Fs, so callers pass their Fs and test doubles stay tiny). */
type StatFs = Pick<Fs, 'stat'>;

export async function validateJobSpec({
  spec,
  fs,
  cwd,
}: {
  spec: JobSpec;
  fs: StatFs;
  cwd: string;
}): Promise<JobSpecValidation> {
  const sources = spec.sources.map((source) => resolve(cwd, source));
  const problems: string[] = [];
  // One stat per entry, in order, so the sequence of fs operations is deterministic (fault injection counts them).
  for (const source of spec.sources) {
    const problem = await sourceProblem(fs, source, resolve(cwd, source));
    if (problem !== null) problems.push(problem);
  }
  if (problems.length > 0) return { ok: false, reason: `Missing source files: ${problems.join(', ')}` };

  const reason = specProblem(spec);
  if (reason !== null) return { ok: false, reason: PREFIX + reason };

  const outputDirectory = resolve(cwd, spec.output_directory);
  const outputProblem = await outputDirectoryProblem(fs, spec.output_directory, outputDirectory);
  if (outputProblem !== null) {
    return { ok: false, reason: `${PREFIX}Path validation failed with 1 error(s):\n  - ${outputProblem}` };
  }
  return { ok: true, sources, outputDirectory };
}

/** How `written` (as the JobSpec spells it) fails to be a regular file, or null when it is one. */
async function sourceProblem(fs: StatFs, written: string, absolute: string): Promise<string | null> {
  // A NUL byte cannot be in any real path; asking the filesystem would only produce an adapter-specific error.
  if (absolute.includes('\0')) return written;
  try {
    const stat = await fs.stat(absolute);
    return stat.kind === 'file' ? null : `${written} (not a file)`;
  } catch (error) {
    const code = fsErrorCode(error);
    if (DISK_TROUBLE_CODES.has(code)) throw error; // the runner's trouble, not a missing source
    return MISSING_CODES.has(code) ? written : `${written} (${code})`;
  }
}

async function outputDirectoryProblem(fs: StatFs, written: string, absolute: string): Promise<string | null> {
  const missing = `Output directory does not exist: ${written}`;
  if (absolute.includes('\0')) return missing;
  try {
    const stat = await fs.stat(absolute);
    return stat.kind === 'directory' ? null : `Output path is not a directory: ${written}`;
  } catch (error) {
    if (DISK_TROUBLE_CODES.has(fsErrorCode(error))) throw error; // the runner's trouble, not a missing folder
    return missing;
  }
}

/** Checks 1–6, which need no filesystem. */
function specProblem(spec: JobSpec): string | null {
  if (spec.sources.length === 0) {
    return 'JobSpec must have at least one source file. The sources list cannot be empty.';
  }

  const codec = normalizedCodec(spec);
  const container = normalizedContainer(spec);
  const allowed: readonly string[] = CODEC_CONTAINERS[codec as Codec] ?? [];
  if (!allowed.includes(container)) {
    if (codec === 'dnxhd' && container === 'mov') {
      return (
        'DNxHD must be wrapped in MXF. DNxHD-in-MOV is non-standard and unsupported. Use MXF container for DNxHD ' +
        'output, or switch to DNxHR which supports MOV.'
      );
    }
    return `Invalid container '${container}' for codec '${codec}'. Valid containers for ${codec}: ${allowed.join(', ')}`;
  }

  const unknownTokens = unknownTemplateTokens(spec.naming_template);
  if (unknownTokens.length > 0) {
    return `Unknown tokens in naming template: ${unknownTokens.join(', ')}. Known tokens: ${KNOWN_TOKENS.join(', ')}`;
  }

  const fps = spec.fps_explicit;
  if (spec.fps_mode === 'explicit' && (fps === undefined || fps === null)) {
    return "fps_mode is 'explicit' but fps_explicit value is not set.";
  }
  // Checked whatever fps_mode says (as the Proxx runner does): a set but nonsensical rate is an error.
  if (typeof fps === 'number' && !(fps > 0)) {
    return `fps_explicit must be a positive number, got: ${Object.is(fps, -0) ? '-0' : String(fps)}`;
  }

  if (spec.sources.length > 1 && !spec.naming_template.includes('{index}') && !spec.naming_template.includes('{source_name}')) {
    return 'Multi-clip jobs must include either {index} or {source_name} in naming_template to ensure unique output filenames.';
  }

  if (spec.lut_id !== undefined && spec.lut_id !== null) {
    return `LUTs are not supported by this runner (lut_id '${spec.lut_id}').`;
  }
  return null;
}

/** Every `{…}` that is not a known token: unique, in order of first appearance. */
export function unknownTemplateTokens(template: string): string[] {
  const known: readonly string[] = KNOWN_TOKENS;
  const found = template.match(/\{[^{}]*\}/g) ?? [];
  return [...new Set(found.filter((token) => !known.includes(token)))];
}
