#!/usr/bin/env node
// @ts-check
// A deliberately wrong implementation for spec/conformance/divergence.test.ts: it runs this project's CLI
// (its compiled entry) and then changes what the CLI left behind in one known way, so the test can prove
// that the conformance runner notices exactly the scenarios that way affects.
//
//   node altered-runner.mjs <mode> <watch folder> [runner arguments…]
//
//   partial-as-failed       result files whose final_status is PARTIAL say FAILED (what the Proxx runner does)
//   failed-left-in-running  a JobSpec filed in failed/ with a FAILED result goes back to running/

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The compiled entry, which the conformance project's global setup builds before any test runs.
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const [mode = '', folder = '', ...rest] = process.argv.slice(2);

const run = spawnSync(process.execPath, [CLI, folder, ...rest], { stdio: 'inherit' });
// A runner killed mid-job (kill_runner) must look killed from outside too.
if (run.signal !== null) process.kill(process.pid, run.signal);

/** @param {string} path */
const statusOf = (path) => /** @type {{ final_status?: unknown }} */ (JSON.parse(readFileSync(path, 'utf8'))).final_status;

const failed = join(folder, 'failed');
const results = existsSync(failed) ? readdirSync(failed).filter((name) => name.endsWith('.result.json')) : [];
for (const name of results) {
  const path = join(failed, name);
  if (mode === 'partial-as-failed' && statusOf(path) === 'PARTIAL') {
    const result = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, `${JSON.stringify({ ...result, final_status: 'FAILED' }, null, 2)}\n`);
  }
  const jobSpec = name.slice(0, -'.result.json'.length) + '.json';
  if (mode === 'failed-left-in-running' && statusOf(path) === 'FAILED' && existsSync(join(failed, jobSpec))) {
    renameSync(join(failed, jobSpec), join(folder, 'running', jobSpec));
  }
}
process.exitCode = run.status ?? 1;
