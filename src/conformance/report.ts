// What a conformance run tells its user: for each failing scenario its description, every difference as a
// readable tree path with both values (capped, with the count of the rest), and the implementation's stderr
// where an exit code differs; a warning when every run failed the same way (a command that never started);
// the summary `N passed, M failed`; and the same verdicts as a JSON report and as JUnit XML for CI.
// Scenarios listed with --expect may fail without failing the run; if one passes, that is reported too.

import type { Difference, Level } from './compare.ts';
import type { ExternalRunLog } from './external-run.ts';
import type { Verdict } from './suite.ts';

export interface Tally {
  readonly passed: number;
  /** Failed or could not be run (errors). */
  readonly failed: number;
  readonly skipped: number;
  readonly expectedFailures: number;
  readonly unexpectedFailures: number;
  readonly unexpectedPasses: number;
}

const isFailing = (v: Verdict): boolean => v.outcome === 'fail' || v.outcome === 'error';

export function tally(verdicts: readonly Verdict[]): Tally {
  const failing = verdicts.filter(isFailing);
  return {
    passed: verdicts.filter((v) => v.outcome === 'pass').length,
    failed: failing.length,
    skipped: verdicts.filter((v) => v.outcome === 'skip').length,
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
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}

const LIMIT = 160;

/** A value as short JSON for a one-line report. */
export function shortJson(value: unknown): string {
  if (value === undefined) return '(nothing)';
  const text = JSON.stringify(value);
  return text.length > LIMIT ? `${text.slice(0, LIMIT - 1)}…` : text;
}

/** Two long strings shown where they start to differ, so the difference is on screen. */
function contrast(expected: unknown, actual: unknown): [string, string] {
  if (typeof expected !== 'string' || typeof actual !== 'string' || (expected.length <= LIMIT && actual.length <= LIMIT)) return [shortJson(expected), shortJson(actual)];
  let same = 0;
  while (same < expected.length && same < actual.length && expected[same] === actual[same]) same += 1;
  const from = Math.max(0, same - 40);
  const excerpt = (text: string): string => `${from > 0 ? '…' : ''}${JSON.stringify(text.slice(from, from + 100))}${text.length > from + 100 ? '…' : ''}`;
  return [excerpt(expected), excerpt(actual)];
}

/** `run 1: watch/failed/job.result.json → clips[0].status: expected "FAILED", got "COMPLETED"`. */
export function differenceText(d: Difference): string {
  const where = d.file === null ? (d.at === 'exit' ? 'exit code' : d.at || 'the run') : d.at === '' ? d.file : `${d.file} → ${d.at}`;
  const wholeFile = d.file !== null && d.at === '' && !d.keyOrder;
  const [expected, actual] = contrast(d.expected, d.actual);
  const shown = (value: unknown, text: string): string => (wholeFile && value === undefined ? 'no file' : text);
  return `run ${d.run + 1}: ${where}${d.keyOrder ? ' (key order)' : ''}: expected ${shown(d.expected, expected)}, got ${shown(d.actual, actual)}`;
}

/** Why a verdict is not a pass, in one line (empty for a pass). */
export function failureDetail(v: Verdict): string {
  if (v.outcome === 'error') return `error: ${v.error ?? 'unknown'}`;
  if (v.outcome === 'skip') return `skipped: ${v.skipped ?? ''}`;
  const [first] = v.differences;
  if (first === undefined) return '';
  const more = v.differences.length - 1;
  return `${differenceText(first)}${more > 0 ? ` (and ${more} more difference${more === 1 ? '' : 's'})` : ''}`;
}

/** The last `lines` non-empty lines of a stream, each at most 300 characters. */
function tailLines(text: string, lines: number): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .map((line) => (line.length > 300 ? `${line.slice(0, 299)}…` : line));
}

/** The runs whose exit differs from the golden's: what the implementation said there is the first clue. */
function runsWithOtherExit(v: Verdict): number[] {
  return [...new Set(v.differences.filter((d) => d.file === null && (d.at === 'exit' || d.at.startsWith('exit['))).map((d) => d.run))];
}

export interface LineOptions {
  /** Differences shown per failing scenario (the JSON report has them all, up to its own cap). */
  readonly maxDifferences?: number;
}

/** How a log is named in a report: `run 2`, or `run 2 (runner 3)` for one runner of a concurrently step. */
function logNames(logs: readonly ExternalRunLog[]): string[] {
  return logs.map((log, i) => {
    const same = logs.filter((other) => other.run === log.run);
    return same.length === 1 ? `run ${log.run + 1}` : `run ${log.run + 1} (runner ${logs.slice(0, i).filter((other) => other.run === log.run).length + 1})`;
  });
}

function failureBlock(v: Verdict, maxDifferences: number): string[] {
  if (v.outcome === 'error') return [`FAIL ${v.id}: error: ${v.error ?? 'unknown'}`, `  (${v.description})`];
  const lines = [`FAIL ${v.id}: ${v.description}`, ...v.differences.slice(0, maxDifferences).map((d) => `  ${differenceText(d)}`)];
  const more = v.differences.length - maxDifferences;
  if (more > 0) lines.push(`  … and ${more} more difference${more === 1 ? '' : 's'} (all of them in --report)`);
  const names = logNames(v.logs);
  for (const run of runsWithOtherExit(v)) {
    for (const [i, log] of v.logs.entries()) {
      if (log.run !== run) continue;
      const tail = tailLines(log.stderr, 10);
      lines.push(tail.length === 0 ? `  ${names[i] ?? ''} wrote nothing to stderr` : `  ${names[i] ?? ''} stderr (last ${tail.length} line${tail.length === 1 ? '' : 's'}):`);
      lines.push(...tail.map((line) => `    | ${line}`));
    }
  }
  return lines;
}

/**
 * What a person reads: a block per failing scenario (FAIL), one line per expected failure (XFAIL), per
 * listed scenario that passed (XPASS) and per skipped scenario (SKIP).
 */
export function verdictLines(verdicts: readonly Verdict[], { maxDifferences = 10 }: LineOptions = {}): string[] {
  return verdicts.flatMap((v) => {
    if (v.outcome === 'pass') return v.expectedToFail ? [`XPASS ${v.id}: listed in --expect but passed`] : [];
    if (v.outcome === 'skip') return [`SKIP ${v.id}: ${v.skipped ?? ''}`];
    if (v.expectedToFail) return [`XFAIL ${v.id}: ${failureDetail(v)}`];
    return failureBlock(v, maxDifferences);
  });
}

const HINTS: Record<string, string> = {
  '127': 'the shell could not find the command: check --impl (an absolute path is safest) and the PATH it runs with',
  '126': 'the command is not executable: check its permissions and its #! line',
  timeout: 'every run was killed at --timeout-seconds: the command may wait for input or never stop',
};

/**
 * A warning when no scenario passed and every run of every scenario ended with the same exit: then the
 * implementation most likely never ran (`command not found` everywhere), and its hundreds of failures say
 * nothing about its behaviour. Null otherwise.
 */
export function commonFailure(verdicts: readonly Verdict[]): string | null {
  const ran = verdicts.filter((v) => v.outcome !== 'skip' && v.logs.length > 0);
  if (ran.length === 0 || verdicts.some((v) => v.outcome === 'pass')) return null;
  const logs = ran.flatMap((v) => v.logs);
  const exits = new Set(logs.map((log) => String(log.exit)));
  const [exit] = exits;
  if (exits.size !== 1 || exit === undefined || logs.length < 2) return null;
  const stderr = logs.map((log) => tailLines(log.stderr, 1)[0]).find((line) => line !== undefined);
  const hint = HINTS[exit] ?? 'the command probably does not run a watch-folder runner the way the scenarios expect';
  return `warning: all ${logs.length} runs of the ${ran.length} scenarios that ran ended with exit ${exit} and none passed: ${hint}${stderr === undefined ? '' : `. Its stderr: ${stderr}`}`;
}

export interface ReportContext {
  readonly impl: string;
  readonly level: Level;
  readonly durationMs: number;
}

/** Differences kept per scenario in the JSON report (`differences_total` has the full count). */
export const REPORT_DIFFERENCES = 100;

export function jsonReport(verdicts: readonly Verdict[], ctx: ReportContext): unknown {
  const t = tally(verdicts);
  return {
    impl: ctx.impl,
    level: ctx.level,
    duration_ms: ctx.durationMs,
    summary: {
      passed: t.passed,
      failed: t.failed,
      skipped: t.skipped,
      expected_failures: t.expectedFailures,
      unexpected_failures: t.unexpectedFailures,
      unexpected_passes: t.unexpectedPasses,
      success: isSuccess(t),
    },
    warning: commonFailure(verdicts),
    scenarios: verdicts.map((v) => {
      const [first] = v.differences;
      return {
        id: v.id,
        description: v.description,
        outcome: v.outcome,
        expected_to_fail: v.expectedToFail,
        first_difference: first?.pointer ?? null,
        expected: first?.expected ?? null,
        actual: first?.actual ?? null,
        differences: v.differences.slice(0, REPORT_DIFFERENCES).map((d) => ({
          run: d.run + 1,
          file: d.file,
          at: d.at,
          pointer: d.pointer,
          expected: d.expected ?? null,
          actual: d.actual ?? null,
          text: differenceText(d),
        })),
        differences_total: v.differences.length,
        error: v.error,
        skip_reason: v.skipped,
        duration_ms: v.durationMs,
        root: v.root,
        runs: v.logs,
      };
    }),
  };
}

function xml(text: string): string {
  // Control characters other than tab and newline are not allowed in XML 1.0 at all.
  const allowed = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
  return allowed.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** Output kept per stream and run in the JUnit file: enough to see why, small enough for a CI page. */
const JUNIT_TAIL = 2048;

const tailOf = (text: string): string => (text.length > JUNIT_TAIL ? `…${text.slice(-JUNIT_TAIL)}` : text);

/** Each run's command, exit, and the tails of its stdout and stderr. */
function runLogText(logs: readonly ExternalRunLog[]): string {
  const names = logNames(logs);
  return logs
    .map((log, i) =>
      [
        `${names[i] ?? ''}: ${log.command}`,
        `exit: ${String(log.exit)} after ${log.durationMs} ms`,
        `stdout:${log.stdout === '' ? ' (empty)' : `\n${tailOf(log.stdout)}`}`,
        `stderr:${log.stderr === '' ? ' (empty)' : `\n${tailOf(log.stderr)}`}`,
      ].join('\n'),
    )
    .join('\n\n');
}

function junitCase(v: Verdict): string {
  const slash = v.id.lastIndexOf('/');
  const head = `<testcase classname="${xml(slash < 0 ? 'conformance' : v.id.slice(0, slash))}" name="${xml(v.id)}" time="${seconds(v.durationMs)}"`;
  const out = v.logs.length === 0 ? [] : [`      <system-out>${xml(runLogText(v.logs))}</system-out>`];
  const body = (inner: string[]): string => (inner.length === 0 ? `    ${head}/>` : [`    ${head}>`, ...inner, '    </testcase>'].join('\n'));
  if (v.outcome === 'pass') return body([...(v.expectedToFail ? ['      <failure message="listed in --expect but passed"/>'] : []), ...out]);
  if (v.outcome === 'skip') return body([`      <skipped message="${xml(v.skipped ?? '')}"/>`]);
  const detail = xml(failureDetail(v));
  if (v.expectedToFail) return body([`      <skipped message="expected failure (--expect): ${detail}"/>`, ...out]);
  const tag = v.outcome === 'error' ? 'error' : 'failure';
  const text = [v.description, ...(v.outcome === 'error' ? [failureDetail(v)] : v.differences.slice(0, REPORT_DIFFERENCES).map(differenceText))];
  const more = v.differences.length - REPORT_DIFFERENCES;
  if (more > 0) text.push(`… and ${more} more`);
  return body([`      <${tag} message="${detail}">${xml(text.join('\n'))}</${tag}>`, ...out]);
}

export function junitReport(verdicts: readonly Verdict[], ctx: ReportContext): string {
  const t = tally(verdicts);
  const errors = verdicts.filter((v) => v.outcome === 'error' && !v.expectedToFail).length;
  const failures = t.unexpectedFailures - errors + t.unexpectedPasses;
  const name = xml(`conformance (${ctx.level}): ${ctx.impl}`);
  const counts = `tests="${verdicts.length}" failures="${failures}" errors="${errors}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${counts} time="${seconds(ctx.durationMs)}">`,
    `  <testsuite name="${name}" ${counts} skipped="${t.expectedFailures + t.skipped}" time="${seconds(ctx.durationMs)}">`,
    ...verdicts.map(junitCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
