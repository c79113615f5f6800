// The invariants of reliability.md section 3, checked across a whole observed sequence (drops, runs,
// crashes, power cuts, errnos, stops) rather than on one crash and one restart as
// spec/generated/crash-invariants.ts does: that checker takes the JobSpecs from the input tree and the
// first run as the killed one, and reads normalised snapshots, in which two collision-stamped names can
// fold into one key. This one follows JobSpecs dropped by any `write` step by their exact bytes (a
// multiset: the same bytes may be dropped twice), through raw trees (observed-run.ts).
//
// After every run, however it ended:
//   - no JobSpec lost or altered: each one handed over is still in pending/, running/, completed/ or
//     failed/, byte for byte;
//   - no file that existed before changed or vanished, outside pending/, running/ and the runner's own
//     temp and lock files (after a power cut: no file that was durable);
//   - nothing new outside watch/ and out/;
//   - every output a result says exists is there, of the size it says.
// After every run that ended by itself (exit 0 or 1) with no errno injected:
//   - each JobSpec is in exactly one place, nothing is in running/;
//   - exactly one parseable result beside each settled JobSpec, final_status agreeing with the folder, and
//     no result without its JobSpec; no `.tmp` visible;
//   - --once: exit 1 exactly when the run (its scan or its recovery) filed something in failed/; what
//     stays in pending/ is not claimable yet.
// After the last run: pending/ and running/ are empty; only JobSpecs that can complete are in completed/.

import type { RunOutcome } from '../../src/conformance/golden.ts';
import { isPrivateRunnerFile } from '../../src/conformance/normalize.ts';
import { isRunStep } from '../../src/conformance/steps.ts';
import { MEMORY_ROOT } from '../harness/memory-run.ts';
import { isCompleteJsonContainer, parseStrictJson } from '../../src/jobspec/json.ts';
import { isJobSpecName, resultTempNameOf, stemOfResultTemp } from '../../src/runner/filing-names.ts';
import { MAX_JOBSPEC_BYTES } from '../../src/runner/read-jobspec.ts';
import type { Observation, RawEntry, RawFile, RawTree } from './observed-run.ts';

export interface SequenceExpectations {
  /** sha256 of the JobSpec bytes that may end in completed/ (valid, every clip succeeds). */
  readonly mayComplete: ReadonlySet<string>;
  /** Write steps allowed to replace a JobSpec still in pending/ (a writer finishing its file). */
  readonly overwrites: ReadonlyArray<{ readonly step: number; readonly path: string }>;
}

const STATE_FOLDER = /^watch\/(pending|running|completed|failed)\/([^/]+)$/;
const SETTLED = /^watch\/(completed|failed)\/([^/]+)$/;

/** The folder of a JobSpec path (a `.json` but not `.result.json` file directly in a state folder), or null. */
function jobSpecFolder(path: string): string | null {
  const match = STATE_FOLDER.exec(path);
  return match !== null && isJobSpecName(match[2] ?? '') ? (match[1] ?? null) : null;
}

function isFile(entry: RawEntry | undefined): entry is RawFile {
  return entry?.kind === 'file';
}

/** A result temp file anywhere in the watch folder. */
function isResultTemp(path: string): boolean {
  return path.startsWith('watch/') && stemOfResultTemp(path.slice(path.lastIndexOf('/') + 1)) !== null;
}

/** The runner's own files: the lock and its scratch names, and result temp files inside the watch folder. */
function isRunnerScratch(path: string): boolean {
  return isPrivateRunnerFile(path) || isResultTemp(path);
}

type Multiset = Map<string, number>;

function add(set: Multiset, key: string, n = 1): void {
  const count = (set.get(key) ?? 0) + n;
  if (count === 0) set.delete(key);
  else set.set(key, count);
}

/** The bytes (sha256) of every JobSpec in the four state folders, with multiplicity. */
function population(tree: RawTree): Multiset {
  const set: Multiset = new Map();
  for (const [path, entry] of tree) if (jobSpecFolder(path) !== null && isFile(entry)) add(set, entry.sha256);
  return set;
}

function short(text: string | null, max = 60): string {
  if (text === null) return '(binary)';
  const json = JSON.stringify(text);
  return json.length > max ? `${json.slice(0, max - 4)}..."` : json;
}

function resultOf(tree: RawTree, folder: string, stem: string): Record<string, unknown> | string {
  const path = `watch/${folder}/${stem}.result.json`;
  const entry = tree.get(path);
  if (!isFile(entry)) return entry === undefined ? 'no result beside it' : `its result is a ${entry.kind}`;
  if (entry.text === null) return 'its result is not UTF-8';
  try {
    const value: unknown = JSON.parse(entry.text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return 'its result is not a JSON object';
  } catch {
    return `its result does not parse: ${short(entry.text)}`;
  }
}

/**
 * Claimable by contract section 3 regardless of time: a complete JSON object or array (R3.5), or over
 * 1 MiB (filed unread). A file that is not UTF-8 (no text here) is left out: never a false alarm.
 */
function claimableAtOnce(entry: RawFile): boolean {
  if (entry.size > MAX_JOBSPEC_BYTES) return true;
  return entry.text !== null && isCompleteJsonContainer(new TextEncoder().encode(entry.text));
}

function settledProblems(tree: RawTree, initial: RawTree, where: string): string[] {
  const problems: string[] = [];
  for (const [path, entry] of tree) {
    const match = SETTLED.exec(path);
    if (match === null || !isFile(entry)) continue;
    const folder = match[1] ?? '';
    const name = match[2] ?? '';
    if (isJobSpecName(name)) {
      const result = resultOf(tree, folder, name.slice(0, -'.json'.length));
      if (typeof result === 'string') {
        problems.push(`${where}: ${path}: ${result}`);
        continue;
      }
      const status = result['final_status'];
      const fits = folder === 'completed' ? status === 'COMPLETED' : status === 'FAILED' || status === 'PARTIAL';
      if (!fits) problems.push(`${where}: ${path}: its result says final_status ${JSON.stringify(status)} in ${folder}/`);
    } else if (name.endsWith('.result.json') && !initial.has(path)) {
      const jobSpec = `watch/${folder}/${name.slice(0, -'.result.json'.length)}.json`;
      if (!isFile(tree.get(jobSpec))) problems.push(`${where}: result without its JobSpec: ${path}`);
    }
  }
  return problems;
}

/** Results (settled by the sequence) that claim an output which is not there, or not of that size. */
function outputProblems(tree: RawTree, initial: RawTree, where: string): string[] {
  const problems: string[] = [];
  for (const path of tree.keys()) {
    const match = SETTLED.exec(path);
    if (match === null || !path.endsWith('.result.json') || initial.has(path)) continue;
    const result = resultOf(tree, match[1] ?? '', (match[2] ?? '').slice(0, -'.result.json'.length));
    if (typeof result === 'string' || !Array.isArray(result['clips'])) continue;
    for (const clip of result['clips'] as unknown[]) {
      if (clip === null || typeof clip !== 'object') continue;
      const { output_exists: exists, resolved_output_path: output, output_size_bytes: size } = clip as Record<string, unknown>;
      if (exists !== true || typeof output !== 'string') continue;
      const entry = tree.get(output.startsWith(`${MEMORY_ROOT}/`) ? output.slice(MEMORY_ROOT.length + 1) : output);
      if (!isFile(entry)) problems.push(`${where}: ${path} says ${output} exists, but it does not`);
      else if (entry.size !== size) problems.push(`${where}: ${path} says ${output} has ${String(size)} bytes, it has ${entry.size}`);
    }
  }
  return problems;
}

/** A list of problems (empty when every invariant holds). */
export function sequenceInvariantProblems(observation: Observation, expectations: SequenceExpectations): string[] {
  const problems: string[] = [];
  const { initial } = observation;
  /** The JobSpecs handed to the runner so far (bytes → count): the settled ones of the input tree included. */
  const expected = population(initial);
  /** Where each JobSpec's bytes were first seen, to name a lost one. */
  const origin = new Map<string, string>();
  for (const [path, entry] of initial) if (jobSpecFolder(path) !== null && isFile(entry)) origin.set(entry.sha256, `input tree ${path} ${short(entry.text)}`);
  const initialCompleted = new Set<string>();
  for (const [path, entry] of initial) if (jobSpecFolder(path) === 'completed' && isFile(entry)) initialCompleted.add(entry.sha256);
  const describe = (hash: string): string => origin.get(hash) ?? hash.slice(0, 12);

  const lastRun = [...observation.steps].reverse().find((s) => isRunStep(s.step));

  for (const observed of observation.steps) {
    const { index, step, before, after } = observed;
    const where = `step ${index}`;
    if ('write' in step) {
      for (const path of Object.keys(step.write)) {
        if (jobSpecFolder(path) !== 'pending') continue;
        const old = before.get(path);
        const now = after.get(path);
        if (isFile(old)) {
          const allowed = expectations.overwrites.some((o) => o.step === index && o.path === path);
          if (!allowed) problems.push(`${where}: the drop of ${path} found an earlier JobSpec still there (${short(old.text)}), although a clean run should have filed it`);
          add(expected, old.sha256, -1);
        }
        if (isFile(now)) {
          add(expected, now.sha256);
          if (!origin.has(now.sha256)) origin.set(now.sha256, `${where} ${path} ${short(now.text)}`);
        }
      }
      continue;
    }
    if (!isRunStep(step)) continue;
    const exit: RunOutcome['exit'] | undefined = observed.exit;
    // An injected errno may stop the runner with a clear error: 70 (a failing disk), or 2 / 3 when it hits
    // the folder checks or the lock. Otherwise a run ends by itself (0, 1) or is killed.
    const errno = step.fail_fs_op !== undefined;
    const endedByItself = exit === 0 || exit === 1;
    if (!endedByItself && exit !== 'killed' && !(errno && (exit === 2 || exit === 3 || exit === 70))) problems.push(`${where}: the run exited ${String(exit)}`);
    // A run that ended by itself on a sound disk. An injected errno may make a run leave work for the next
    // start without failing (an ENOENT from lstat reads as "that file is gone", so recovery skips it):
    // section 3 promises the invariants after recovery, which the next clean run is.
    const clean = endedByItself && !errno;

    // 3. Nothing that existed before was modified or removed, outside pending/, running/ and the runner's own files.
    // A power cut takes back what was never made durable (FFmpeg's `.partial` files, an output published
    // just before a crash that came before the fsync of its folder): only durable files must survive it.
    // What must be durable is checked where it matters: JobSpecs (below) and the outputs of results.
    const cut = step.power_cut_at_fs_op !== undefined && exit === 'killed';
    for (const [path, entry] of before) {
      if (/^watch\/(pending|running)\/./.test(path) || isRunnerScratch(path)) continue;
      if (cut && observed.durableBefore !== null && !observed.durableBefore.has(path)) continue;
      // Files are what must survive; a folder matters through the files in it (an empty state folder the
      // runner made and a power cut took back is made again by the next start).
      if (entry.kind === 'directory') continue;
      const now = after.get(path);
      if (now === undefined) problems.push(`${where}: removed: ${path}`);
      else if (now.kind !== entry.kind || (isFile(now) && isFile(entry) && now.sha256 !== entry.sha256)) {
        problems.push(`${where}: modified: ${path} (${isFile(entry) ? short(entry.text) : entry.kind} -> ${isFile(now) ? short(now.text) : now.kind})`);
      }
    }
    // 5. Nothing written outside the watch folder and the output directory.
    for (const path of after.keys()) {
      if (!before.has(path) && !/^(watch|out)(\/|$)/.test(path)) problems.push(`${where}: written outside watch/ and out/: ${path}`);
    }
    // 1. Every JobSpec handed over is somewhere, byte for byte; after a clean run, exactly once.
    const present = population(after);
    for (const [hash, count] of expected) {
      const n = present.get(hash) ?? 0;
      if (n < count) problems.push(`${where}: JobSpec lost: ${describe(hash)} (expected ${count}, found ${n})`);
      if (clean && n > count) problems.push(`${where}: JobSpec duplicated: ${describe(hash)} (expected ${count}, found ${n})`);
    }
    for (const [path, entry] of after) {
      if (jobSpecFolder(path) !== null && isFile(entry) && !expected.has(entry.sha256)) problems.push(`${where}: JobSpec with bytes nobody dropped: ${path} ${short(entry.text)}`);
    }
    // Contract section 10: a clip with output_exists true has its output, of output_size_bytes bytes.
    problems.push(...outputProblems(after, initial, where));
    if (!clean) continue;

    // After a clean run: nothing running, results beside every settled JobSpec, no temp files.
    for (const [path, entry] of after) {
      if (path.startsWith('watch/running/')) problems.push(`${where}: left in running/: ${path}`);
      if (isResultTemp(path)) problems.push(`${where}: temp file visible: ${path}`);
      if (jobSpecFolder(path) === 'pending' && isFile(entry) && step.run.includes('--once')) {
        const settleZero = step.run.join(' ').includes('--settle-seconds 0');
        if (settleZero || claimableAtOnce(entry)) problems.push(`${where}: claimable JobSpec left in pending/: ${path} ${short(entry.text)}`);
      }
    }
    problems.push(...settledProblems(after, initial, where));
    // Contract section 2 and R11.6: with --once, exit 1 exactly when a job this run filed, by its scan or
    // its recovery, ended FAILED or PARTIAL: a JobSpec new in failed/, or one whose result temp a crashed
    // run left beside it (a settle that recovery finished in this run).
    if (step.run.includes('--once')) {
      const runFailed = [...after.keys()].filter((path) => {
        const match = SETTLED.exec(path);
        const name = match?.[2] ?? '';
        if (match?.[1] !== 'failed' || !isJobSpecName(name)) return false;
        return !before.has(path) || before.has(`watch/failed/${resultTempNameOf(name.slice(0, -'.json'.length))}`);
      });
      if ((exit === 1) !== runFailed.length > 0) problems.push(`${where}: --once exited ${exit} but the run filed ${runFailed.length} job(s) in failed/`);
    }
  }

  if (lastRun === undefined) return [...problems, 'the sequence has no run'];
  if (lastRun.exit !== 0 && lastRun.exit !== 1) problems.push(`final run: exited ${String(lastRun.exit)}`);
  for (const [path, entry] of lastRun.after) {
    if (/^watch\/(pending|running)\/./.test(path)) problems.push(`final run: left behind: ${path} ${isFile(entry) ? short(entry.text) : entry.kind}`);
    if (jobSpecFolder(path) === 'completed' && isFile(entry) && !expectations.mayComplete.has(entry.sha256) && !initialCompleted.has(entry.sha256)) {
      problems.push(`final run: in completed/ although it cannot complete: ${path} ${short(entry.text)}`);
    }
  }
  return problems;
}

/** The tree under watch/ and out/ as short lines, for failure reports. */
export function treeExcerpt(tree: RawTree, max = 80): string {
  const lines: string[] = [];
  for (const [path, entry] of [...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!/^(watch|out)\//.test(path) || entry.kind === 'directory') continue;
    lines.push(isFile(entry) ? `  ${path}  ${entry.size} B  ${short(entry.text)}` : `  ${path}  (${entry.kind})`);
  }
  return (lines.length > max ? [...lines.slice(0, max), `  … ${lines.length - max} more`] : lines).join('\n');
}
