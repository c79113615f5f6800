// The conformance runner must catch an implementation that is wrong: run against small altered versions
// of our CLI (spec/conformance/altered-runner.mjs), it names exactly the scenarios the alteration
// affects, at the path where they differ, and honours --expect; a command that never runs is named as such.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceRun } from './conformance-cli.ts';
import { alteredImpl, runConformance } from './conformance-cli.ts';

/** PARTIAL, PARTIAL, FAILED, FAILED after a crash, COMPLETED, a usage error: each alteration hits some. */
const SCENARIOS = [
  'parse/bad-codec',
  'validate/lut-id-set',
  'execution/exit-code',
  'recovery/kill-runner-mid-clip-then-recovered',
  'lifecycle/single-clip-completes',
  'cli/unknown-option-exit-2',
];
const FILTERS = SCENARIOS.flatMap((id) => ['--filter', `^${id}$`]);
const scratch = mkdtempSync(join(tmpdir(), 'divergence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const descriptionOf = (id: string): string => (JSON.parse(readFileSync(join(FIXTURES, `${id}.json`), 'utf8')) as { description: string }).description;

function failing(run: ConformanceRun): [string, string | null][] {
  return run.scenarios.filter((s) => s.outcome !== 'pass').map((s) => [s.id, s.first_difference]);
}

describe('the conformance runner catches divergence', () => {
  it('rewriting PARTIAL to FAILED fails exactly the PARTIAL scenarios, at final_status', async () => {
    const run = await runConformance(alteredImpl('partial-as-failed'), FILTERS);

    expect(run.scenarios.map((s) => s.id).sort()).toEqual([...SCENARIOS].sort());
    expect(failing(run)).toEqual([
      ['parse/bad-codec', '/runs/0/tree/watch~1failed~1job.result.json/final_status'],
      ['validate/lut-id-set', '/runs/0/tree/watch~1failed~1job.result.json/final_status'],
    ]);
    const lines = run.stdout.split('\n');
    const block = lines.indexOf(`FAIL parse/bad-codec: ${descriptionOf('parse/bad-codec')}`);
    expect(block).toBeGreaterThanOrEqual(0);
    expect(lines[block + 1]).toBe('  run 1: watch/failed/job.result.json → final_status: expected "PARTIAL", got "FAILED"');
    expect(run.stdout.split('\n')).toContain('4 passed, 2 failed');
    expect(run.exitCode).toBe(1);
    expect(run.junit).toContain('failures="2" errors="0"');
  });

  it('leaving FAILED jobs in running/ is caught at core level too, and --expect turns known failures into a pass', async () => {
    const expectFile = join(scratch, 'expected.txt');
    writeFileSync(expectFile, '# known divergences of the altered runner\nexecution/exit-code\nrecovery/kill-runner-mid-clip-then-recovered\n');
    const run = await runConformance(alteredImpl('failed-left-in-running'), [...FILTERS, '--level', 'core', '--expect', expectFile]);

    expect(failing(run)).toEqual([
      ['execution/exit-code', '/runs/0/tree/watch~1failed~1job.json'],
      ['recovery/kill-runner-mid-clip-then-recovered', '/runs/1/tree/watch~1failed~1job.json'],
    ]);
    expect(run.stdout).toMatch(/^XFAIL execution\/exit-code: run 1: watch\/failed\/job\.json: expected "\{\\n  \\"jobspec_version.*, got no file \(and \d+ more differences\)$/m);
    expect(run.stdout.split('\n')).toContain('4 passed, 2 failed');
    expect(run.exitCode).toBe(0);
  });

  it('reports a scenario listed in --expect that passes, and fails the run', async () => {
    const expectFile = join(scratch, 'expected.json');
    writeFileSync(expectFile, JSON.stringify(['lifecycle/single-clip-completes']));
    const run = await runConformance(alteredImpl('partial-as-failed'), ['--filter', '^lifecycle/single-clip-completes$', '--expect', expectFile]);

    expect(run.stdout).toContain('XPASS lifecycle/single-clip-completes: listed in --expect but passed');
    expect(run.stdout.split('\n')).toContain('1 passed, 0 failed');
    expect(run.exitCode).toBe(1);
  });

  it('warns when every run fails the same way, and shows the stderr of runs whose exit differs', async () => {
    const run = await runConformance(`${join(scratch, 'no-such-runner')} {watch}`, ['--filter', '^parse/bad-codec$', '--filter', '^cli/unknown-option-exit-2$']);

    expect(run.stdout).toContain('  run 1: exit code: expected 1, got 127');
    expect(run.stdout).toMatch(/^ {4}\| .*no-such-runner.*not found$/m);
    expect(run.stdout).toMatch(/^warning: all 2 runs of the 2 scenarios that ran ended with exit 127 and none passed: the shell could not find the command/m);
    expect(run.stdout.split('\n')).toContain('0 passed, 2 failed');
    expect(run.junit).toContain('<system-out>run 1: ');
    expect(run.exitCode).toBe(1);
  }, 120_000);

  it('answers usage errors with exit 2', async () => {
    const run = await runConformance('runner-without-placeholder', []);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe('error: --impl must contain {watch} where the watch folder goes (see --help)');
  });
});
