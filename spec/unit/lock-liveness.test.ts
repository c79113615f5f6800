// Whether a lock's holder is alive, and what happens to a dead holder's FFmpeg (SPEC.md R11.10–R11.15),
// through runApp on memfs with a host whose processes the test describes: pid reuse after a restart
// (another start time), a lock from an earlier boot, our own pid in a lock, and an orphaned FFmpeg that
// does or does not obey SIGTERM. Times are the fake clock's, never the wall clock's.

import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/ports.ts';
import type { FakeClock } from '../harness/fake-clock.ts';
import { FAKE_HOST } from '../harness/fake-host.ts';
import type { TreeRun } from '../support/run-tree.ts';
import { runTree } from '../support/run-tree.ts';
import { baseJobSpec, withFields } from '../generated/base.ts';

const HOLDER = 900;
const ORPHAN = 901;

interface ProcessModel {
  readonly startTime: string | null;
  readonly ffmpeg?: boolean;
  /** How long it takes to die once sent SIGTERM; null: it ignores SIGTERM (only SIGKILL ends it). */
  readonly exitsAfterSigtermMs?: number | null;
}

interface Kill {
  readonly pid: number;
  readonly signal: string;
  readonly atMs: number;
}

/** A host whose other processes are `processes`; records every kill with the fake time it was sent at. */
function modelledHost(processes: Readonly<Record<number, ProcessModel>>, bootId: string | null) {
  const kills: Kill[] = [];
  let runClock: FakeClock | null = null;
  const factory = (clock: FakeClock): Host => {
    runClock = clock;
    const diesAt = new Map<number, number>();
    const alive = (pid: number): boolean => {
      if (pid === FAKE_HOST.pid) return true;
      if (processes[pid] === undefined) return false;
      const death = diesAt.get(pid);
      return death === undefined || clock.now() < death;
    };
    return {
      pid: FAKE_HOST.pid,
      hostname: FAKE_HOST.hostname,
      bootId,
      pidNamespace: null,
      isAlive: alive,
      startTimeOf: async (pid) => (pid === FAKE_HOST.pid ? 'our-start' : alive(pid) ? (processes[pid]?.startTime ?? null) : null),
      isFfmpeg: async (pid) => alive(pid) && processes[pid]?.ffmpeg === true,
      kill(pid, signal) {
        kills.push({ pid, signal, atMs: clock.now() });
        const model = processes[pid];
        if (model === undefined || diesAt.has(pid)) return;
        if (signal === 'SIGKILL') diesAt.set(pid, clock.now());
        else if (model.exitsAfterSigtermMs !== null && model.exitsAfterSigtermMs !== undefined) diesAt.set(pid, clock.now() + model.exitsAfterSigtermMs);
      },
    };
  };
  return { factory, kills, nowMs: () => (runClock as FakeClock | null)?.now() ?? Number.NaN };
}

interface LockFields {
  readonly pid?: number;
  readonly host?: string;
  readonly boot_id?: string | null;
  readonly start_time?: string | null;
  readonly ffmpeg_pid?: number | null;
  readonly ffmpeg_start_time?: string | null;
}

function lockText(fields: LockFields): string {
  const record = { pid: HOLDER, host: FAKE_HOST.hostname, boot_id: null, start_time: null, started_at: 'x', ffmpeg_pid: null, ffmpeg_start_time: null, ...fields };
  return `${JSON.stringify(record)}\n`;
}

/** A dead-or-alive holder's lock, the job it left in running/, and nothing pending. */
function lockedTree(lock: LockFields, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'watch/pending': { $dir: true },
    'watch/running/left.json': withFields(baseJobSpec(), { job_id: 'left0001' }),
    'watch/completed': { $dir: true },
    'watch/failed': { $dir: true },
    'watch/.runner.lock': lockText(lock),
    'media/clip.mov': { $media: { exit: 0 } },
    out: { $dir: true },
    ...extra,
  };
}

function runOnce(tree: Record<string, unknown>, host: (clock: FakeClock) => Host): Promise<TreeRun> {
  return runTree(tree, { host });
}

function expectTakenOver(outcome: TreeRun): void {
  // The dead holder's job is filed FAILED by recovery, which --once reports (R11.6).
  expect(outcome.exit).toBe(1);
  expect(Object.keys(outcome.tree)).toContain('watch/failed/left.json');
  expect(Object.keys(outcome.tree)).not.toContain('watch/running/left.json');
}

function expectRefused(outcome: TreeRun): void {
  expect(outcome.exit).toBe(3);
  expect(Object.keys(outcome.tree)).toContain('watch/running/left.json');
  expect(Object.keys(outcome.tree)).not.toContain('watch/failed/left.json');
  expect(outcome.lines).toContain(`error: Watch folder is in use by another runner (pid ${HOLDER})`);
}

describe('the holder of a lock', () => {
  it('is alive when its pid lives with the start time the lock recorded', async () => {
    const host = modelledHost({ [HOLDER]: { startTime: 'T1' } }, null);
    expectRefused(await runOnce(lockedTree({ start_time: 'T1' }), host.factory));
  });

  it('is dead when its pid now belongs to a process that started at another time (pid reuse)', async () => {
    const host = modelledHost({ [HOLDER]: { startTime: 'T2' } }, null);
    expectTakenOver(await runOnce(lockedTree({ start_time: 'T1' }), host.factory));
  });

  it('is trusted by liveness alone when the host cannot tell the start time', async () => {
    const host = modelledHost({ [HOLDER]: { startTime: null } }, null);
    expectRefused(await runOnce(lockedTree({ start_time: 'T1' }), host.factory));
  });

  it('is dead when the lock was written during an earlier boot, whatever its pid names now', async () => {
    const host = modelledHost({ [HOLDER]: { startTime: 'T1' } }, 'boot-2');
    expectTakenOver(await runOnce(lockedTree({ start_time: 'T1', boot_id: 'boot-1' }), host.factory));
  });

  it('is judged by pid and start time when the boot ids agree, or when either side does not know one', async () => {
    const alive = { [HOLDER]: { startTime: 'T1' } };
    expectRefused(await runOnce(lockedTree({ start_time: 'T1', boot_id: 'boot-1' }), modelledHost(alive, 'boot-1').factory));
    expectRefused(await runOnce(lockedTree({ start_time: 'T1', boot_id: 'boot-1' }), modelledHost(alive, null).factory));
    expectRefused(await runOnce(lockedTree({ start_time: 'T1', boot_id: null }), modelledHost(alive, 'boot-1').factory));
  });

  it('is dead when the lock names our own pid: that pid was reused by us', async () => {
    const host = modelledHost({}, null);
    expectTakenOver(await runOnce(lockedTree({ pid: FAKE_HOST.pid }), host.factory));
  });

  it('of another host is never judged here: exit 3 even when that pid is dead on this host', async () => {
    const host = modelledHost({}, null);
    const outcome = await runOnce(lockedTree({ host: 'elsewhere' }), host.factory);
    expect(outcome.exit).toBe(3);
    expect(Object.keys(outcome.tree)).toContain('watch/running/left.json');
    expect(outcome.lines).toContain(
      `error: Watch folder is in use by another runner (pid ${HOLDER} on host elsewhere); if that host is gone, remove /scenario/watch/.runner.lock`,
    );
  });
});

describe("a dead runner's FFmpeg", () => {
  const orphanLock = { ffmpeg_pid: ORPHAN, ffmpeg_start_time: 'F1' };

  it('gets SIGTERM, and SIGKILL 5 s later when it is still running', async () => {
    const host = modelledHost({ [ORPHAN]: { startTime: 'F1', ffmpeg: true, exitsAfterSigtermMs: null } }, null);
    const outcome = await runOnce(lockedTree(orphanLock), host.factory);

    expectTakenOver(outcome);
    expect(host.kills.map(({ pid, signal }) => ({ pid, signal }))).toEqual([
      { pid: ORPHAN, signal: 'SIGTERM' },
      { pid: ORPHAN, signal: 'SIGKILL' },
    ]);
    const [term, kill] = host.kills;
    if (term === undefined || kill === undefined) throw new Error('two kills expected');
    expect(kill.atMs - term.atMs).toBe(5000);
    expect(outcome.lines).toContain(`Terminated orphaned FFmpeg process ${ORPHAN} of a previous runner (SIGKILL: it was still running 5 s after SIGTERM)`);
  });

  it('gets no SIGKILL when SIGTERM ends it within the grace period, and the wait ends when it exits', async () => {
    const host = modelledHost({ [ORPHAN]: { startTime: 'F1', ffmpeg: true, exitsAfterSigtermMs: 4900 } }, null);
    const outcome = await runOnce(lockedTree(orphanLock), host.factory);

    expectTakenOver(outcome);
    expect(host.kills.map(({ signal }) => signal)).toEqual(['SIGTERM']);
    // The wait ends as soon as the orphan is gone, not at the end of the grace period: nothing after it
    // waits on the fake clock, so the run ends at the orphan's exit.
    expect(host.nowMs() - (host.kills[0]?.atMs ?? Number.NaN)).toBe(4900);
  });

  it('is left alone when its pid is now another process (another start time) or not FFmpeg', async () => {
    const reused = modelledHost({ [ORPHAN]: { startTime: 'F2', ffmpeg: true } }, null);
    const notFfmpeg = modelledHost({ [ORPHAN]: { startTime: 'F1', ffmpeg: false } }, null);
    for (const host of [reused, notFfmpeg]) {
      const outcome = await runOnce(lockedTree(orphanLock), host.factory);
      expectTakenOver(outcome);
      expect(host.kills).toEqual([]);
      expect(outcome.lines.filter((line) => line.startsWith('Terminated'))).toEqual([]);
    }
  });

  it('recorded only in the dead runner\'s private lock temp file is terminated too, and the temp file removed', async () => {
    const host = modelledHost({ [ORPHAN]: { startTime: 'F1', ffmpeg: true, exitsAfterSigtermMs: 0 } }, null);
    const tree = lockedTree({}, { [`watch/.runner.lock.${HOLDER}.tmp`]: lockText(orphanLock) });
    const outcome = await runOnce(tree, host.factory);

    expectTakenOver(outcome);
    expect(host.kills).toEqual([{ pid: ORPHAN, signal: 'SIGTERM', atMs: expect.any(Number) }]);
    expect(await outcome.exists(`watch/.runner.lock.${HOLDER}.tmp`)).toBe(false);
    expect(await outcome.exists('watch/.runner.lock')).toBe(false);
  });
});
