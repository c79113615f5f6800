// What a conformance run prints and writes: a block per failing scenario (description, every difference
// as a readable tree path, stderr where an exit differs), the warning for a command that never ran, the
// summary, --expect bookkeeping, skipped scenarios, the JSON report and JUnit XML.

import { describe, expect, it } from 'vitest';
import type { Difference } from '../../src/conformance/compare.ts';
import type { ExternalRunLog } from '../../src/conformance/external-run.ts';
import {
  commonFailure, differenceText, isSuccess, jsonReport, junitReport, summaryLine, tally, verdictLines,
} from '../../src/conformance/report.ts';
import type { Verdict } from '../../src/conformance/suite.ts';

const RESULT = 'watch/failed/job.result.json';

function difference(over: Partial<Difference> = {}): Difference {
  return { run: 0, file: RESULT, at: 'final_status', pointer: '/runs/0/tree/watch~1failed~1job.result.json/final_status', expected: 'PARTIAL', actual: 'FAILED', keyOrder: false, ...over };
}

function log(over: Partial<ExternalRunLog> = {}): ExternalRunLog {
  return { run: 0, command: "'/usr/bin/runner' '/tmp/x/watch' '--once'", exit: 1, stdout: 'Scan complete\n', stderr: '', durationMs: 40, ...over };
}

function verdict(id: string, outcome: Verdict['outcome'], over: Partial<Verdict> = {}): Verdict {
  return {
    id,
    description: `what ${id} pins`,
    outcome,
    expectedToFail: false,
    differences: outcome === 'fail' ? [difference()] : [],
    error: outcome === 'error' ? 'missing golden golden/x.json' : null,
    skipped: outcome === 'skip' ? 'tagged reference: not required at core' : null,
    durationMs: 1234,
    root: null,
    logs: [],
    ...over,
  };
}

const ctx = { impl: 'other-runner {watch}', level: 'strict' as const, durationMs: 5000 };

describe('differenceText', () => {
  it('names the run, the file and the place inside it, with both values', () => {
    expect(differenceText(difference({ at: 'clips[0].status', expected: 'FAILED', actual: 'COMPLETED' }))).toBe(
      'run 1: watch/failed/job.result.json → clips[0].status: expected "FAILED", got "COMPLETED"',
    );
    expect(differenceText(difference({ run: 1, file: null, at: 'exit', expected: 1, actual: 127 }))).toBe('run 2: exit code: expected 1, got 127');
  });

  it('says "no file" for a missing or an extra file, and shows key lists for a key-order difference', () => {
    expect(differenceText(difference({ file: 'watch/failed/job.json', at: '', expected: 'text', actual: undefined }))).toBe('run 1: watch/failed/job.json: expected "text", got no file');
    expect(differenceText(difference({ file: 'watch/running/job.json', at: '', expected: undefined, actual: 'text' }))).toBe('run 1: watch/running/job.json: expected no file, got "text"');
    expect(differenceText(difference({ at: '_metadata', keyOrder: true, expected: ['a', 'b'], actual: ['b', 'a'] }))).toBe(
      'run 1: watch/failed/job.result.json → _metadata (key order): expected ["a","b"], got ["b","a"]',
    );
  });

  it('shows two long texts from just before where they start to differ', () => {
    const base = 'a line of the JobSpec, '.repeat(20);
    const text = differenceText(difference({ file: 'watch/failed/job.json', at: '', expected: `${base}codec h264`, actual: `${base}codec h265` }));
    expect(text).toBe('run 1: watch/failed/job.json: expected …"obSpec, a line of the JobSpec, codec h264", got …"obSpec, a line of the JobSpec, codec h265"');
  });
});

describe('verdict lines', () => {
  it('prints a failing scenario with its description and every difference, capped with a count of the rest', () => {
    const differences = Array.from({ length: 13 }, (_, i) => difference({ at: `clips[${i}].status`, expected: 'FAILED', actual: 'COMPLETED' }));
    const lines = verdictLines([verdict('execution/fail-fast', 'fail', { differences })]);
    expect(lines[0]).toBe('FAIL execution/fail-fast: what execution/fail-fast pins');
    expect(lines.slice(1, 11)).toEqual(differences.slice(0, 10).map((d) => `  ${differenceText(d)}`));
    expect(lines[11]).toBe('  … and 3 more differences (all of them in --report)');
    expect(lines).toHaveLength(12);
    expect(verdictLines([verdict('execution/fail-fast', 'fail', { differences })], { maxDifferences: 20 })).toHaveLength(14);
  });

  it('adds the stderr tail of each run whose exit code differs, and only of those', () => {
    const stderr = `${Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n')}\n`;
    const v = verdict('parse/a', 'fail', {
      differences: [difference({ run: 1, file: null, at: 'exit', expected: 1, actual: 2 }), difference({ run: 1 })],
      logs: [log({ stderr: 'first run said this\n' }), log({ run: 1, exit: 2, stderr })],
    });
    const lines = verdictLines([v]);
    expect(lines).toContain('  run 2 stderr (last 10 lines):');
    expect(lines.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => `    | line ${i + 6}`));
    expect(lines.join('\n')).not.toContain('first run said this');

    const silent = verdict('parse/b', 'fail', { differences: [difference({ file: null, at: 'exit', expected: 1, actual: 0 })], logs: [log({ exit: 0 })] });
    expect(verdictLines([silent])).toContain('  run 1 wrote nothing to stderr');
    expect(verdictLines([verdict('parse/c', 'fail', { logs: [log({ stderr: 'noise\n' })] })]).join('\n')).not.toContain('noise');
  });

  it('names each runner of a concurrently step whose exits differ, with its own stderr tail', () => {
    const v = verdict('shared/a', 'fail', {
      differences: [difference({ run: 1, file: null, at: 'exit[1]', expected: 0, actual: 3 })],
      logs: [log({ exit: 0 }), log({ run: 1, exit: 0 }), log({ run: 1, exit: 3, stderr: 'Watch folder is busy\n' })],
    });
    const lines = verdictLines([v]);
    expect(lines).toContain('  run 2 (runner 1) wrote nothing to stderr');
    expect(lines).toContain('  run 2 (runner 2) stderr (last 1 line):');
    expect(lines).toContain('    | Watch folder is busy');
    expect(lines.join('\n')).not.toContain('run 1 ');
  });

  it('prints errors, expected failures (one line), unexpected passes and skips; the summary counts them', () => {
    const verdicts = [
      verdict('parse/a', 'pass'),
      verdict('parse/b', 'fail', { expectedToFail: true, differences: [difference(), difference()] }),
      verdict('parse/c', 'error'),
      verdict('parse/d', 'pass', { expectedToFail: true }),
      verdict('cli/e', 'skip'),
    ];
    expect(verdictLines(verdicts)).toEqual([
      'XFAIL parse/b: run 1: watch/failed/job.result.json → final_status: expected "PARTIAL", got "FAILED" (and 1 more difference)',
      'FAIL parse/c: error: missing golden golden/x.json',
      '  (what parse/c pins)',
      'XPASS parse/d: listed in --expect but passed',
      'SKIP cli/e: tagged reference: not required at core',
    ]);
    const t = tally(verdicts);
    expect(t).toEqual({ passed: 2, failed: 2, skipped: 1, expectedFailures: 1, unexpectedFailures: 1, unexpectedPasses: 1 });
    expect(summaryLine(t)).toBe('2 passed, 2 failed, 1 skipped');
    expect(summaryLine(tally([verdict('parse/a', 'pass'), verdict('parse/b', 'fail')]))).toBe('1 passed, 1 failed');
    expect(isSuccess(t)).toBe(false);
    expect(isSuccess(tally([verdict('parse/a', 'pass'), verdict('parse/b', 'fail', { expectedToFail: true }), verdict('cli/e', 'skip')]))).toBe(true);
  });
});

describe('commonFailure', () => {
  const notFound = (id: string): Verdict =>
    verdict(id, 'fail', { logs: [log({ exit: 127, stderr: 'sh: 1: my-runner: not found\n' }), log({ exit: 127, stderr: 'sh: 1: my-runner: not found\n' })] });

  it('warns when no scenario passed and every run of every scenario ended with the same exit', () => {
    const warning = commonFailure([notFound('parse/a'), notFound('scan/b'), verdict('cli/c', 'skip')]);
    expect(warning).toBe(
      'warning: all 4 runs of the 2 scenarios that ran ended with exit 127 and none passed: the shell could not find the command: check --impl (an absolute path is safest) and the PATH it runs with. Its stderr: sh: 1: my-runner: not found',
    );
    const timeouts = [verdict('a/a', 'fail', { logs: [log({ exit: 'timeout' })] }), verdict('a/b', 'fail', { logs: [log({ exit: 'timeout' })] })];
    expect(commonFailure(timeouts)).toContain('every run was killed at --timeout-seconds');
    const zero = [verdict('a/a', 'fail', { logs: [log({ exit: 0 })] }), verdict('a/b', 'fail', { logs: [log({ exit: 0 })] })];
    expect(commonFailure(zero)).toContain('ended with exit 0 and none passed: the command probably does not run a watch-folder runner');
  });

  it('stays quiet when a scenario passed, when exits differ, or when only one run happened', () => {
    expect(commonFailure([notFound('parse/a'), verdict('scan/b', 'pass', { logs: [log({ exit: 127 })] })])).toBeNull();
    expect(commonFailure([notFound('parse/a'), verdict('scan/b', 'fail', { logs: [log({ exit: 1 })] })])).toBeNull();
    expect(commonFailure([verdict('parse/a', 'fail', { logs: [log({ exit: 127 })] })])).toBeNull();
    expect(commonFailure([verdict('parse/a', 'error'), verdict('parse/b', 'error')])).toBeNull();
  });
});

describe('JSON report', () => {
  it('keeps the first difference fields and adds every difference, the description, skips and the warning', () => {
    const differences = [difference(), difference({ run: 1, file: null, at: 'exit', pointer: '/runs/1/exit', expected: 0, actual: 1 })];
    const report = jsonReport([verdict('parse/a', 'pass'), verdict('parse/b', 'fail', { expectedToFail: true, differences }), verdict('cli/c', 'skip')], ctx) as {
      summary: unknown;
      warning: unknown;
      scenarios: Record<string, unknown>[];
    };
    expect(report.summary).toEqual({ passed: 1, failed: 1, skipped: 1, expected_failures: 1, unexpected_failures: 0, unexpected_passes: 0, success: true });
    expect(report.warning).toBeNull();
    const [a, b, c] = report.scenarios;
    expect(a).toMatchObject({ id: 'parse/a', outcome: 'pass', first_difference: null, differences: [], differences_total: 0 });
    expect(b).toMatchObject({
      id: 'parse/b',
      description: 'what parse/b pins',
      first_difference: '/runs/0/tree/watch~1failed~1job.result.json/final_status',
      expected: 'PARTIAL',
      actual: 'FAILED',
      differences_total: 2,
    });
    expect(b?.differences).toEqual([
      { run: 1, file: RESULT, at: 'final_status', pointer: '/runs/0/tree/watch~1failed~1job.result.json/final_status', expected: 'PARTIAL', actual: 'FAILED', text: differenceText(difference()) },
      { run: 2, file: null, at: 'exit', pointer: '/runs/1/exit', expected: 0, actual: 1, text: 'run 2: exit code: expected 0, got 1' },
    ]);
    expect(c).toMatchObject({ outcome: 'skip', skip_reason: 'tagged reference: not required at core' });
  });

  it('caps the differences it lists and says how many there were', () => {
    const differences = Array.from({ length: 150 }, () => difference());
    const report = jsonReport([verdict('parse/b', 'fail', { differences })], ctx) as { scenarios: { differences: unknown[]; differences_total: number }[] };
    expect(report.scenarios[0]?.differences).toHaveLength(100);
    expect(report.scenarios[0]?.differences_total).toBe(150);
  });
});

describe('JUnit XML', () => {
  it('writes failures, errors, expected failures and skips, with escaped text', () => {
    const xml = junitReport(
      [verdict('parse/a', 'pass'), verdict('parse/b', 'fail'), verdict('cli/c', 'error'), verdict('scan/d', 'fail', { expectedToFail: true }), verdict('scan/e', 'skip')],
      { ...ctx, impl: 'run <x> & "y" {watch}' },
    );
    expect(xml).toContain('<testsuite name="conformance (strict): run &lt;x&gt; &amp; &quot;y&quot; {watch}" tests="5" failures="1" errors="1" skipped="2" time="5.000">');
    expect(xml).toContain('<testcase classname="parse" name="parse/a" time="1.234"/>');
    expect(xml).toContain(
      '<failure message="run 1: watch/failed/job.result.json → final_status: expected &quot;PARTIAL&quot;, got &quot;FAILED&quot;">what parse/b pins\nrun 1: watch/failed/job.result.json → final_status: expected &quot;PARTIAL&quot;, got &quot;FAILED&quot;</failure>',
    );
    expect(xml).toContain('<error message="error: missing golden golden/x.json">');
    expect(xml).toContain('<skipped message="expected failure (--expect): ');
    expect(xml).toContain('<skipped message="tagged reference: not required at core"/>');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="5" failures="1" errors="1"')).toBe(true);
  });

  it('puts each run command, exit and output tails in <system-out>, passes included', () => {
    const logs = [log({ stdout: `${'x'.repeat(3000)}END\n`, stderr: 'warning <b>\n' }), log({ run: 1, exit: 0, stdout: '', command: 'second' })];
    const xml = junitReport([verdict('parse/a', 'pass', { logs }), verdict('parse/b', 'fail', { logs })], ctx);
    const outs = [...xml.matchAll(/<system-out>([\s\S]*?)<\/system-out>/g)].map((m) => m[1] ?? '');
    expect(outs).toHaveLength(2);
    const [out = ''] = outs;
    expect(out).toContain("run 1: '/usr/bin/runner' '/tmp/x/watch' '--once'\nexit: 1 after 40 ms\nstdout:\n…");
    expect(out).toContain('END\n');
    expect(out).toContain('stderr:\nwarning &lt;b&gt;');
    expect(out).toContain('run 2: second\nexit: 0 after 40 ms\nstdout: (empty)\nstderr: (empty)');
    // The stdout tail is capped: the last 2 KiB of its 3,004 characters, the final newline included.
    expect(out.match(/…x+END\n/)?.[0].length).toBe(1 + 2048);
  });

  it('names the runners of a concurrently step in <system-out>', () => {
    const logs = [log(), log({ run: 1, command: 'a' }), log({ run: 1, command: 'b' })];
    const [out = ''] = [...junitReport([verdict('shared/a', 'pass', { logs })], ctx).matchAll(/<system-out>([\s\S]*?)<\/system-out>/g)].map((m) => m[1] ?? '');
    expect(out).toContain("run 1: '/usr/bin/runner'");
    expect(out).toContain('run 2 (runner 1): a\n');
    expect(out).toContain('run 2 (runner 2): b\n');
  });
});
