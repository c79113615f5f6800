// The promise of reliability.md section 3, checked on the outcome of a crash scenario: whatever instant
// the runner died at, the JobSpecs it was given are never lost (the killed tree still holds each one
// somewhere), and after the clean restart each is filed exactly once in completed/ or failed/, byte for
// byte, beside exactly one result whose final_status agrees with the folder; nothing is left in
// running/ or pending/, no temp file is visible, and files that were settled before are untouched.

import type { Golden } from '../../src/conformance/golden.ts';
import { firstDifference } from '../../src/conformance/golden.ts';
import type { Tree } from '../../src/conformance/normalize.ts';
import { normaliseFile } from '../../src/conformance/normalize.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { materialise } from '../../src/conformance/tree.ts';

const JOBSPEC = /^watch\/(pending|running|completed|failed)\/([^/]*)\.json$/;
const RESULT = /^watch\/(completed|failed)\/([^/]*)\.result\.json$/;
const placeholders = { root: '{ROOT}', livePid: 0, host: '' };

/** Folder and stem of a JobSpec path (not a result file), or null. */
function jobSpecAt(path: string): { folder: string; stem: string } | null {
  const match = JOBSPEC.exec(path);
  if (match === null || path.endsWith('.result.json')) return null;
  return { folder: match[1] ?? '', stem: match[2] ?? '' };
}

/** The text of every JobSpec handed to the runner (in pending/ or running/), with `{ROOT}` kept. */
function submittedJobSpecs(scenario: Scenario): string[] {
  return Object.entries(scenario.tree)
    .filter(([path]) => jobSpecAt(path) !== null && /^watch\/(pending|running)\//.test(path))
    .map(([, entry]) => {
      const made = materialise(entry, placeholders);
      return made.kind === 'file' ? new TextDecoder().decode(made.bytes) : '';
    });
}

/** Settled files the input tree already had: path → their normalised content. */
function settledBefore(scenario: Scenario): Map<string, unknown> {
  const before = new Map<string, unknown>();
  for (const [path, entry] of Object.entries(scenario.tree)) {
    const made = materialise(entry, placeholders);
    if (/^watch\/(completed|failed)\//.test(path) && made.kind === 'file') before.set(path, normaliseFile(path, made.bytes, { root: '{ROOT}' }));
  }
  return before;
}

function countOf(values: readonly unknown[], value: unknown): number {
  return values.filter((v) => v === value).length;
}

export function crashInvariantProblems(scenario: Scenario, golden: Golden): string[] {
  const problems: string[] = [];
  const submitted = submittedJobSpecs(scenario);
  const before = settledBefore(scenario);
  const killed = golden.runs[0];
  const restarted = golden.runs[golden.runs.length - 1];
  if (killed === undefined || restarted === undefined || golden.runs.length < 2) return ['expected a killed run and a restart'];
  if (killed.exit !== 'killed') problems.push(`the first run was not killed (exit ${killed.exit})`);
  if (restarted.exit === 'killed') problems.push('the restart was killed');

  const jobSpecTexts = (tree: Tree, folders: RegExp): unknown[] =>
    Object.entries(tree)
      .filter(([path]) => jobSpecAt(path) !== null && folders.test(jobSpecAt(path)?.folder ?? '') && !before.has(path))
      .map(([, content]) => content);
  const anywhere = jobSpecTexts(killed.tree, /^(pending|running|completed|failed)$/);
  for (const text of submitted) {
    if (!anywhere.includes(text)) problems.push(`after the crash a JobSpec is nowhere: ${JSON.stringify(text.slice(0, 80))}`);
  }

  const filed = jobSpecTexts(restarted.tree, /^(completed|failed)$/);
  for (const text of submitted) {
    const n = countOf(filed, text);
    if (n !== 1) problems.push(`after the restart a JobSpec is filed ${n} times: ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (filed.length !== submitted.length) problems.push(`${filed.length} JobSpecs filed for ${submitted.length} submitted`);

  for (const path of Object.keys(restarted.tree)) {
    if (/^watch\/(pending|running)\/./.test(path)) problems.push(`left behind: ${path}`);
    if (path.endsWith('.tmp')) problems.push(`temp file visible: ${path}`);
    const jobSpec = jobSpecAt(path);
    if (jobSpec !== null && jobSpec.folder !== 'pending' && jobSpec.folder !== 'running') {
      const result = restarted.tree[`watch/${jobSpec.folder}/${jobSpec.stem}.result.json`];
      const status = result !== null && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>)['final_status'] : undefined;
      const agrees = jobSpec.folder === 'completed' ? status === 'COMPLETED' : status === 'FAILED' || status === 'PARTIAL';
      if (!agrees) problems.push(`${path}: no result beside it whose final_status fits ${jobSpec.folder}/ (got ${String(status)})`);
    }
    const result = RESULT.exec(path);
    if (result !== null && !(`watch/${result[1]}/${result[2]}.json` in restarted.tree)) problems.push(`result without its JobSpec: ${path}`);
  }
  for (const [path, content] of before) {
    const diff = path in restarted.tree ? firstDifference(content, restarted.tree[path]) : '(missing)';
    if (diff !== null) problems.push(`settled before, changed or removed: ${path} ${diff}`);
  }
  return problems;
}
