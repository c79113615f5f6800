// Golden files: for each `run` step of a scenario, the exit code and the normalised tree after it (for a
// `concurrently` step, every runner's exit, sorted, and the tree once all of them ended).
// Canonical JSON (2 spaces, LF, trailing newline) so that a changed golden reads well in a diff, and the
// differences between two such documents (every one, or the first).

import Type from 'typebox';
import Value from 'typebox/value';
import type { Tree } from './normalize.ts';

const RunExitSchema = Type.Union([Type.Integer(), Type.Literal('killed')], { description: 'Exit code, or "killed" when the runner died mid-run' });

export const RunOutcomeSchema = Type.Object(
  {
    exit: Type.Union([RunExitSchema, Type.Array(RunExitSchema, { description: 'A concurrently step: each runner\'s exit, codes ascending, then "killed"' })]),
    tree: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export const GoldenSchema = Type.Object({ runs: Type.Array(RunOutcomeSchema) }, { additionalProperties: false });

/** How one runner's run ended. */
export type RunExit = number | 'killed';

export interface RunOutcome {
  /** One run step's exit, or a concurrently step's exits (sorted). */
  exit: RunExit | RunExit[];
  tree: Tree;
}

export interface Golden {
  runs: RunOutcome[];
}

export function isGolden(value: unknown): value is Golden {
  return Value.Check(GoldenSchema, value);
}

export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A place where two JSON documents differ: the keys and indexes down to it. */
export interface JsonDifference {
  readonly path: readonly (string | number)[];
  /** Same keys and values but another order (key order is part of the contract, section 10). */
  readonly keyOrder: boolean;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The JSON pointer of a difference, with ` (key order)` when only the order of keys differs. */
export function jsonPointer({ path, keyOrder }: JsonDifference): string {
  const pointer = path.length === 0 ? '/' : path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  return keyOrder ? `${pointer} (key order)` : pointer;
}

/**
 * Every place where `actual` differs from `expected`, in the expected document's order (keys only `actual`
 * has come after its own): a missing or extra key or item is one difference, not descended into; an object
 * whose shared keys come in another order is one more, after those inside it.
 */
export function jsonDifferences(expected: unknown, actual: unknown): JsonDifference[] {
  const found: JsonDifference[] = [];
  const walk = (e: unknown, a: unknown, at: (string | number)[]): void => {
    if (Object.is(e, a)) return;
    if (Array.isArray(e) && Array.isArray(a)) {
      for (let i = 0; i < Math.max(e.length, a.length); i += 1) {
        if (i >= e.length || i >= a.length) found.push({ path: [...at, i], keyOrder: false });
        else walk(e[i], a[i], [...at, i]);
      }
      return;
    }
    if (isPlainObject(e) && isPlainObject(a)) {
      for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
        if (!(key in e) || !(key in a)) found.push({ path: [...at, key], keyOrder: false });
        else walk(e[key], a[key], [...at, key]);
      }
      const shared = (of: Record<string, unknown>, other: Record<string, unknown>): string => Object.keys(of).filter((k) => k in other).join('\u0000');
      if (shared(e, a) !== shared(a, e)) found.push({ path: at, keyOrder: true });
      return;
    }
    found.push({ path: at, keyOrder: false });
  };
  walk(expected, actual, []);
  return found;
}

/** The JSON pointer of the first place where `actual` differs from `expected`, or null when equal. */
export function firstDifference(expected: unknown, actual: unknown): string | null {
  const [first] = jsonDifferences(expected, actual);
  return first === undefined ? null : jsonPointer(first);
}
