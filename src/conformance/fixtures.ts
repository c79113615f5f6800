// Loading the scenario files under a folder (fixtures/, or suite/scenarios/ for the whole suite) and
// locating their goldens: a scenario's id is its path under the folder without `.json`, its golden is
// `<golden folder>/<id>.json`.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Scenario } from './scenario.ts';
import { scenarioProblems } from './scenario.ts';

export interface LoadedScenario {
  /** `area/name` (or `generated/<family>/<name>`), the path under the folder without `.json`. */
  readonly id: string;
  readonly scenario: Scenario;
}

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every scenario under `dir`; throws with the file name on an invalid one. */
export function loadScenarios(dir: string): LoadedScenario[] {
  return jsonFilesUnder(dir).map((file) => {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const problems = scenarioProblems(value);
    if (problems.length > 0) throw new Error(`${file}: invalid scenario: ${problems.join('; ')}`);
    return { id: relative(dir, file).slice(0, -'.json'.length), scenario: value as Scenario };
  });
}

export function goldenPathOf(goldenDir: string, id: string): string {
  return join(goldenDir, `${id}.json`);
}
