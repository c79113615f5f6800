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
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { resultTempNameOf } from '../../src/runner/filing-names.ts';
import type { RealSandbox, Snapshot } from './real-tree.ts';
import {
  armKiller, checkInvariants, jobSpec, killRunner, lockRecord, makeRealSandbox, media, namesIn, runOnce, sleep, snapshot, startRunner,
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
// JobSpec unlinked from running/, temp unlinked. The runner polls on afterwards (continuous mode), so the
// kill finds it alive however late a loaded machine delivers it; b.json is dropped after the crash.
const POINTS: readonly KillPoint[] = [
  { what: 'right after the claim', folder: 'running', entry: 'a.json', nth: 1 },
  { what: 'while the result temp file is written', folder: 'completed', entry: resultTempNameOf('a'), nth: 1 },
  { what: 'at the commit (JobSpec linked into completed/)', folder: 'completed', entry: 'a.json', nth: 1 },
  { what: 'at the result publication', folder: 'completed', entry: 'a.result.json', nth: 1 },
  { what: 'at the unlink from running/ after the commit', folder: 'running', entry: 'a.json', nth: 2 },
  { what: 'at the removal of the result temp file', folder: 'completed', entry: resultTempNameOf('a'), nth: 2 },
];

/** Where a.json is right after the kill, for the failure message. */
function stateOf(sandbox: RealSandbox): string {
  return ['running', 'completed', 'failed'].map((folder) => `${folder}/ [${namesIn(join(sandbox.watch, folder)).join(', ')}]`).join(' ');
}

/** `before` plus what was dropped since (`paths`, relative to the sandbox root), as the baseline of the invariants. */
function withDropped(sandbox: RealSandbox, before: Snapshot, paths: readonly string[]): Snapshot {
  const now = snapshot(sandbox.root);
  const baseline = new Map(before);
  for (const path of paths) {
    const entry = now.get(path);
    if (entry === undefined) throw new Error(`${path} was not dropped`);
    baseline.set(path, entry);
  }
  return baseline;
}

describe.concurrent('SIGKILL of a real runner at points of a job, then a restart', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it.for(POINTS)('$what', async (point, { onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    media(sandbox, 'a.mov');
    writeFileSync(join(sandbox.pending, 'a.json'), jobSpec(sandbox, ['a.mov'], { job_id: 'a001' }));
    const before = snapshot(sandbox.root);

    const killer = await armKiller(sandbox, join(sandbox.watch, point.folder), point.entry, point.nth);
    const runner = startRunner(sandbox, [sandbox.watch, '--poll-seconds', '0.2']);
    killer.aim(runner.pid);
    const crashed = await runner;
    const landed = stateOf(sandbox);
    // Killed by the killer, not by startRunner's hang guard (which kills with SIGKILL too).
    expect(crashed.timedOut, `the kill never came: ${landed}`).toBe(false);
    expect(crashed.signal, `the runner ended before the kill: ${landed}`).toBe('SIGKILL');
    // Work that arrives while no runner is alive: the restart must do it after its recovery.
    media(sandbox, 'b.mov');
    writeFileSync(join(sandbox.pending, 'b.json'), jobSpec(sandbox, ['b.mov'], { job_id: 'b001' }));
    const baseline = withDropped(sandbox, before, ['media/b.mov', 'watch/pending/b.json']);

    const restart = await runOnce(sandbox);

    expect(restart.timedOut).toBe(false);
    const { problems, filed } = checkInvariants(sandbox, baseline);
    expect(problems, `after a kill that left ${landed}`).toEqual([]);
    // The kill lands at the step or a little after it. A job committed before it is completed with its
    // own result and output; otherwise it is filed as interrupted, FAILED, which --once reports (R11.6).
    const a = filed.get('a.json');
    expect(restart.exitCode, restart.stdout + restart.stderr).toBe(a?.folder === 'failed' ? 1 : 0);
    if (a?.folder === 'completed') {
      expect(a.result?.job_id).toBe('a001');
      expect(a.result?._recovery).toBeUndefined();
      expect(namesIn(sandbox.out)).toContain('a_proxy.mov');
    } else {
      expect(a?.folder, `a.json after a kill that left ${landed}`).toBe('failed');
      expect(a?.result?._recovery?.reason).toBe('runner interrupted');
    }
    expect(filed.get('b.json')?.folder).toBe('completed');
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
