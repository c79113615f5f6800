// The single-instance lock's protocol (contract section 11): taking `<folder>/.runner.lock`, taking it
// over from a dead runner, recording the FFmpeg child in it, and releasing it. The record's format is
// lock-record.ts's; whether a holder lives is lock-liveness.ts's.
//
// The record is always written to a private temp file first and then linked (to create) or renamed (to
// update) into place, so nobody ever reads a half-written lock. A stale lock is moved aside, and the move
// is checked to have taken the very lock judged stale, so two starting runners cannot both win. Whoever
// holds the lock removes the scratch files (temps, asides) that dead runners left, so none stays forever.

import { join } from 'node:path';
import type { Deps } from '../ports.ts';
import { fsErrorCode, ignoreMissing, linkNoReplace, lstatOrNull } from '../ports.ts';
import type { Layout } from './layout.ts';
import { lockAsideNameOf, lockTempNameOf, pidOfLockScratch, sharedLockTempNameOf } from './filing-names.ts';
import type { OrphanEnd } from './lock-liveness.ts';
import { holderState, terminateOrphan } from './lock-liveness.ts';
import type { LockActivity, LockRecord, WorkerChild } from './lock-record.ts';
import { childrenOf, readLockRecord, replaceLockRecord, writeLockRecord } from './lock-record.ts';

/** One worker's part of the lock record: its FFmpeg child and what that child encodes. */
export interface ChildRecorder {
  /**
   * Records (or clears, with null) the FFmpeg child's pid, with what it encodes (for `status`): one write
   * that orphan cleanup needs anyway carries both.
   */
  recordChild(pid: number | null, activity?: LockActivity): Promise<void>;
  /** Records how far the current FFmpeg child is (a long encode's progress, for `status`). */
  recordActivity(activity: LockActivity): Promise<void>;
}

/** The lock while it is held: worker 1's recorder itself, and one for each further worker. */
export interface HeldLock extends ChildRecorder {
  /** The recorder of worker `n` (from 1; worker 1's is the lock itself). */
  worker(n: number): ChildRecorder;
  release(): Promise<void>;
}

/** A dead runner's FFmpeg child that this start stopped. */
export interface StoppedOrphan {
  readonly pid: number;
  readonly end: Exclude<OrphanEnd, 'not-an-orphan'>;
}

export type LockAttempt =
  | { ok: true; lock: HeldLock; orphans: StoppedOrphan[] }
  | { ok: false; kind: 'busy' | 'unsupported'; message: string };

const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

const tempOf = (layout: Layout, pid: number): string => join(layout.root, lockTempNameOf(pid));

/** Writes `record` to the private `temp`, then links it into place as the lock (never replacing anything); false when a lock exists. */
async function createLock(deps: Deps, layout: Layout, record: LockRecord, temp: string): Promise<boolean> {
  await ignoreMissing(deps.fs.unlink(temp));
  try {
    // Inside the try: a write that fails half-way (ENOSPC) leaves a temp file that must go too.
    await writeLockRecord(deps.fs, temp, record);
    try {
      await linkNoReplace(deps.fs, temp, layout.lock);
      return true;
    } catch (error) {
      if (fsErrorCode(error) === 'EEXIST') return false;
      throw error;
    }
  } finally {
    await ignoreMissing(deps.fs.unlink(temp));
  }
}

/** Where a record lives: its file, and the private temp each update is written to before it is renamed over. */
export interface RecordPlace {
  readonly path: string;
  readonly temp: string;
}

function heldLock(deps: Deps, layout: Layout, record: LockRecord): HeldLock {
  return holdRecord(deps, { path: layout.lock, temp: tempOf(layout, deps.host.pid) }, record).lock;
}

/**
 * A record this runner keeps up to date at `place` (the lock, or a shared runner's lease): the lock's
 * recorders over it, and `update` for any other change (a lease's renewal), all through one write queue.
 */
export function holdRecord(deps: Deps, place: RecordPlace, record: LockRecord): { readonly lock: HeldLock; update(next: (now: LockRecord) => LockRecord): Promise<void> } {
  const { temp } = place;
  let current = record;
  // One write at a time: a progress report can arrive while the spawn's own write is still under way, and
  // two writers of one temp file would interleave.
  let queue: Promise<void> = Promise.resolve();
  const write = (next: (now: LockRecord) => LockRecord): Promise<void> => {
    const done = queue.then(async () => {
      const record = next(current);
      await ignoreMissing(deps.fs.unlink(temp));
      // A write that fails (ENOSPC) leaves its temp file behind; the next holder's sweep removes it.
      // Renaming over our own lock replaces nothing anyone else owns.
      await replaceLockRecord(deps.fs, temp, place.path, record);
      current = record;
    });
    queue = done.catch(() => undefined);
    return done;
  };
  const first: ChildRecorder = {
    async recordChild(pid, activity) {
      const startTime = pid === null ? null : await deps.host.startTimeOf(pid);
      await write(({ activity: _previous, ...base }) => ({ ...base, ffmpeg_pid: pid, ffmpeg_start_time: startTime, ...(activity === undefined ? {} : { activity }) }));
    },
    async recordActivity(activity) {
      await write((now) => ({ ...now, activity }));
    },
  };
  /** Worker n's entry of `workers` replaced by `entry` (removed when it names no child), in worker order. */
  const withWorker = (now: LockRecord, n: number, entry: WorkerChild | null): LockRecord => {
    const others = (now.workers ?? []).filter((w) => w.worker !== n);
    const workers = (entry === null ? others : [...others, entry]).sort((a, b) => a.worker - b.worker);
    const { workers: _previous, ...base } = now;
    return workers.length === 0 ? base : { ...base, workers };
  };
  const further = (n: number): ChildRecorder => ({
    async recordChild(pid, activity) {
      const startTime = pid === null ? null : await deps.host.startTimeOf(pid);
      const entry: WorkerChild | null = pid === null ? null : { worker: n, ffmpeg_pid: pid, ffmpeg_start_time: startTime, ...(activity === undefined ? {} : { activity }) };
      await write((now) => withWorker(now, n, entry));
    },
    async recordActivity(activity) {
      await write((now) => {
        const entry = now.workers?.find((w) => w.worker === n);
        return entry === undefined ? now : withWorker(now, n, { ...entry, activity });
      });
    },
  });
  return {
    lock: {
      ...first,
      worker: (n) => (n === 1 ? first : further(n)),
      async release() {
        await deps.fs.unlink(place.path);
      },
    },
    update: (next) => write(next),
  };
}

/**
 * Removes the lock temps and asides of runners that are no longer alive (a write that failed, a crash
 * between writing and linking). A live pid's are left: a rival may be in the middle of its own attempt.
 */
async function sweepScratch(deps: Deps, layout: Layout): Promise<void> {
  for (const name of await deps.fs.readdir(layout.root)) {
    const pid = pidOfLockScratch(name);
    // Our own pid is alive too: its temp is createLock's own to remove.
    if (pid === null || deps.host.isAlive(pid)) continue;
    await ignoreMissing(deps.fs.unlink(join(layout.root, name)));
  }
}

async function held(deps: Deps, layout: Layout, record: LockRecord, orphans: StoppedOrphan[]): Promise<LockAttempt> {
  await sweepScratch(deps, layout);
  return { ok: true, lock: heldLock(deps, layout, record), orphans };
}

function busy(message: string): LockAttempt {
  return { ok: false, kind: 'busy', message };
}

/**
 * Moves the stale lock aside and checks that what moved is the lock judged stale (same inode); if a
 * rival replaced it meanwhile, its lock is put back and the folder is reported busy.
 */
async function removeStaleLock(deps: Deps, layout: Layout, staleIno: number): Promise<boolean> {
  const aside = join(layout.root, lockAsideNameOf(deps.host.pid));
  await ignoreMissing(deps.fs.unlink(aside));
  try {
    await deps.fs.rename(layout.lock, aside);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return true; // a rival removed it first; the create decides
    throw error;
  }
  const moved = await deps.fs.lstat(aside);
  if (moved.ino !== staleIno) {
    await deps.fs.link(aside, layout.lock).catch((error: unknown) => void fsErrorCode(error));
    await deps.fs.unlink(aside);
    return false;
  }
  await deps.fs.unlink(aside);
  return true;
}

/** Stops the FFmpeg children a dead holder recorded, in its lock or in the update it was writing. */
export async function stopOrphans(deps: Deps, records: ReadonlyArray<LockRecord | null>): Promise<StoppedOrphan[]> {
  const orphans: StoppedOrphan[] = [];
  for (const { pid, startTime } of records.flatMap((record) => (record === null ? [] : childrenOf(record)))) {
    if (orphans.some((o) => o.pid === pid)) continue;
    const end = await terminateOrphan(deps, pid, startTime);
    if (end !== 'not-an-orphan') orphans.push({ pid, end });
  }
  return orphans;
}

/** This runner's identity as a record says it (no FFmpeg child yet). */
export async function ownRecord(deps: Deps, startedAt: string): Promise<LockRecord> {
  return {
    pid: deps.host.pid,
    host: deps.host.hostname,
    boot_id: deps.host.bootId,
    start_time: await deps.host.startTimeOf(deps.host.pid),
    ...(deps.host.pidNamespace === null ? {} : { pid_ns: deps.host.pidNamespace }),
    started_at: startedAt,
    ffmpeg_pid: null,
    ffmpeg_start_time: null,
  };
}

/** How placing the lock file ended: placed (with the dead holder's FFmpeg children it stopped), or why not. */
type Placed = { ok: true; orphans: StoppedOrphan[] } | { ok: false; kind: 'busy' | 'unsupported'; message: string };

/** Who may hold `.runner.lock`: a lone runner (the lock is its own) or a --shared one (the shared marker). */
interface LockTerms {
  /** A live holder's record that serves as well as ours (the shared marker, for shared runners). */
  readonly accepts: (holder: LockRecord) => boolean;
  /** Why a record refuses us whether its holder lives or not, or null. */
  readonly refuses: (holder: LockRecord) => string | null;
  /** Who a live holder is, in the busy message. */
  readonly rival: string;
}

/**
 * Places `record` as the lock through `temp`: created when there is none, taken over from a holder that is
 * dead (its FFmpeg stopped first; a kill between its spawn being recorded in its temp file and the rename
 * left the pid only there, so that is read too), accepted as it is when `terms` accept it.
 */
async function placeLock(deps: Deps, layout: Layout, record: LockRecord, temp: string, terms: LockTerms): Promise<Placed> {
  try {
    if (await createLock(deps, layout, record, temp)) return { ok: true, orphans: [] };
  } catch (error) {
    const code = fsErrorCode(error);
    if (!NO_LINKS.has(code)) throw error;
    return {
      ok: false,
      kind: 'unsupported',
      message: `The watch folder's filesystem does not support hard links (${code}), which the runner needs to file jobs without ever overwriting a file`,
    };
  }

  let lockStat = await lstatOrNull(deps.fs, layout.lock);
  // Released between our attempt and this look (its holder just stopped): one more attempt decides.
  if (lockStat === null) {
    if (await createLock(deps, layout, record, temp)) return { ok: true, orphans: [] };
    lockStat = await lstatOrNull(deps.fs, layout.lock);
    if (lockStat === null) return busy('Watch folder is in use by another runner (pid unknown)');
  }
  // A lock that holds no record was never a whole lock (see lock-record.ts): its writer died. Otherwise:
  const holder = await readLockRecord(deps.fs, layout.lock);
  if (holder !== null && terms.accepts(holder)) return { ok: true, orphans: [] };
  const refusal = holder === null ? null : terms.refuses(holder);
  if (refusal !== null) return busy(refusal);
  let orphans: StoppedOrphan[] = [];
  if (holder !== null) {
    const state = await holderState(deps, holder);
    if (state === 'foreign') {
      return busy(`Watch folder is in use by ${terms.rival} (pid ${holder.pid} on host ${holder.host}); if that host is gone, remove ${layout.lock}`);
    }
    if (state === 'alive') return busy(`Watch folder is in use by ${terms.rival} (pid ${holder.pid})`);
    // The holder is dead: stop its FFmpeg first so no orphan keeps writing. Its temp file is a dead runner's
    // scratch: the sweep after taking the lock removes it.
    orphans = await stopOrphans(deps, [holder, await readLockRecord(deps.fs, tempOf(layout, holder.pid))]);
  }
  if (!(await removeStaleLock(deps, layout, lockStat.ino))) return busy('Watch folder is in use by another runner (pid unknown)');
  if (await createLock(deps, layout, record, temp)) return { ok: true, orphans };
  const winner = await readLockRecord(deps.fs, layout.lock);
  if (winner !== null && terms.accepts(winner)) return { ok: true, orphans };
  return busy(`Watch folder is in use by another runner (pid ${winner === null ? 'unknown' : winner.pid})`);
}

export async function acquireLock(deps: Deps, layout: Layout, startedAt: string): Promise<LockAttempt> {
  const record = await ownRecord(deps, startedAt);
  const placed = await placeLock(deps, layout, record, tempOf(layout, deps.host.pid), {
    accepts: () => false,
    refuses: (holder) =>
      holder.shared === true
        ? `Watch folder is worked by runners started with --shared; start this one with --shared too, or remove ${layout.lock} once none of them runs`
        : null,
    rival: 'another runner',
  });
  return placed.ok ? await held(deps, layout, record, placed.orphans) : placed;
}

/**
 * For --shared: makes sure `.runner.lock` says the folder is worked by shared runners (R11.27), so that a
 * runner without --shared refuses it instead of sweeping their files. A live runner without --shared
 * holding the lock makes the folder busy; a dead one's lock is taken over as acquireLock does. The temp is
 * named by runner id: pids of runners on different hosts (or PID namespaces: all pid 1) are the same. The
 * marker is never removed by a shared runner: going back to one runner is the operator's explicit act.
 */
export async function joinSharedFolder(deps: Deps, layout: Layout, record: LockRecord, runnerId: string): Promise<Placed> {
  return placeLock(deps, layout, { ...record, shared: true }, join(layout.root, sharedLockTempNameOf(runnerId)), {
    accepts: (holder) => holder.shared === true,
    refuses: () => null,
    rival: 'a runner without --shared',
  });
}
