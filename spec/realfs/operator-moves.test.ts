// An operator moving or deleting files while a job runs (issue 9.3), on the real disk through the CLI: the
// seed's own "Job stuck in running/" recipe (`mv running/a.json failed/`) during a live encode, and
// `rm -rf completed/` mid-job. The job's result is still written (beside the JobSpec where it now is, or
// in a recreated destination), the log says where and why, every output is kept, and the next job runs.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import type { RealSandbox } from './real-tree.ts';
import { jobSpec, makeRealSandbox, media, MEDIA, namesIn, readResult, startRunner, waitForStandIn, waitForWaitingClip } from './real-tree.ts';
import { messageOf } from '../support/silent-log.ts';

/** Two jobs: a.json's clip waits until `meanwhile` has acted; b.json is an ordinary one after it. */
async function whileFirstJobEncodes(sandbox: RealSandbox, meanwhile: () => void) {
  const waiting = join(sandbox.media, media(sandbox, 'a.mov', MEDIA.wait));
  media(sandbox, 'b.mov');
  writeFileSync(join(sandbox.pending, 'a.json'), jobSpec(sandbox, ['a.mov']));
  writeFileSync(join(sandbox.pending, 'b.json'), jobSpec(sandbox, ['b.mov']));
  const child = startRunner(sandbox, [sandbox.watch, '--once']);
  await waitForStandIn(sandbox);
  await waitForWaitingClip(waiting);
  meanwhile();
  writeFileSync(`${waiting}.go`, '');
  const done = await child;
  return { exitCode: done.exitCode, stdout: String(done.stdout), stderr: String(done.stderr) };
}

describe('an operator moves or deletes files while a job runs (real disk)', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it("`mv running/a.json failed/` mid-encode: the COMPLETED result is written beside it in failed/, and b.json still runs", async (ctx) => {
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const run = await whileFirstJobEncodes(sandbox, () => renameSync(join(sandbox.running, 'a.json'), join(sandbox.failed, 'a.json')));

    expect(run.exitCode).toBe(0);
    expect(messageOf(run.stderr)).toBe('running/a.json was moved to failed/a.json while its job ran: its result is failed/a.result.json, beside it');
    expect(run.stdout).toContain('COMPLETED: a.json -> failed/a.json');
    expect(namesIn(sandbox.failed)).toEqual(['a.json', 'a.result.json']);
    expect(readResult(join(sandbox.failed, 'a.result.json')).final_status).toBe('COMPLETED');
    expect(namesIn(sandbox.completed)).toEqual(['b.json', 'b.result.json']);
    expect(namesIn(sandbox.running)).toEqual([]);
    expect(namesIn(sandbox.out)).toEqual(['a_proxy.mov', 'b_proxy.mov']);
  });

  it('`rm -rf completed/` mid-encode: completed/ is created again and holds both jobs with their results', async (ctx) => {
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const run = await whileFirstJobEncodes(sandbox, () => rmSync(sandbox.completed, { recursive: true }));

    expect(run.exitCode).toBe(0);
    expect(messageOf(run.stderr)).toBe(`completed/ was missing from ${sandbox.watch} (removed while the runner was working): created it again`);
    expect(namesIn(sandbox.completed)).toEqual(['a.json', 'a.result.json', 'b.json', 'b.result.json']);
    expect(namesIn(sandbox.running)).toEqual([]);
    expect(namesIn(sandbox.out)).toEqual(['a_proxy.mov', 'b_proxy.mov']);
  });

  it('the JobSpec deleted mid-encode: its result is still written, alone, in completed/, and the log says so', async (ctx) => {
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const run = await whileFirstJobEncodes(sandbox, () => rmSync(join(sandbox.running, 'a.json')));

    expect(run.exitCode).toBe(0);
    expect(messageOf(run.stderr)).toBe('running/a.json was moved or deleted while its job ran and is not in completed/ or failed/: its result is completed/a.result.json');
    expect(run.stdout).toContain('COMPLETED: a.json -> completed/a.result.json (the JobSpec left running/ during the job)');
    expect(namesIn(sandbox.completed)).toEqual(['a.result.json', 'b.json', 'b.result.json']);
    expect(readResult(join(sandbox.completed, 'a.result.json')).clips[0]?.output_exists).toBe(true);
    expect(namesIn(sandbox.out)).toEqual(['a_proxy.mov', 'b_proxy.mov']);
  });
});
