// A real runner process SIGKILLed at several points of a job's filesystem sequence, and during an idle
// poll, then a restart with --once (contract section 11, reliability sections 2 and 3). The points are
// reached through inotify: a small process of its own watches a state folder and SIGKILLs the runner the
// moment the runner's step shows up there, so the kill lands at that step or a little after it (on an
// idle machine each point below lands where its name says, between the runner's fsyncs; on a loaded one
// it may land later). The invariants must hold wherever it lands, so the assertions do not depend on it.
// memfs and the fault injector cover every single operation; this covers the real kernel, real fsyncs and
// a real process death.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultTempNameOf } from '../../src/runner/filing-names.ts';
import type { RealSandbox } from './real-tree.ts';
import {
  armKiller, checkInvariants, jobSpec, killRunner, lockRecord, makeRealSandbox, media, MEDIA, namesIn, runOnce, sleep, snapshot, startRunner,
  waitForOutput,
} from './real-tree.ts';

interface KillPoint {
  readonly what: string;
  readonly folder: 'running' | 'completed';
  /** The entry whose creation (or removal) in `folder` triggers the kill. */
  readonly entry: string;
  /** Which event for that entry: the 1st (it appears) or the 2nd (it goes away). */
  readonly nth: 1 | 2;
}

// job a.json completes: claim into running/, result temp in completed/, commit link, result published,
// temp unlinked, JobSpec unlinked from running/. b.json waits behind it, so the runner is still busy.
const POINTS: readonly KillPoint[] = [
  { what: 'right after the claim', folder: 'running', entry: 'a.json', nth: 1 },
  { what: 'while the result temp file is written', folder: 'completed', entry: resultTempNameOf('a'), nth: 1 },
  { what: 'at the commit (JobSpec linked into completed/)', folder: 'completed', entry: 'a.json', nth: 1 },
  { what: 'at the result publication', folder: 'completed', entry: 'a.result.json', nth: 1 },
  { what: 'at the unlink from running/ after the commit', folder: 'running', entry: 'a.json', nth: 2 },
];

/** Where a.json is right after the kill, for the failure message. */
function stateOf(sandbox: RealSandbox): string {
  return ['running', 'completed', 'failed'].map((folder) => `${folder}/ [${namesIn(join(sandbox.watch, folder)).join(', ')}]`).join(' ');
}

describe.concurrent('SIGKILL of a real runner at points of a job, then a restart', { timeout: 90_000 }, () => {
  it.for(POINTS)('$what', async (point, { onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    media(sandbox, 'a.mov');
    // b's clip takes a second, so that a kill landing late (a loaded machine) still finds the runner alive.
    media(sandbox, 'b.mov', MEDIA.delay);
    writeFileSync(join(sandbox.pending, 'a.json'), jobSpec(sandbox, ['a.mov'], { job_id: 'a001' }));
    writeFileSync(join(sandbox.pending, 'b.json'), jobSpec(sandbox, ['b.mov'], { job_id: 'b001' }));
    const before = snapshot(sandbox.root);

    const killer = await armKiller(sandbox, join(sandbox.watch, point.folder), point.entry, point.nth);
    const runner = startRunner(sandbox, [sandbox.watch, '--once']);
    killer.aim(runner.pid);
    const crashed = await runner;
    const landed = stateOf(sandbox);
    expect(crashed.signal, `the runner finished before the kill: ${landed}`).toBe('SIGKILL');

    const restart = await runOnce(sandbox);

    expect(restart.timedOut).toBe(false);
    expect(restart.exitCode, restart.stdout + restart.stderr).toBe(0);
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems, `after a kill that left ${landed}`).toEqual([]);
    // The kill lands at the step or a little after it (on a loaded machine, possibly in b's turn). A job
    // committed before it is completed with its own result and output; any other is filed as interrupted.
    for (const name of ['a', 'b']) {
      const job = filed.get(`${name}.json`);
      if (job?.folder === 'completed') {
        expect(job.result?.job_id).toBe(`${name}001`);
        expect(job.result?._recovery).toBeUndefined();
        expect(namesIn(sandbox.out)).toContain(`${name}_proxy.mov`);
      } else {
        expect(job?.folder, `${name}.json after a kill that left ${landed}`).toBe('failed');
        expect(job?.result?._recovery?.reason).toBe('runner interrupted');
      }
    }
    // Killed before b's claim: b is simply done by the restart.
    if (!landed.includes('b.json')) expect(filed.get('b.json')?.folder).toBe('completed');
  });

  it('during a continuous-mode idle poll: nothing to recover, the stale lock is replaced, new work is done', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    media(sandbox, 'a.mov');
    writeFileSync(join(sandbox.pending, 'a.json'), jobSpec(sandbox, ['a.mov']));
    const before = snapshot(sandbox.root);

    const runner = startRunner(sandbox, [sandbox.watch, '--poll-seconds', '0.2']);
    await waitForOutput(runner, 'Scan complete: 1 completed');
    await sleep(500); // a couple of idle polls
    const lock = lockRecord(sandbox);
    expect(lock).toEqual({ pid: runner.pid, ffmpegPid: null });
    expect(await killRunner(runner)).toEqual({ signal: 'SIGKILL' });

    // Already consistent with the runner dead: only its lock is left behind.
    const crashed = checkInvariants(sandbox, before, { mayAppear: ['watch/.runner.lock'] });
    expect(crashed.problems).toEqual([]);
    expect(crashed.filed.get('a.json')?.folder).toBe('completed');
    media(sandbox, 'b.mov');
    writeFileSync(join(sandbox.pending, 'b.json'), jobSpec(sandbox, ['b.mov']));
    const afterCrash = snapshot(sandbox.root);

    const restart = await runOnce(sandbox);

    expect(restart.timedOut).toBe(false);
    expect(restart.exitCode).toBe(0);
    expect(restart.stdout).not.toContain('Recovered');
    expect(restart.stdout).not.toContain('Terminated orphaned');
    expect(restart.stdout).toContain('Scan complete: 1 completed, 0 failed, 0 partial, 0 waiting');
    // a.json and its result are pre-existing now: unchanged. The stale lock is gone, and so is ours.
    const { problems, filed } = checkInvariants(sandbox, afterCrash, { mayChange: ['watch/.runner.lock'] });
    expect(problems).toEqual([]);
    expect(filed.get('b.json')?.folder).toBe('completed');
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
  });
});
