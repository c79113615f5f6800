// The lock's protocol through acquireLock and the lock it hands back, on memfs: what lands in
// `.runner.lock`, when the folder is busy and with which message, how a dead holder's lock is taken over
// (its FFmpeg child stopped once, its scratch removed), the races with a rival that releases, removes or
// replaces the lock between two of our steps, and which filesystem errors end the attempt. The goldens
// cannot see any of this: they leave the lock files out.

import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type { Deps, Fs, Host } from '../../src/ports.ts';
import { lockAsideNameOf, lockTempNameOf } from '../../src/runner/filing-names.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import type { LockAttempt } from '../../src/runner/lock.ts';
import { acquireLock } from '../../src/runner/lock.ts';
import { holderState } from '../../src/runner/lock-liveness.ts';
import type { LockRecord } from '../../src/runner/lock-record.ts';
import { memDeps } from '../support/mem-deps.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeHost, FAKE_HOST } from '../harness/fake-host.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { createMemFs } from '../harness/mem-fs.ts';
import { createFakeHooks } from '../harness/fake-hooks.ts';
import { keptLog } from '../support/silent-log.ts';

const ROOT = '/w';
const LOCK = `${ROOT}/.runner.lock`;
const DEAD = 999_999;
const ORPHAN = 5151;

const fsError = (code: string): Error => Object.assign(new Error(`${code}: injected`), { code });

interface Setup {
  /** Files under ROOT before the attempt (name → text). */
  readonly files?: Record<string, string>;
  /** Changes to the memfs adapter, given the volume and the adapter itself. */
  readonly wrap?: (fs: Fs, vol: Volume) => Fs;
  readonly host?: Partial<Host>;
}

interface Outcome {
  readonly attempt: LockAttempt;
  readonly vol: Volume;
  readonly deps: Deps;
  /** Names in ROOT after the attempt. */
  readonly names: () => string[];
  readonly lock: () => Record<string, unknown>;
}

async function attempt(setup: Setup = {}): Promise<Outcome> {
  const vol = new Volume();
  vol.mkdirSync(ROOT, { recursive: true });
  for (const [name, text] of Object.entries(setup.files ?? {})) vol.writeFileSync(`${ROOT}/${name}`, text);
  const base = createMemFs(vol);
  const fs = setup.wrap === undefined ? base : setup.wrap(base, vol);
  const clock = createFakeClock();
  const deps: Deps = {
    fs,
    clock,
    transcoder: createFakeTranscoder({ fs, clock, ffmpegPath: null, killRunner: (why) => { throw new Error(why); } }),
    host: { ...createFakeHost(), ...setup.host },
    hooks: createFakeHooks(),
    log: keptLog(),
    cwd: '/',
  };
  const result = await acquireLock(deps, layoutOf(ROOT), '2026-03-04T05:06:07.000+00:00');
  return {
    attempt: result,
    vol,
    deps,
    names: () => (vol.readdirSync(ROOT) as string[]).sort(),
    lock: () => JSON.parse(String(vol.readFileSync(LOCK))) as Record<string, unknown>,
  };
}

const record = (fields: Record<string, unknown>): string => `${JSON.stringify({ host: FAKE_HOST.hostname, started_at: 'then', ...fields })}\n`;

/** A rival writes `text` under the lock name just before our second link (the create after the stale lock's removal). */
const rivalLocksOnOurCreate = (text: string) => (fs: Fs, vol: Volume): Fs => {
  let links = 0;
  return {
    ...fs,
    link: async (from, to) => {
      links += 1;
      if (to === LOCK && links === 2) vol.writeFileSync(LOCK, text);
      await fs.link(from, to);
    },
  };
};

function held(outcome: Outcome) {
  if (!outcome.attempt.ok) throw new Error(`expected the lock, got: ${outcome.attempt.message}`);
  return outcome.attempt;
}

function refused(outcome: Outcome) {
  if (outcome.attempt.ok) throw new Error('expected a refusal, got the lock');
  return outcome.attempt;
}

describe('taking a free lock', () => {
  it('writes our record, whole, under the lock name and leaves no temp file', async () => {
    const outcome = await attempt({ host: { bootId: 'boot-1', startTimeOf: async (pid) => (pid === FAKE_HOST.pid ? 'st-4242' : null) } });
    expect(held(outcome).orphans).toEqual([]);
    expect(outcome.names()).toEqual(['.runner.lock']);
    expect(String(outcome.vol.readFileSync(LOCK))).toBe(
      `${JSON.stringify({ pid: FAKE_HOST.pid, host: FAKE_HOST.hostname, boot_id: 'boot-1', start_time: 'st-4242', started_at: '2026-03-04T05:06:07.000+00:00', ffmpeg_pid: null, ffmpeg_start_time: null })}\n`,
    );
  });

  it('a leftover temp of our own pid (a reused pid) does not stop the attempt', async () => {
    const outcome = await attempt({ files: { [lockTempNameOf(FAKE_HOST.pid)]: 'old' } });
    held(outcome);
    expect(outcome.names()).toEqual(['.runner.lock']);
    expect(outcome.lock()['pid']).toBe(FAKE_HOST.pid);
  });

  it('a filesystem without hard links is refused as unsupported, naming the code, for each code that means so', async () => {
    for (const code of ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']) {
      const outcome = await attempt({ wrap: (fs) => ({ ...fs, link: async () => { throw fsError(code); } }) });
      const refusal = refused(outcome);
      expect(refusal.kind).toBe('unsupported');
      expect(refusal.message).toBe(`The watch folder's filesystem does not support hard links (${code}), which the runner needs to file jobs without ever overwriting a file`);
      expect(outcome.names()).toEqual([]);
    }
  });

  it('any other error of the link propagates (a failing disk is not "no hard links"), and the temp is removed', async () => {
    let temp = '';
    const failing = attempt({
      wrap: (fs) => ({
        ...fs,
        link: async (from) => {
          temp = from;
          throw fsError('EIO');
        },
      }),
    });
    await expect(failing).rejects.toMatchObject({ code: 'EIO' });
    expect(temp).toBe(`${ROOT}/${lockTempNameOf(FAKE_HOST.pid)}`);
  });

  it('an error other than ENOENT while removing an old temp propagates', async () => {
    const failing = attempt({ wrap: (fs) => ({ ...fs, unlink: async () => { throw fsError('EIO'); } }) });
    await expect(failing).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe('a lock that is held', () => {
  it('by a live runner here: busy, naming its pid; its lock is untouched', async () => {
    const text = record({ pid: FAKE_HOST.livePid });
    const outcome = await attempt({ files: { '.runner.lock': text } });
    expect(refused(outcome)).toEqual({ ok: false, kind: 'busy', message: `Watch folder is in use by another runner (pid ${FAKE_HOST.livePid})` });
    expect(String(outcome.vol.readFileSync(LOCK))).toBe(text);
    expect(outcome.names()).toEqual(['.runner.lock']);
  });

  it('by another host: busy, naming the pid, the host and the file to remove once that host is gone', async () => {
    const text = record({ pid: DEAD, host: 'render-02' });
    const outcome = await attempt({ files: { '.runner.lock': text } });
    expect(refused(outcome)).toEqual({
      ok: false,
      kind: 'busy',
      message: `Watch folder is in use by another runner (pid ${DEAD} on host render-02); if that host is gone, remove ${LOCK}`,
    });
    expect(String(outcome.vol.readFileSync(LOCK))).toBe(text);
  });
});

describe('taking over from a dead runner', () => {
  it('replaces its lock with ours and removes its unfinished update', async () => {
    const outcome = await attempt({ files: { '.runner.lock': record({ pid: DEAD }), [lockTempNameOf(DEAD)]: record({ pid: DEAD, ffmpeg_pid: null }) } });
    expect(held(outcome).orphans).toEqual([]);
    expect(outcome.names()).toEqual(['.runner.lock']);
    expect(outcome.lock()['pid']).toBe(FAKE_HOST.pid);
  });

  it('a lock that is no record at all (not JSON) is taken over too', async () => {
    const outcome = await attempt({ files: { '.runner.lock': 'garbage' } });
    held(outcome);
    expect(outcome.names()).toEqual(['.runner.lock']);
    expect(outcome.lock()['pid']).toBe(FAKE_HOST.pid);
  });

  it('a record without a pid leaves no temp of "pid null" to look for', async () => {
    const outcome = await attempt({ files: { '.runner.lock': '{"host": "scenario-host"}\n', [lockTempNameOf(DEAD)]: record({ pid: DEAD, ffmpeg_pid: ORPHAN }) } });
    held(outcome);
    // The dead pid's temp is still swept as a dead runner's scratch, but its FFmpeg is not looked for.
    expect(outcome.names()).toEqual(['.runner.lock']);
  });

  /** A host where ORPHAN is a live FFmpeg until it gets a signal. */
  function orphanHost(signals: string[]): Partial<Host> {
    let alive = true;
    return {
      isAlive: (pid) => (pid === ORPHAN ? alive : pid === FAKE_HOST.pid || pid === FAKE_HOST.livePid),
      isFfmpeg: async (pid) => pid === ORPHAN && alive,
      startTimeOf: async (pid) => (pid === ORPHAN ? 'st-orphan' : null),
      kill: (pid, signal) => {
        if (pid !== ORPHAN) return;
        signals.push(signal);
        alive = false;
      },
    };
  }

  it('stops the FFmpeg child recorded only in the dead runner\'s unfinished update', async () => {
    const signals: string[] = [];
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD }), [lockTempNameOf(DEAD)]: record({ pid: DEAD, ffmpeg_pid: ORPHAN, ffmpeg_start_time: 'st-orphan' }) },
      host: orphanHost(signals),
    });
    expect(held(outcome).orphans).toEqual([{ pid: ORPHAN, end: 'terminated' }]);
    expect(signals).toEqual(['SIGTERM']);
    expect(outcome.names()).toEqual(['.runner.lock']);
  });

  it('a child recorded in both the lock and the update is stopped once', async () => {
    const signals: string[] = [];
    const child = { ffmpeg_pid: ORPHAN, ffmpeg_start_time: 'st-orphan' };
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD, ...child }), [lockTempNameOf(DEAD)]: record({ pid: DEAD, ...child }) },
      host: orphanHost(signals),
    });
    expect(held(outcome).orphans).toEqual([{ pid: ORPHAN, end: 'terminated' }]);
    expect(signals).toEqual(['SIGTERM']);
  });

  it('a child recorded in both that outlives even SIGKILL for a moment gets each signal once, not a second round', async () => {
    const signals: string[] = [];
    const child = { ffmpeg_pid: ORPHAN, ffmpeg_start_time: 'st-orphan' };
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD, ...child }), [lockTempNameOf(DEAD)]: record({ pid: DEAD, ...child }) },
      host: { ...orphanHost(signals), isAlive: (pid) => pid === ORPHAN || pid === FAKE_HOST.pid || pid === FAKE_HOST.livePid, isFfmpeg: async (pid) => pid === ORPHAN, kill: (pid, signal) => void (pid === ORPHAN && signals.push(signal)) },
    });
    expect(held(outcome).orphans).toEqual([{ pid: ORPHAN, end: 'killed' }]);
    expect(signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('a child whose recorded start time is another process\'s is left alone (a reused pid)', async () => {
    const signals: string[] = [];
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD, ffmpeg_pid: ORPHAN, ffmpeg_start_time: 'st-someone-else' }) },
      host: orphanHost(signals),
    });
    expect(held(outcome).orphans).toEqual([]);
    expect(signals).toEqual([]);
  });

  it('a rival that removed the stale lock first: our create decides, and we hold it', async () => {
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD }) },
      wrap: (fs, vol) => ({
        ...fs,
        rename: async (from, to) => {
          if (from === LOCK && to.includes('.stale.')) {
            vol.unlinkSync(LOCK);
            throw fsError('ENOENT');
          }
          await fs.rename(from, to);
        },
      }),
    });
    held(outcome);
    expect(outcome.lock()['pid']).toBe(FAKE_HOST.pid);
    expect(outcome.names()).toEqual(['.runner.lock']);
  });

  it('an error other than ENOENT while moving the stale lock aside propagates', async () => {
    const failing = attempt({
      files: { '.runner.lock': record({ pid: DEAD }) },
      wrap: (fs) => ({ ...fs, rename: async () => { throw fsError('EIO'); } }),
    });
    await expect(failing).rejects.toMatchObject({ code: 'EIO' });
  });

  it('a rival that replaced the stale lock before we moved it: its lock is put back, and the folder is busy', async () => {
    const rival = record({ pid: FAKE_HOST.livePid });
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD }) },
      wrap: (fs, vol) => ({
        ...fs,
        rename: async (from, to) => {
          if (from === LOCK && to.includes('.stale.')) {
            // The rival took the dead lock over in the meantime: a new file (new inode) under the name.
            vol.writeFileSync(`${ROOT}/rival.tmp`, rival);
            vol.renameSync(`${ROOT}/rival.tmp`, LOCK);
          }
          await fs.rename(from, to);
        },
      }),
    });
    expect(refused(outcome)).toEqual({ ok: false, kind: 'busy', message: 'Watch folder is in use by another runner (pid unknown)' });
    expect(String(outcome.vol.readFileSync(LOCK))).toBe(rival);
    expect(outcome.names()).toEqual(['.runner.lock']);
  });

  it('a rival that takes the lock between our removal of the stale one and our create: busy, naming the winner', async () => {
    const rival = record({ pid: FAKE_HOST.livePid });
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD }) },
      wrap: rivalLocksOnOurCreate(rival),
    });
    expect(refused(outcome)).toEqual({ ok: false, kind: 'busy', message: `Watch folder is in use by another runner (pid ${FAKE_HOST.livePid})` });
    expect(String(outcome.vol.readFileSync(LOCK))).toBe(rival);
    expect(outcome.names()).toEqual(['.runner.lock']);
  });

  it('a winner whose lock is not (yet) a record: busy, pid unknown', async () => {
    const outcome = await attempt({
      files: { '.runner.lock': record({ pid: DEAD }) },
      wrap: rivalLocksOnOurCreate(''),
    });
    expect(refused(outcome)).toEqual({ ok: false, kind: 'busy', message: 'Watch folder is in use by another runner (pid unknown)' });
  });
});

describe('a lock released between our attempt and our look', () => {
  /** The first link says EEXIST for a lock that its holder removes right after. */
  const releasedAfterFirstLink = (second: 'free' | 'taken-and-gone') => (fs: Fs): Fs => {
    let links = 0;
    return {
      ...fs,
      link: async (from, to) => {
        links += 1;
        if (to === LOCK && (links === 1 || second === 'taken-and-gone')) throw fsError('EEXIST');
        await fs.link(from, to);
      },
    };
  };

  it('one more attempt takes it', async () => {
    const outcome = await attempt({ wrap: releasedAfterFirstLink('free') });
    expect(held(outcome).orphans).toEqual([]);
    expect(outcome.lock()['pid']).toBe(FAKE_HOST.pid);
    expect(outcome.names()).toEqual(['.runner.lock']);
  });

  it('taken by a live rival during our second attempt: busy, naming it', async () => {
    const rival = record({ pid: FAKE_HOST.livePid });
    let links = 0;
    const outcome = await attempt({
      wrap: (fs, vol) => ({
        ...fs,
        link: async (from, to) => {
          links += 1;
          if (to === LOCK && links === 1) throw fsError('EEXIST');
          if (to === LOCK && links === 2) vol.writeFileSync(LOCK, rival);
          await fs.link(from, to);
        },
      }),
    });
    expect(refused(outcome)).toEqual({ ok: false, kind: 'busy', message: `Watch folder is in use by another runner (pid ${FAKE_HOST.livePid})` });
    expect(String(outcome.vol.readFileSync(LOCK))).toBe(rival);
  });

  it('taken and released again by a rival during our second attempt: busy, pid unknown', async () => {
    const outcome = await attempt({ wrap: releasedAfterFirstLink('taken-and-gone') });
    expect(refused(outcome)).toEqual({ ok: false, kind: 'busy', message: 'Watch folder is in use by another runner (pid unknown)' });
    expect(outcome.names()).toEqual([]);
  });
});

describe('the lock we hold', () => {
  it('records the FFmpeg child with its start time, clears it again, and is released', async () => {
    const outcome = await attempt({ host: { startTimeOf: async (pid) => `st-${pid}` } });
    const { lock } = held(outcome);
    await lock.recordChild(31337);
    expect(outcome.lock()).toMatchObject({ pid: FAKE_HOST.pid, start_time: `st-${FAKE_HOST.pid}`, ffmpeg_pid: 31337, ffmpeg_start_time: 'st-31337' });
    expect(outcome.names()).toEqual(['.runner.lock']);
    await lock.recordChild(null);
    expect(outcome.lock()).toMatchObject({ pid: FAKE_HOST.pid, ffmpeg_pid: null, ffmpeg_start_time: null });
    expect(outcome.names()).toEqual(['.runner.lock']);
    await lock.release();
    expect(outcome.names()).toEqual([]);
  });

  it('the sweep after taking it keeps our own aside name and a live runner\'s scratch', async () => {
    const outcome = await attempt({
      files: {
        [lockAsideNameOf(FAKE_HOST.livePid)]: 'x',
        [lockTempNameOf(FAKE_HOST.livePid)]: 'x',
        [lockAsideNameOf(DEAD)]: 'x',
        [lockTempNameOf(DEAD)]: 'x',
        'unrelated.lock.99.tmp': 'x',
      },
    });
    held(outcome);
    expect(outcome.names()).toEqual(['.runner.lock', lockAsideNameOf(FAKE_HOST.livePid), lockTempNameOf(FAKE_HOST.livePid), 'unrelated.lock.99.tmp'].sort());
  });
});

describe('holderState, the verdict the protocol acts on', () => {
  const deps = (host: Partial<Host>): Deps => ({ ...memDeps().deps, host: { ...createFakeHost(), ...host } });
  const holder = (fields: Partial<LockRecord>): LockRecord => ({
    pid: FAKE_HOST.livePid,
    host: FAKE_HOST.hostname,
    boot_id: null,
    start_time: null,
    started_at: 'then',
    ffmpeg_pid: null,
    ffmpeg_start_time: null,
    ...fields,
  });

  it('answers exactly one of alive, dead and foreign', async () => {
    expect(await holderState(deps({}), holder({}))).toBe('alive');
    expect(await holderState(deps({}), holder({ pid: DEAD }))).toBe('dead');
    expect(await holderState(deps({ bootId: 'boot-2' }), holder({ boot_id: 'boot-1' }))).toBe('dead');
    expect(await holderState(deps({}), holder({ host: 'render-02' }))).toBe('foreign');
  });

  it('a lock that recorded no start time is judged by liveness alone, even where the host knows one now', async () => {
    expect(await holderState(deps({ startTimeOf: async () => 'st-now' }), holder({ start_time: null }))).toBe('alive');
    expect(await holderState(deps({ startTimeOf: async () => 'st-now' }), holder({ start_time: 'st-then' }))).toBe('dead');
  });
});
