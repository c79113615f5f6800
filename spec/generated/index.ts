// Every generated scenario family, in one list. A family is one module whose function returns
// `{ id, scenario }[]` with ids `generated/<family>/<name>`; its goldens live in golden/generated/<family>/.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import { crashScenarios } from './crash.ts';
import { enumScenarios } from './enum.ts';
import { matrixScenarios } from './matrix.ts';
import { multiClipScenarios } from './multi-clip.ts';
import { namingScenarios } from './naming.ts';
import { precedenceScenarios } from './precedence.ts';
import { wrongTypeScenarios } from './wrong-type.ts';

/** The family of a generated id: `generated/<family>/<name>` → `<family>`. */
export function familyOf(id: string): string {
  return id.split('/')[1] ?? '';
}

/**
 * All generated scenarios, less the families named in `skip`. Async because the crash family runs its
 * workloads to find the crash points.
 */
export async function generatedScenarios(skip: ReadonlySet<string> = new Set()): Promise<LoadedScenario[]> {
  return [
    ...wrongTypeScenarios(),
    ...enumScenarios(),
    ...matrixScenarios(),
    ...namingScenarios(),
    ...multiClipScenarios(),
    ...precedenceScenarios(),
    ...(skip.has('crash') ? [] : await crashScenarios()),
  ];
}
