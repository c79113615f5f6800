// Golden files: for each `run` step of a scenario, the exit code and the normalised tree after it.
// Canonical JSON (2 spaces, LF, trailing newline) so that a changed golden reads well in a diff.

import Type from 'typebox';
import Value from 'typebox/value';
import type { Tree } from './normalize.ts';

export const RunOutcomeSchema = Type.Object(
  {
    exit: Type.Union([Type.Integer(), Type.Literal('killed')], { description: 'Exit code, or "killed" when the runner died mid-run' }),
    tree: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export const GoldenSchema = Type.Object({ runs: Type.Array(RunOutcomeSchema) }, { additionalProperties: false });

export interface RunOutcome {
  exit: number | 'killed';
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

function jsonPointer(parts: readonly (string | number)[]): string {
  return parts.length === 0 ? '/' : parts.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** The JSON pointer of the first place where `actual` differs from `expected`, or null when equal. */
export function firstDifference(expected: unknown, actual: unknown, at: (string | number)[] = []): string | null {
  if (Object.is(expected, actual)) return null;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i += 1) {
      const diff = firstDifference(expected[i], actual[i], [...at, i]);
      if (diff !== null) return diff;
    }
    return null;
  }
  if (expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
    for (const key of keys) {
      if (!(key in e) || !(key in a)) return jsonPointer([...at, key]);
      const diff = firstDifference(e[key], a[key], [...at, key]);
      if (diff !== null) return diff;
    }
    // Same keys and values but another order: key order is part of the contract (section 10).
    return Object.keys(e).join('\u0000') === Object.keys(a).join('\u0000') ? null : `${jsonPointer(at)} (key order)`;
  }
  return jsonPointer(at);
}
