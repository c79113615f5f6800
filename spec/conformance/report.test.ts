// Report lines, the summary, --expect bookkeeping, the JSON report and JUnit XML.

import { describe, expect, it } from 'vitest';
import { isSuccess, jsonReport, junitReport, summaryLine, tally, verdictLines } from '../../src/conformance/report.ts';
import type { Verdict } from '../../src/conformance/suite.ts';

function verdict(id: string, outcome: Verdict['outcome'], expectedToFail = false): Verdict {
  return {
    id,
    outcome,
    expectedToFail,
    divergence: outcome === 'fail' ? { pointer: '/runs/0/tree/watch~1failed~1job.result.json/final_status', expected: 'PARTIAL', actual: 'FAILED' } : null,
    error: outcome === 'error' ? 'missing golden golden/x.json' : null,
    durationMs: 1234,
    root: null,
    logs: [],
  };
}

const ctx = { impl: 'other-runner {watch}', level: 'strict' as const, durationMs: 5000 };

describe('report', () => {
  it('prints one line per failing scenario with the first differing path, and the summary', () => {
    const verdicts = [verdict('parse/a', 'pass'), verdict('parse/b', 'fail'), verdict('parse/c', 'error')];
    expect(verdictLines(verdicts)).toEqual([
      'FAIL parse/b: /runs/0/tree/watch~1failed~1job.result.json/final_status: expected "PARTIAL", got "FAILED"',
      'FAIL parse/c: error: missing golden golden/x.json',
    ]);
    expect(summaryLine(tally(verdicts))).toBe('1 passed, 2 failed');
    expect(isSuccess(tally(verdicts))).toBe(false);
  });

  it('accepts failures listed with --expect, and reports a listed scenario that passes', () => {
    const expectedOnly = [verdict('parse/a', 'pass'), verdict('parse/b', 'fail', true)];
    expect(verdictLines(expectedOnly)).toEqual(['XFAIL parse/b: /runs/0/tree/watch~1failed~1job.result.json/final_status: expected "PARTIAL", got "FAILED"']);
    expect(summaryLine(tally(expectedOnly))).toBe('1 passed, 1 failed');
    expect(isSuccess(tally(expectedOnly))).toBe(true);

    const passedAnyway = [verdict('parse/a', 'pass', true)];
    expect(verdictLines(passedAnyway)).toEqual(['XPASS parse/a: listed in --expect but passed']);
    expect(isSuccess(tally(passedAnyway))).toBe(false);
  });

  it('writes a JSON report with the summary and each scenario', () => {
    const report = jsonReport([verdict('parse/a', 'pass'), verdict('parse/b', 'fail', true)], ctx) as { summary: unknown; scenarios: { id: string; first_difference: string | null }[] };
    expect(report.summary).toEqual({ passed: 1, failed: 1, expected_failures: 1, unexpected_failures: 0, unexpected_passes: 0, success: true });
    expect(report.scenarios.map((s) => [s.id, s.first_difference])).toEqual([
      ['parse/a', null],
      ['parse/b', '/runs/0/tree/watch~1failed~1job.result.json/final_status'],
    ]);
  });

  it('writes JUnit XML: failures, errors, expected failures as skipped, escaped text', () => {
    const xml = junitReport([verdict('parse/a', 'pass'), verdict('parse/b', 'fail'), verdict('cli/c', 'error'), verdict('scan/d', 'fail', true)], { ...ctx, impl: 'run <x> & "y" {watch}' });
    expect(xml).toContain('<testsuite name="conformance (strict): run &lt;x&gt; &amp; &quot;y&quot; {watch}" tests="4" failures="1" errors="1" skipped="1" time="5.000">');
    expect(xml).toContain('<testcase classname="parse" name="parse/a" time="1.234"/>');
    expect(xml).toContain('<failure message="/runs/0/tree/watch~1failed~1job.result.json/final_status: expected &quot;PARTIAL&quot;, got &quot;FAILED&quot;">');
    expect(xml).toContain('<error message="error: missing golden golden/x.json">');
    expect(xml).toContain('<skipped message="expected failure (--expect): ');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="4" failures="1" errors="1"')).toBe(true);
  });
});
