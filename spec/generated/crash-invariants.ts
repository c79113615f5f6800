// The promise of reliability.md section 3, checked on the runs of a scenario whatever happened during them
// (a crash, a power cut, a failing disk). One checker for every fault test: the generated crash family,
// the crash exploration and the errno matrix (spec/crash/).
//   After every run, even one that was killed: no JobSpec that was handed to the runner is lost (each is
//   still somewhere in pending/, running/, completed/ or failed/, byte for byte), none is filed twice or
//   filed while still pending, no result is published without its JobSpec, no file that existed before
//   was changed or removed outside pending/ and running/, and nothing was written outside the watch folder
//   and the JobSpecs' output directories.
//   After a run that ended with an exit code: each JobSpec is in exactly one place, and in running/ only
//   when the runner stopped on an error (exit 70: the job it was filing, possibly already committed, stays
//   for the next start) or refused to start (exit 2 or 3: what a dead runner left there stays); each filed
//   JobSpec has its result beside it (after exit 70 a committed job may have only its result temp file,
//   which the next start publishes), which parses, agrees with the folder and gives a reason when the job
//   did not complete; no temp file is visible after a clean exit.
//   Whenever a result exists, even after a power cut: its completed clips' outputs exist, of its size.
//   The last run must end with an exit code, and with `settledAtEnd` leave nothing in pending/ or running/.

import type { Golden, RunOutcome } from '../../src/conformance/golden.ts';
import { firstDifference } from '../../src/conformance/golden.ts';
import type { Tree } from '../../src/conformance/normalize.ts';
import { normaliseFile } from '../../src/conformance/normalize.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { materialise } from '../../src/conformance/tree.ts';
import { isJobSpecName, jobSpecNameOf, resultNameOf, resultTempNameOf, stemOf, stemOfResultName, stemOfResultTemp } from '../../src/runner/filing-names.ts';

const STATE_ENTRY = /^watch\/(pending|running|completed|failed)\/([^/]*)$/;
const placeholders = { root: '{ROOT}', livePid: 0, host: '' };
/** The exit code of a runner that stopped on an error it could not handle (a failing disk). */
const ERROR_EXIT = 70;
/** Exit codes of a runner that refused to start (usage or configuration, folder busy): it moved nothing. */
const REFUSED_EXITS = new Set<unknown>([2, 3]);

/** A JobSpec a shared runner claimed: in its folder running/<id>/ (or one it took over, nested in it). */
const SHARED_RUNNING_ENTRY = /^watch\/(running)\/(?:[^/]+\/)+([^/]*)$/;

/** Folder and stem of a JobSpec path (not a result file), or null. */
function jobSpecAt(path: string): { folder: string; stem: string } | null {
  const match = STATE_ENTRY.exec(path) ?? SHARED_RUNNING_ENTRY.exec(path);
  if (match === null || !isJobSpecName(match[2] ?? '')) return null;
  return { folder: match[1] ?? '', stem: stemOf(match[2] ?? '') };
}

/** Folder and stem of a result file in completed/ or failed/, or null. */
function resultAt(path: string): { folder: string; stem: string } | null {
  const match = STATE_ENTRY.exec(path);
  const stem = match === null ? null : stemOfResultName(match[2] ?? '');
  if (match === null || stem === null || match[1] === 'pending' || match[1] === 'running') return null;
  return { folder: match[1] ?? '', stem };
}

/** A result temp file (visible only while a job is being filed, or after a stop on a failing disk). */
function isResultTemp(path: string): boolean {
  return path.startsWith('watch/') && stemOfResultTemp(path.slice(path.lastIndexOf('/') + 1)) !== null;
}

interface Baseline {
  /** The text of every JobSpec handed to the runner (in pending/ or running/), with `{ROOT}` kept. */
  readonly submitted: readonly string[];
  /** Files (and symlinks) the input tree had outside pending/ and running/: path → normalised content. */
  readonly before: ReadonlyMap<string, unknown>;
  /** Where the runner may write: the watch folder and each JobSpec's output directory, as tree paths. */
  readonly writable: readonly string[];
}

function baselineOf(scenario: Scenario): Baseline {
  const submitted: string[] = [];
  const before = new Map<string, unknown>();
  const writable = ['watch'];
  const inFlight = (path: string): boolean => /^watch\/(pending|running)\//.test(path);
  for (const [path, entry] of Object.entries(scenario.tree)) {
    let made = materialise(entry, placeholders);
    if (made.kind === 'hardlink') {
      // A second name of a JobSpec in flight is the same JobSpec; of anything else, a copy of its content.
      if (inFlight(made.to)) continue;
      made = materialise(scenario.tree[made.to], placeholders);
    }
    if (inFlight(path) && jobSpecAt(path) !== null) {
      const text = made.kind === 'file' ? new TextDecoder().decode(made.bytes) : '';
      submitted.push(text);
      const outputDirectory = outputDirectoryOf(text);
      if (outputDirectory !== null) writable.push(outputDirectory);
    }
    if (!inFlight(path) && made.kind === 'file') before.set(path, normaliseFile(path, made.bytes, { root: '{ROOT}' }));
    if (!inFlight(path) && made.kind === 'symlink') before.set(path, { $symlink: made.target });
  }
  return { submitted, before, writable };
}

/** The output directory a JobSpec text names, as a path relative to the scenario root, or null. */
function outputDirectoryOf(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    const dir = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['output_directory'] : undefined;
    if (typeof dir !== 'string') return null;
    if (dir.startsWith('{ROOT}/')) return dir.slice('{ROOT}/'.length).replace(/\/+$/, '');
    return dir.startsWith('/') ? null : dir.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function count(values: readonly string[], value: string): number {
  return values.filter((v) => v === value).length;
}

function short(text: string): string {
  return JSON.stringify(text.slice(0, 60));
}

/** Problems with one run's tree; `exit` is the run's outcome ("killed" for a crash or power cut). */
function runProblems(base: Baseline, tree: Tree, exit: RunOutcome['exit'], last: boolean, settledAtEnd: boolean): string[] {
  const problems: string[] = [];
  const ended = exit !== 'killed';
  const stopped = exit === ERROR_EXIT;
  const refused = REFUSED_EXITS.has(exit);
  const texts = { pending: [] as string[], running: [] as string[], filed: [] as string[] };
  for (const [path, content] of Object.entries(tree)) {
    const at = jobSpecAt(path);
    if (at === null || base.before.has(path)) continue;
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    if (at.folder === 'pending') texts.pending.push(text);
    else if (at.folder === 'running') texts.running.push(text);
    else texts.filed.push(text);
  }
  for (const text of new Set(base.submitted)) {
    const [n, p, r, f] = [count(base.submitted, text), count(texts.pending, text), count(texts.running, text), count(texts.filed, text)];
    if (p + r + f < n) problems.push(`lost: a JobSpec is nowhere ${short(text)}`);
    if (p + f > n) problems.push(`duplicated: a JobSpec is ${f} times filed and ${p} times pending ${short(text)}`);
    if (ended && r > 0 && !stopped && !refused) problems.push(`left in running/ after exit ${exit}: ${short(text)}`);
    if (ended && !stopped && p + r + f !== n) problems.push(`a JobSpec is in ${p + r + f} places after exit ${exit}: ${short(text)}`);
    if (last && settledAtEnd && (p > 0 || r > 0)) problems.push(`not filed after the last run: ${short(text)}`);
  }
  for (const text of new Set([...texts.pending, ...texts.running, ...texts.filed])) {
    if (!base.submitted.includes(text)) problems.push(`a JobSpec nobody submitted: ${short(text)}`);
  }

  for (const path of Object.keys(tree)) {
    const at = jobSpecAt(path);
    if (at !== null && (at.folder === 'completed' || at.folder === 'failed') && !base.before.has(path)) {
      problems.push(...resultProblems(tree, at.folder, at.stem, ended, stopped));
    }
    const result = resultAt(path);
    if (result !== null && !(`watch/${result.folder}/${jobSpecNameOf(result.stem)}` in tree)) problems.push(`result without its JobSpec: ${path}`);
    if (ended && !stopped && isResultTemp(path)) problems.push(`temp file visible after exit ${exit}: ${path}`);
    if (!base.before.has(path) && !base.writable.some((dir) => path === dir || path.startsWith(`${dir}/`))) {
      problems.push(`written outside the watch folder and the output directories: ${path}`);
    }
  }
  for (const [path, content] of base.before) {
    const diff = path in tree ? firstDifference(content, tree[path]) : '(missing)';
    if (diff !== null) problems.push(`existed before, changed or removed: ${path} ${diff}`);
  }
  return problems;
}

function resultProblems(tree: Tree, folder: string, stem: string, ended: boolean, stopped: boolean): string[] {
  const path = `watch/${folder}/${resultNameOf(stem)}`;
  if (!(path in tree)) {
    // Killed, or stopped on an error, between the commit and the publish: the temp file holds the result.
    if (!ended || (stopped && `watch/${folder}/${resultTempNameOf(stem)}` in tree)) return [];
    return [`watch/${folder}/${jobSpecNameOf(stem)}: no result beside it`];
  }
  const result = record(tree[path]);
  if (result === null) return [`${path}: does not parse as a result object`];
  const status = result['final_status'];
  const agrees = folder === 'completed' ? status === 'COMPLETED' : status === 'FAILED' || status === 'PARTIAL';
  if (!agrees) return [`${path}: final_status ${String(status)} does not fit ${folder}/`];
  const reason = record(result['_metadata'])?.['failure_reason'];
  if (status !== 'COMPLETED' && (typeof reason !== 'string' || reason.trim() === '')) return [`${path}: ${String(status)} without a failure_reason`];
  return outputProblems(tree, path, result);
}

/** A clip the result calls completed has its output, of the size the result gives (a power cut included). */
function outputProblems(tree: Tree, path: string, result: Record<string, unknown>): string[] {
  const clips = Array.isArray(result['clips']) ? result['clips'] : [];
  return clips.flatMap((clip: unknown) => {
    const c = record(clip);
    const output = c?.['resolved_output_path'];
    if (c === null || c['status'] !== 'COMPLETED' || typeof output !== 'string' || !output.startsWith('{ROOT}/')) return [];
    const content = tree[output.slice('{ROOT}/'.length)];
    const size = typeof content === 'string' ? Buffer.byteLength(content) : record(content)?.['$bytes'];
    return size === c['output_size_bytes'] && size !== 0 ? [] : [`${path}: completed clip's output ${output} is ${size === undefined ? 'missing' : `${String(size)} bytes`}, not ${String(c['output_size_bytes'])}`];
  });
}

/** Every problem with `runs` of `scenario` (empty when the promise held). */
export function invariantProblems(scenario: Scenario, runs: readonly RunOutcome[], options: { settledAtEnd: boolean }): string[] {
  const base = baselineOf(scenario);
  const problems: string[] = [];
  const last = runs[runs.length - 1];
  if (last === undefined) return ['no run'];
  if (last.exit === 'killed') problems.push('the last run was killed');
  runs.forEach((run, i) => {
    for (const problem of runProblems(base, run.tree, run.exit, i === runs.length - 1, options.settledAtEnd)) problems.push(`run ${i + 1}: ${problem}`);
  });
  return problems;
}

/** For a crash scenario: the first run was killed, and the clean restart after it settled everything. */
export function crashInvariantProblems(scenario: Scenario, golden: Golden): string[] {
  if (golden.runs.length < 2) return ['expected a killed run and a restart'];
  const killed = golden.runs[0]?.exit === 'killed' ? [] : [`the first run was not killed (exit ${golden.runs[0]?.exit})`];
  return [...killed, ...invariantProblems(scenario, golden.runs, { settledAtEnd: true })];
}
