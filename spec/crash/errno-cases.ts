// The errno matrix (reliability section 4): every operation of a workload's run × every errno × once,
// persistent (that operation and every later one) or a full disk (from that operation on, every operation
// that needs new space fails with ENOSPC or EIO, while reads, links, renames and unlinks still work).
// Each case is the faulted --once run and then a clean restart, checked for:
//   - nothing escapes runApp but an exit code (0, 1, 2 or 70), and a failing disk (EIO, ENOSPC, EMFILE) is
//     not reported as a configuration error (2);
//   - the invariants of crash-invariants.ts after both runs (nothing lost or duplicated, running/ only
//     after exit 70, a parseable result that agrees with its folder and gives a reason, nothing that
//     existed changed, no temp files after a clean exit), and after the restart everything is filed;
//   - under a persistent ENOSPC or EIO (or a full disk) no JobSpec that was not claimed before the first
//     failure is filed in failed/: pending/ is never drained because the disk is full or failing;
//   - a JobSpec that completes without faults is never filed as failed because of EIO, ENOSPC or EMFILE:
//     those are the runner's trouble, not the JobSpec's, and stop the runner instead.

import type { FsFaultCode, RunStep } from '../../src/conformance/steps.ts';
import { FS_FAULT_CODES } from '../../src/conformance/steps.ts';
import type { FsOp } from '../harness/crash-at-op-fs.ts';
import { MEMORY_ROOT } from '../harness/memory-run.ts';
import { materialise } from '../../src/conformance/tree.ts';
import { invariantProblems } from '../generated/crash-invariants.ts';
import type { Played } from './explore.ts';
import { play } from './explore.ts';
import type { Workload } from './workloads.ts';

export type Persistence = 'once' | 'persistent' | 'full disk';

export interface ErrnoCase {
  readonly at: number;
  readonly code: FsFaultCode;
  readonly persistence: Persistence;
}

/** Codes that say the disk or the runner itself is in trouble. */
const SICK = new Set<string>(['EIO', 'ENOSPC', 'EMFILE']);
const EXITS = new Set<unknown>([0, 1, 2, 70]);
/** A workload's run: `--once` and the workload's own arguments. */
function runOf(workload: Pick<Workload, 'args'>): RunStep {
  return { run: ['--once', ...(workload.args ?? [])] };
}

export function faultedStep({ at, code, persistence }: ErrnoCase, workload: Pick<Workload, 'args'> = {}): RunStep {
  if (persistence === 'once') return { ...runOf(workload), fail_fs_op: { at, code } };
  if (persistence === 'persistent') return { ...runOf(workload), fail_fs_op: { at, code, persistent: true } };
  return { ...runOf(workload), fail_fs_op: { at, code, persistent: true, only: 'writes' } };
}

/** What a fault-free run of the workload does, which every case is compared with. */
export interface Baseline {
  readonly ops: readonly FsOp[];
  /** The text of every JobSpec that ends in completed/ without faults. */
  readonly completing: ReadonlySet<string>;
}

export async function baselineOf(workload: Workload): Promise<Baseline> {
  const played = await play(workload, [runOf(workload)]);
  const tree = played.golden.runs[0]?.tree ?? {};
  const completing = Object.entries(tree)
    .filter(([path, content]) => /^watch\/completed\/[^/]*\.json$/.test(path) && !path.endsWith('.result.json') && typeof content === 'string')
    .map(([, content]) => String(content));
  return { ops: played.ops[0] ?? [], completing: new Set(completing) };
}

export function casesOf(baseline: Baseline): ErrnoCase[] {
  const cases: ErrnoCase[] = [];
  for (let at = 1; at <= baseline.ops.length; at += 1) {
    for (const code of FS_FAULT_CODES) {
      cases.push({ at, code, persistence: 'once' }, { at, code, persistence: 'persistent' });
      if (code === 'ENOSPC' || code === 'EIO') cases.push({ at, code, persistence: 'full disk' });
    }
  }
  return cases;
}

/** Texts of the JobSpecs in running/ at the start or claimed by an operation before `firstFailure`. */
function claimedBefore(workload: Workload, baseline: Baseline, firstFailure: number): Set<string> {
  const names = new Set(Object.keys(workload.tree).filter((path) => path.startsWith('watch/running/')));
  baseline.ops.slice(0, firstFailure - 1).forEach((op) => {
    if (op.name === 'rename' && op.paths[0]?.startsWith(`${MEMORY_ROOT}/watch/pending/`)) names.add(op.paths[0].slice(MEMORY_ROOT.length + 1));
  });
  return new Set([...names].map((path) => textOf(workload.tree[path])));
}

function textOf(entry: unknown): string {
  const made = materialise(entry, { root: '{ROOT}', livePid: 0, host: '' });
  return made.kind === 'file' ? new TextDecoder().decode(made.bytes) : '';
}

function failedTexts(played: Played): string[] {
  return Object.entries(played.golden.runs[0]?.tree ?? {})
    .filter(([path]) => /^watch\/failed\/[^/]*\.json$/.test(path) && !path.endsWith('.result.json'))
    .map(([, content]) => String(content));
}

/**
 * An injected ENOENT on the lstat of a JobSpec that recovery just listed in running/ says it vanished, and
 * the runner cannot know better: it stays there for the next start (which the clean restart checks).
 */
function isPhantomVanish(baseline: Baseline, c: ErrnoCase, problem: string): boolean {
  const op = baseline.ops[c.at - 1];
  const phantom = c.code === 'ENOENT' && c.persistence === 'once' && op?.name === 'lstat' && op.paths[0]?.startsWith(`${MEMORY_ROOT}/watch/running/`) === true;
  return phantom && /^run 1: left in running\/ after exit [01]:/.test(problem);
}

export async function errnoCaseProblems(workload: Workload, baseline: Baseline, c: ErrnoCase): Promise<string[]> {
  let played: Played;
  try {
    played = await play(workload, [faultedStep(c, workload), runOf(workload)], `errno matrix: ${workload.what}`);
  } catch (error) {
    return [`escaped runApp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`];
  }
  return errnoRuleProblems(workload, baseline, c, played);
}

/** The matrix's rules on a played case (separate from playing it, so a test can feed it violations). */
export function errnoRuleProblems(workload: Workload, baseline: Baseline, c: ErrnoCase, played: Played): string[] {
  const problems = invariantProblems(played.scenario, played.golden.runs, { settledAtEnd: true }).filter((p) => !isPhantomVanish(baseline, c, p));
  const exit = played.golden.runs[0]?.exit;
  if (!EXITS.has(exit)) problems.push(`faulted run: exit ${String(exit)}`);
  if (SICK.has(c.code) && exit === 2) problems.push(`faulted run: a failing disk (${c.code}) reported as a configuration error (exit 2)`);

  const failed = failedTexts(played);
  const firstFailure = played.reports[0]?.firstFailure ?? null;
  if (c.persistence !== 'once' && (c.code === 'ENOSPC' || c.code === 'EIO') && firstFailure !== null) {
    const claimed = claimedBefore(workload, baseline, firstFailure);
    for (const text of failed) if (!claimed.has(text)) problems.push(`drained: a JobSpec not claimed before the first ${c.code} was filed in failed/`);
  }
  if (SICK.has(c.code)) {
    for (const text of failed) {
      if (baseline.completing.has(text)) problems.push(`a good JobSpec was filed in failed/ because of the runner's own ${c.code}`);
    }
  }
  return problems;
}
