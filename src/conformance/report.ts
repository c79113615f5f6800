// What a conformance run tells its user: one line per failing scenario with the first differing path,
// the summary `N passed, M failed`, and the same verdicts as a JSON report and as JUnit XML for CI.
// Scenarios listed with --expect may fail without failing the run; if one passes, that is reported too.

import type { Level } from './compare.ts';
import type { Verdict } from './suite.ts';

export interface Tally {
  readonly passed: number;
  readonly failed: number;
  readonly expectedFailures: number;
  readonly unexpectedFailures: number;
  readonly unexpectedPasses: number;
}

export function tally(verdicts: readonly Verdict[]): Tally {
  const failing = verdicts.filter((v) => v.outcome !== 'pass');
  return {
    passed: verdicts.length - failing.length,
    failed: failing.length,
    expectedFailures: failing.filter((v) => v.expectedToFail).length,
    unexpectedFailures: failing.filter((v) => !v.expectedToFail).length,
    unexpectedPasses: verdicts.filter((v) => v.outcome === 'pass' && v.expectedToFail).length,
  };
}

/** Everything as expected: no failure outside --expect, and nothing in --expect passed. */
export function isSuccess(t: Tally): boolean {
  return t.unexpectedFailures === 0 && t.unexpectedPasses === 0;
}

export function summaryLine(t: Tally): string {
  return `${t.passed} passed, ${t.failed} failed`;
}

const LIMIT = 160;

/** A value as short JSON for a one-line report. */
export function shortJson(value: unknown): string {
  if (value === undefined) return '(nothing)';
  const text = JSON.stringify(value);
  return text.length > LIMIT ? `${text.slice(0, LIMIT - 1)}…` : text;
}

/** Why a verdict is not a pass, in one line (empty for a pass). */
export function failureDetail(v: Verdict): string {
  if (v.outcome === 'error') return `error: ${v.error ?? 'unknown'}`;
  if (v.divergence === null) return '';
  return `${v.divergence.pointer}: expected ${shortJson(v.divergence.expected)}, got ${shortJson(v.divergence.actual)}`;
}

/** One line per verdict that is worth a line: FAIL, XFAIL (failed as --expect says), XPASS (passed, but listed). */
export function verdictLines(verdicts: readonly Verdict[]): string[] {
  return verdicts.flatMap((v) => {
    if (v.outcome === 'pass') return v.expectedToFail ? [`XPASS ${v.id}: listed in --expect but passed`] : [];
    return [`${v.expectedToFail ? 'XFAIL' : 'FAIL'} ${v.id}: ${failureDetail(v)}`];
  });
}

export interface ReportContext {
  readonly impl: string;
  readonly level: Level;
  readonly durationMs: number;
}

export function jsonReport(verdicts: readonly Verdict[], ctx: ReportContext): unknown {
  const t = tally(verdicts);
  return {
    impl: ctx.impl,
    level: ctx.level,
    duration_ms: ctx.durationMs,
    summary: { passed: t.passed, failed: t.failed, expected_failures: t.expectedFailures, unexpected_failures: t.unexpectedFailures, unexpected_passes: t.unexpectedPasses, success: isSuccess(t) },
    scenarios: verdicts.map((v) => ({
      id: v.id,
      outcome: v.outcome,
      expected_to_fail: v.expectedToFail,
      first_difference: v.divergence?.pointer ?? null,
      expected: v.divergence?.expected ?? null,
      actual: v.divergence?.actual ?? null,
      error: v.error,
      duration_ms: v.durationMs,
      root: v.root,
      runs: v.logs,
    })),
  };
}

function xml(text: string): string {
  // Control characters other than tab and newline are not allowed in XML 1.0 at all.
  const allowed = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
  return allowed.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function junitCase(v: Verdict): string {
  const slash = v.id.lastIndexOf('/');
  const head = `<testcase classname="${xml(slash < 0 ? 'conformance' : v.id.slice(0, slash))}" name="${xml(v.id)}" time="${seconds(v.durationMs)}"`;
  if (v.outcome === 'pass' && !v.expectedToFail) return `    ${head}/>`;
  if (v.outcome === 'pass') return `    ${head}>\n      <failure message="listed in --expect but passed"/>\n    </testcase>`;
  const detail = xml(failureDetail(v));
  if (v.expectedToFail) return `    ${head}>\n      <skipped message="expected failure (--expect): ${detail}"/>\n    </testcase>`;
  const tag = v.outcome === 'error' ? 'error' : 'failure';
  return `    ${head}>\n      <${tag} message="${detail}">${detail}</${tag}>\n    </testcase>`;
}

export function junitReport(verdicts: readonly Verdict[], ctx: ReportContext): string {
  const t = tally(verdicts);
  const errors = verdicts.filter((v) => v.outcome === 'error' && !v.expectedToFail).length;
  const failures = t.unexpectedFailures - errors + t.unexpectedPasses;
  const name = xml(`conformance (${ctx.level}): ${ctx.impl}`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${verdicts.length}" failures="${failures}" errors="${errors}" time="${seconds(ctx.durationMs)}">`,
    `  <testsuite name="${name}" tests="${verdicts.length}" failures="${failures}" errors="${errors}" skipped="${t.expectedFailures}" time="${seconds(ctx.durationMs)}">`,
    ...verdicts.map(junitCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
