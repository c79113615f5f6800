// Property tests (reliability.md sections 3-4): random sequences of drops (valid single- and multi-clip
// jobs whose clips complete, fail, lack a source or kill the runner; invalid JSON, unknown fields,
// half-written text that its writer may finish later, names colliding with settled JobSpecs, over 1 MiB,
// empty), clock advances, --once runs, runs killed or cut off from power before a random filesystem
// operation, runs where one operation (or every one from there) fails with an errno, and continuous runs
// stopped by SIGTERM; then the clock passes the settle window and a clean --once runs. The invariants of
// section 3 must hold after every step and at the end (sequence-invariants.ts).
//
// A failure prints fast-check's report (seed, path, shrunk commands), the problems with the final tree,
// the command line that replays it, and the shrunk sequence as a scenario file:
//   PROPERTY_SEED=<seed> PROPERTY_PATH=<path> npx vitest run --project crash spec/crash/properties.test.ts
// PROPERTY_RUNS=<n> sets the number of sequences (default below: about 15 s here); every run prints its seed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioProblems } from '../../src/conformance/scenario.ts';
import { materialise } from '../../src/conformance/tree.ts';
import { resultTempNameOf } from '../../src/runner/filing-names.ts';
import { FAKE_HOST } from '../harness/fake-host.ts';
import { MEMORY_ROOT } from '../harness/memory-run.ts';
import { isFsError } from '../../src/ports.ts';
import type { Observation, RawEntry } from './observed-run.ts';
import { runObserved, sha256 } from './observed-run.ts';
import type { Command } from './sequence-model.ts';
import { buildScenario, commandsArb } from './sequence-model.ts';
import { sequenceInvariantProblems, treeExcerpt } from './sequence-invariants.ts';

const NUM_RUNS = Number(process.env['PROPERTY_RUNS'] ?? 400);
/** Chosen here rather than by fast-check, so that a passing run can be repeated too. */
const SEED = process.env['PROPERTY_SEED'] === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env['PROPERTY_SEED']);
const PATH = process.env['PROPERTY_PATH'];

const placeholders = { root: MEMORY_ROOT, livePid: FAKE_HOST.livePid, host: FAKE_HOST.hostname };

function hashOfEntry(entry: unknown): string {
  const made = materialise(entry, placeholders);
  return made.kind === 'file' ? sha256(made.bytes) : '';
}

/** What one checked sequence produced: its problems, and the final tree for the report. */
interface Verdict {
  readonly problems: string[];
  readonly observation: Observation;
  readonly runs: number;
  readonly killed: number;
}

/** Deliberate damage to what the checker sees, to show that the property can fail (null: none). */
type Tamper = ((observation: Observation) => Observation) | null;

async function checkSequence(commands: readonly Command[], tamper: Tamper = null): Promise<Verdict> {
  const built = buildScenario(commands);
  const invalid = scenarioProblems(built.scenario);
  if (invalid.length > 0) throw new Error(`the built scenario is not a valid scenario file: ${invalid.join('; ')}`);
  let observed: Observation;
  try {
    observed = await runObserved(built.scenario);
  } catch (error) {
    // runApp is to turn every filesystem error into an exit code and one line (contract section 2); one
    // that escapes it reaches the CLI's last-resort handler (exit 70 with a stack trace) and ends the
    // in-memory scenario, so nothing after it can be checked.
    if (!isFsError(error)) throw error;
    const problems = [`a filesystem error escaped runApp instead of becoming an exit code: ${error.message}`];
    return { problems, observation: { initial: new Map(), steps: [] }, runs: 0, killed: 0 };
  }
  const observation = tamper === null ? observed : tamper(observed);
  const problems = sequenceInvariantProblems(observation, {
    mayComplete: new Set(built.mayComplete.map(hashOfEntry)),
    overwrites: built.overwrites,
  });
  const runs = observation.steps.filter((s) => s.exit !== undefined);
  return { problems, observation, runs: runs.length, killed: runs.filter((s) => s.exit === 'killed').length };
}

class InvariantsBroken extends Error {
  constructor(readonly verdict: Verdict) {
    const last = verdict.observation.steps[verdict.observation.steps.length - 1];
    super(`${verdict.problems.length} invariant problem(s):\n${verdict.problems.map((p) => `  - ${p}`).join('\n')}\nfinal tree:\n${last === undefined ? '' : treeExcerpt(last.after)}`);
    this.name = 'InvariantsBroken';
  }
}

/**
 * The property's failure report: fast-check's own (seed, path, shrunk commands, the error) plus the shrunk
 * sequence as the scenario file it stands for, and the command line that replays it.
 */
function scenarioReport(): fc.Plugin<[Command[]]> {
  return () => ({
    onAllRunsComplete: async (details) => {
      if (!details.failed) return;
      const message = (await fc.asyncDefaultReportMessage(details)) ?? 'Property failed';
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      const commands = details.counterexample?.[0];
      const scenario = commands === undefined ? null : buildScenario(commands).scenario;
      throw new Error(
        [
          message,
          '',
          error,
          '',
          `Replay: PROPERTY_SEED=${details.seed} PROPERTY_PATH=${details.counterexamplePath ?? ''} npx vitest run --project crash spec/crash/properties.test.ts`,
          'Shrunk scenario (run it with runScenarioInMemory, or save it under fixtures/):',
          '--- scenario json ---',
          JSON.stringify(scenario, null, 2),
          '--- end scenario json ---',
        ].join('\n'),
      );
    },
  });
}

interface Totals {
  sequences: number;
  commands: number;
  runs: number;
  killed: number;
}

async function assertInvariants(params: { numRuns: number; seed?: number; path?: string; tamper?: Tamper; totals?: Totals }): Promise<void> {
  const property = fc.asyncProperty(commandsArb, async (commands) => {
    const verdict = await checkSequence(commands, params.tamper ?? null);
    if (params.totals !== undefined) {
      params.totals.sequences += 1;
      params.totals.commands += commands.length;
      params.totals.runs += verdict.runs;
      params.totals.killed += verdict.killed;
    }
    if (verdict.problems.length > 0) throw new InvariantsBroken(verdict);
  });
  await fc.assert(property, {
    numRuns: params.numRuns,
    ...(params.seed === undefined ? {} : { seed: params.seed }),
    ...(params.path === undefined ? {} : { path: params.path }),
    plugins: [scenarioReport()],
  });
}

describe('random sequences of drops, clock advances, runs, crashes, power cuts, errnos and stops', () => {
  it('keep the invariants of reliability section 3 after every step and after a final clean run', async () => {
    const totals: Totals = { sequences: 0, commands: 0, runs: 0, killed: 0 };
    const started = Date.now();
    await assertInvariants({ numRuns: NUM_RUNS, seed: SEED, ...(PATH === undefined ? {} : { path: PATH }), totals });
    console.log(
      `property: ${totals.sequences} sequences (incl. shrinking), ${totals.commands} commands, ${totals.runs} runner runs ` +
        `(${totals.killed} killed) in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}`,
    );
    expect(totals.sequences).toBeGreaterThanOrEqual(Math.min(NUM_RUNS, 1));
  });
});

describe('the property can fail', () => {
  it('reports the seed, the path and a shrunk scenario when the checker is shown a tree that lost a failed/ JobSpec', async () => {
    // Deliberately broken checker input: the final tree forgets every JobSpec the sequence filed in failed/.
    const loseFailed: Tamper = (observation) => {
      const steps = [...observation.steps];
      const last = steps.pop();
      if (last === undefined) return observation;
      const after = new Map([...last.after].filter(([path]) => !/^watch\/failed\/(?!bad\.)[^/]*\.json$/.test(path)));
      return { ...observation, steps: [...steps, { ...last, after }] };
    };
    let message = '';
    try {
      await assertInvariants({ numRuns: 100, seed: 42, tamper: loseFailed });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/seed: 42/);
    expect(message).toMatch(/Counterexample: /);
    expect(message).toMatch(/PROPERTY_SEED=42 PROPERTY_PATH=\d+(:\d+)*/);
    expect(message).toMatch(/JobSpec lost/);
    const json = /--- scenario json ---\n([\s\S]*)\n--- end scenario json ---/.exec(message)?.[1] ?? 'null';
    const scenario: unknown = JSON.parse(json);
    expect(scenarioProblems(scenario)).toEqual([]);
    // Shrunk to the essence: one drop (that ends in failed/), then the final clean run.
    const steps = (scenario as { steps: unknown[] }).steps;
    expect(steps.filter((s) => typeof s === 'object' && s !== null && 'write' in s)).toHaveLength(1);
  });

  it('each invariant catches its own kind of damage', async () => {
    const commands: Command[] = [
      { do: 'drop', content: { kind: 'valid', clips: ['ok', 'ok'] }, naming: { kind: 'fresh', style: 0 } },
      { do: 'drop', content: { kind: 'empty' }, naming: { kind: 'fresh', style: 1 } },
      { do: 'run', settleZero: false },
    ];
    expect((await checkSequence(commands)).problems).toEqual([]);
    const lastAfter = (edit: (tree: Map<string, RawEntry>) => void): Tamper => (observation) => {
      const steps = [...observation.steps];
      const last = steps.pop();
      if (last === undefined) return observation;
      const after = new Map(last.after);
      edit(after);
      return { ...observation, steps: [...steps, { ...last, after }] };
    };
    const damages: Array<[string, Tamper, RegExp]> = [
      ['a completed JobSpec changes one byte', lastAfter((t) => void t.set('watch/completed/j1.json', { kind: 'file', size: 1, sha256: 'x', text: 'x' })), /bytes nobody dropped: watch\/completed\/j1\.json/],
      ['a settled file of the input tree vanishes', lastAfter((t) => void t.delete('watch/completed/done.result.json')), /removed: watch\/completed\/done\.result\.json/],
      ['a temp file stays visible', lastAfter((t) => void t.set(`watch/failed/${resultTempNameOf('x')}`, { kind: 'file', size: 0, sha256: 'e', text: '' })), /temp file visible/],
      ['a file appears outside watch/ and out/', lastAfter((t) => void t.set('media/stray.txt', { kind: 'file', size: 0, sha256: 'e', text: '' })), /written outside watch\/ and out\//],
      ['a JobSpec stays in running/', lastAfter((t) => void t.set('watch/running/j9.json', { kind: 'file', size: 2, sha256: 'f', text: '{}' })), /left in running\//],
      ['an output its result lists is gone', lastAfter((t) => void t.delete('out/p1_p1-2.mp4')), /says \/scenario\/out\/p1_p1-2\.mp4 exists, but it does not/],
      ['a JobSpec is filed twice', lastAfter((t) => void t.set('watch/failed/j1.json', t.get('watch/completed/j1.json') ?? { kind: 'directory' })), /JobSpec duplicated/],
      ['a result disagrees with its folder', lastAfter((t) => void t.set('watch/completed/j1.result.json', { kind: 'file', size: 30, sha256: 'r', text: '{"final_status": "FAILED"}' })), /final_status "FAILED" in completed\//],
    ];
    for (const [what, tamper, expected] of damages) {
      const { problems } = await checkSequence(commands, tamper);
      expect(problems.join('\n'), what).toMatch(expected);
    }
  });
});
