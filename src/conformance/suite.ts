// The conformance run: every scenario tagged `portable` of the chosen tier (optionally filtered) runs
// against the implementation's command line, a few at a time, and is compared with its golden; one that
// the level does not check (compare.ts skipReason) is reported as skipped without running.

import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Difference, Level } from './compare.ts';
import { compareWithGolden, skipReason } from './compare.ts';
import type { ExternalRunLog, ExternalRunOptions } from './external-run.ts';
import { runScenarioExternally } from './external-run.ts';
import type { LoadedScenario } from './fixtures.ts';
import { goldenPathOf, loadScenarios } from './fixtures.ts';
import type { Golden } from './golden.ts';
import { isGolden } from './golden.ts';
import type { Tier } from './scenario.ts';
import { inTier } from './scenario.ts';

export interface SuiteOptions extends ExternalRunOptions {
  /** Where scenario directories are created. */
  readonly workDir: string;
  /** The folder of the scenario files: `<id>.json` under it. */
  readonly scenariosDir: string;
  readonly goldenDir: string;
  readonly level: Level;
  readonly tier: Tier;
  /** Keep scenarios whose id matches one of these regular expressions (all when empty). */
  readonly filters: readonly string[];
  readonly expectedFailures: ReadonlySet<string>;
  /** How many scenarios run at once. */
  readonly jobs: number;
  /** Keep each scenario's directory for inspection. */
  readonly keep: boolean;
}

export interface Verdict {
  readonly id: string;
  /** The scenario's one-line description of the behaviour it pins. */
  readonly description: string;
  /**
   * `error`: the scenario could not be run or compared at all (missing golden, unsupported step);
   * `skip`: not checked at this level (see `skipped`).
   */
  readonly outcome: 'pass' | 'fail' | 'error' | 'skip';
  readonly expectedToFail: boolean;
  /** Every difference from the golden (empty unless the outcome is `fail`). */
  readonly differences: readonly Difference[];
  readonly error: string | null;
  /** Why the scenario was skipped, or null. */
  readonly skipped: string | null;
  readonly durationMs: number;
  /** The scenario's directory (kept only with `keep`). */
  readonly root: string | null;
  readonly logs: readonly ExternalRunLog[];
}

/** The portable scenarios of a run at `tier` whose id matches a filter (those a level does not check are skipped later, and reported: compare.ts skipReason). */
export function selectPortable(scenarios: readonly LoadedScenario[], filters: readonly string[], tier: Tier): LoadedScenario[] {
  const patterns = filters.map((f) => new RegExp(f, 'u'));
  return scenarios.filter(
    ({ id, scenario }) => (scenario.tags as readonly string[]).includes('portable') && inTier(scenario, tier) && (patterns.length === 0 || patterns.some((p) => p.test(id))),
  );
}

/** Runs `work` over `items` with at most `jobs` in flight; results keep the items' order. */
async function inParallel<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) results[i] = await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

function readGolden(goldenDir: string, id: string): Golden {
  const file = goldenPathOf(goldenDir, id);
  if (!existsSync(file)) throw new Error(`missing golden ${file}`);
  const golden: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isGolden(golden)) throw new Error(`${file} is not a valid golden file`);
  return golden;
}

async function checkScenario({ id, scenario }: LoadedScenario, options: SuiteOptions): Promise<Verdict> {
  const expectedToFail = options.expectedFailures.has(id);
  const { description } = scenario;
  const skipped = skipReason(scenario.tags, options.level);
  if (skipped !== null) return { id, description, outcome: 'skip', expectedToFail, differences: [], error: null, skipped, durationMs: 0, root: null, logs: [] };
  const started = Date.now();
  // `parse/bad-codec` → `parse.bad-codec-XXXXXX`; the real path, because runners report real paths.
  const root = realpathSync(mkdtempSync(join(options.workDir, `${id.replaceAll('/', '.')}-`)));
  let logs: readonly ExternalRunLog[] = [];
  try {
    const golden = readGolden(options.goldenDir, id);
    const run = await runScenarioExternally(scenario, root, options);
    logs = run.logs;
    const differences = compareWithGolden(golden, run.runs, options.level);
    const outcome = differences.length === 0 ? 'pass' : 'fail';
    return { id, description, outcome, expectedToFail, differences, error: null, skipped: null, durationMs: Date.now() - started, root, logs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { id, description, outcome: 'error', expectedToFail, differences: [], error: message, skipped: null, durationMs: Date.now() - started, root, logs };
  } finally {
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }
}

/** The verdict of every selected portable scenario, in id order. */
export async function runSuite(options: SuiteOptions): Promise<Verdict[]> {
  const selected = selectPortable(loadScenarios(options.scenariosDir), options.filters, options.tier);
  const verdicts = await inParallel(selected, options.jobs, (loaded) => checkScenario(loaded, options));
  return verdicts.map((v) => (options.keep ? v : { ...v, root: null }));
}
