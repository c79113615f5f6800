// The conformance run (design section 4): every scenario tagged `portable` (optionally filtered; at `core`
// not those tagged `reference`) runs against the implementation's command line, a few at a time, and is
// compared with its golden.

import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Divergence, Level } from './compare.ts';
import { compareWithGolden } from './compare.ts';
import type { ExternalRunLog, ExternalRunOptions } from './external-run.ts';
import { runScenarioExternally } from './external-run.ts';
import type { LoadedScenario } from './fixtures.ts';
import { goldenPathOf, loadScenarios } from './fixtures.ts';
import type { Golden } from './golden.ts';
import { isGolden } from './golden.ts';

export interface SuiteOptions extends ExternalRunOptions {
  /** Where scenario directories are created. */
  readonly workDir: string;
  readonly fixturesDir: string;
  readonly goldenDir: string;
  readonly level: Level;
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
  /** `error`: the scenario could not be run or compared at all (missing golden, unsupported step). */
  readonly outcome: 'pass' | 'fail' | 'error';
  readonly expectedToFail: boolean;
  readonly divergence: Divergence | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** The scenario's directory (kept only with `keep`). */
  readonly root: string | null;
  readonly logs: readonly ExternalRunLog[];
}

/** Portable scenarios matching a filter; at `core`, not those tagged `reference` (they pin this implementation's own choices). */
export function selectPortable(scenarios: readonly LoadedScenario[], filters: readonly string[], level: Level): LoadedScenario[] {
  const patterns = filters.map((f) => new RegExp(f, 'u'));
  const runs = (tags: readonly string[]): boolean => tags.includes('portable') && !(level === 'core' && tags.includes('reference'));
  return scenarios.filter(({ id, scenario }) => runs(scenario.tags) && (patterns.length === 0 || patterns.some((p) => p.test(id))));
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
  const started = Date.now();
  const expectedToFail = options.expectedFailures.has(id);
  // `parse/bad-codec` → `parse.bad-codec-XXXXXX`; the real path, because runners report real paths.
  const root = realpathSync(mkdtempSync(join(options.workDir, `${id.replaceAll('/', '.')}-`)));
  let logs: readonly ExternalRunLog[] = [];
  try {
    const golden = readGolden(options.goldenDir, id);
    const run = await runScenarioExternally(scenario, root, options);
    logs = run.logs;
    const divergence = compareWithGolden(golden, run.runs, options.level);
    return { id, outcome: divergence === null ? 'pass' : 'fail', expectedToFail, divergence, error: null, durationMs: Date.now() - started, root, logs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { id, outcome: 'error', expectedToFail, divergence: null, error: message, durationMs: Date.now() - started, root, logs };
  } finally {
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }
}

/** The verdict of every selected portable scenario, in id order. */
export async function runSuite(options: SuiteOptions): Promise<Verdict[]> {
  const selected = selectPortable(loadScenarios(options.fixturesDir), options.filters, options.level);
  const verdicts = await inParallel(selected, options.jobs, (loaded) => checkScenario(loaded, options));
  return verdicts.map((v) => (options.keep ? v : { ...v, root: null }));
}
