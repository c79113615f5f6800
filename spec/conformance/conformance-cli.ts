// Runs the conformance CLI (src/conformance/cli.ts) as users do, for the self-conformance and divergence tests.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { DIST_CLI } from '../../scripts/bundle-cli.ts';
import { shellQuote } from '../../src/conformance/impl-command.ts';
import { HANG_MS } from '../support/polling.ts';

const REPO = join(import.meta.dirname, '../..');
const TSX = import.meta.resolve('tsx');

/**
 * This project's runner as an implementation under test: its compiled entry, which the conformance
 * project's global setup builds from the current sources (a start costs a fraction of node with tsx).
 */
export const OUR_IMPL = compiledImpl(DIST_CLI);

/** A compiled runner (dist/cli.js, or a mutant built the same way) as an --impl command line. */
export function compiledImpl(entry: string): string {
  return `${shellQuote(process.execPath)} ${shellQuote(entry)} {watch}`;
}

/** A runner that is wrong in one known way (spec/conformance/altered-runner.mjs). */
export function alteredImpl(mode: 'partial-as-failed' | 'failed-left-in-running'): string {
  return `${shellQuote(process.execPath)} ${shellQuote(join(import.meta.dirname, 'altered-runner.mjs'))} ${mode} {watch}`;
}

export interface ReportedScenario {
  readonly id: string;
  readonly outcome: 'pass' | 'fail' | 'error' | 'skip';
  readonly expected_to_fail: boolean;
  readonly first_difference: string | null;
  readonly error: string | null;
}

export interface ConformanceRun {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly scenarios: ReportedScenario[];
  /** The JUnit XML it wrote. */
  readonly junit: string;
}

export async function runConformance(impl: string, args: readonly string[]): Promise<ConformanceRun> {
  const out = mkdtempSync(join(tmpdir(), 'conformance-test-'));
  const report = join(out, 'report.json');
  const junit = join(out, 'report.xml');
  const run = await execa(process.execPath, ['--import', TSX, join(REPO, 'src/conformance/cli.ts'), '--impl', impl, '--report', report, '--junit', junit, '--timeout-seconds', String(HANG_MS / 1000), ...args], {
    reject: false,
    cwd: REPO,
  });
  const scenarios = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { scenarios: ReportedScenario[] }).scenarios : [];
  const xml = existsSync(junit) ? readFileSync(junit, 'utf8') : '';
  rmSync(out, { recursive: true, force: true });
  return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, scenarios, junit: xml };
}
