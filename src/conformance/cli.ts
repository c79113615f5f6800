#!/usr/bin/env node
// The conformance runner's entry point, and the only module of it that touches `process`:
// `npx tsx src/conformance/cli.ts --impl '<command with {watch}>'` (design section 4; spec/README.md,
// "Checking another implementation"). Exit 0 when every scenario is as expected, 1 otherwise, 2 on usage errors.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_USAGE, implWarning, parseConformanceArgs, parseExpectFile } from './cli-options.ts';
import type { ConformanceOptions } from './cli-options.ts';
import { loadScenarios } from './fixtures.ts';
import { readManifest } from './manifest.ts';
import { commonFailure, isSuccess, jsonReport, junitReport, summaryLine, tally, verdictLines } from './report.ts';
import { installStandIns } from './stand-in-bin.ts';
import { runSuite, selectPortable } from './suite.ts';

const REPO = join(import.meta.dirname, '../..');

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

/** SIGKILLs a process group; one that is already gone is what we wanted. */
function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}

function readExpected(file: string | null): Set<string> {
  if (file === null) return new Set();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot read --expect file ${file}: ${(error as { code?: unknown }).code ?? String(error)}`);
  }
  const ids = parseExpectFile(text);
  if (typeof ids === 'string') return fail(`--expect file ${file}: ${ids}`);
  return new Set(ids);
}

function readSuite(dir: string): ReturnType<typeof readManifest> {
  try {
    return readManifest(dir);
  } catch (error) {
    return fail(`cannot read the suite in ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(options: ConformanceOptions): Promise<number> {
  const expected = readExpected(options.expect);
  const implProblem = implWarning(options.impl);
  if (implProblem !== null) process.stderr.write(`warning: ${implProblem}\n`);
  const suite = readSuite(options.suite);
  const all = loadScenarios(suite.scenariosDir);
  const known = new Set(all.map((s) => s.id));
  for (const id of expected) if (!known.has(id)) process.stderr.write(`warning: --expect lists ${id}, which is not a scenario\n`);
  const count = selectPortable(all, options.filters, options.tier).length;
  if (count === 0) fail(`no portable scenario of tier ${options.tier} matches --filter`);

  const workDir = mkdtempSync(join(tmpdir(), 'conformance-'));
  const scenariosDir = join(workDir, 'scenarios');
  mkdirSync(scenariosDir);
  const paths = installStandIns({ dir: join(workDir, 'stand-ins'), nodePath: process.execPath, pathEnv: process.env.PATH ?? '' });
  process.stdout.write(`Checking ${count} portable scenarios (tier ${options.tier}) at level ${options.level} against: ${options.impl}\n`);
  const started = Date.now();
  const verdicts = await runSuite({
    impl: options.impl,
    paths,
    env: process.env,
    livePid: process.pid,
    host: hostname(),
    runTimeoutMs: Math.round(options.timeoutSeconds * 1000),
    killGroup,
    workDir: scenariosDir,
    scenariosDir: suite.scenariosDir,
    goldenDir: options.golden ?? suite.goldenDir,
    level: options.level,
    tier: options.tier,
    filters: options.filters,
    expectedFailures: expected,
    jobs: options.jobs,
    keep: options.keep,
  });
  const durationMs = Date.now() - started;

  for (const line of verdictLines(verdicts)) process.stdout.write(`${line}\n`);
  const sameFailure = commonFailure(verdicts);
  if (sameFailure !== null) process.stdout.write(`${sameFailure}\n`);
  const t = tally(verdicts);
  process.stdout.write(`${summaryLine(t)}\n`);
  if (t.expectedFailures > 0 || t.unexpectedPasses > 0) {
    process.stdout.write(`(${t.expectedFailures} failure(s) expected by --expect, ${t.unexpectedPasses} unexpected pass(es))\n`);
  }
  process.stdout.write(`Time: ${(durationMs / 1000).toFixed(1)} s\n`);
  const ctx = { impl: options.impl, level: options.level, durationMs };
  if (options.report !== null) writeFileSync(options.report, `${JSON.stringify(jsonReport(verdicts, ctx), null, 2)}\n`);
  if (options.junit !== null) writeFileSync(options.junit, junitReport(verdicts, ctx));
  if (options.keep) process.stdout.write(`Kept the scenario folders under ${scenariosDir}\n`);
  else rmSync(workDir, { recursive: true, force: true });
  return isSuccess(t) ? 0 : 1;
}

const command = parseConformanceArgs(process.argv.slice(2), { suite: join(REPO, 'suite'), jobs: 2 * availableParallelism() });
if (command.kind === 'help') {
  process.stdout.write(`${CONFORMANCE_USAGE}\n`);
} else if (command.kind === 'usage-error') {
  fail(`${command.message} (see --help)`);
} else {
  try {
    process.exitCode = await main(command.options);
  } catch (error) {
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
