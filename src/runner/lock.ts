// The single-instance lock (contract section 11): `<folder>/.runner.lock`, holding the runner's pid, host,
// boot and process start time, and its running FFmpeg child, so that the next start can tell a live rival
// from a dead one (even after pid reuse or a reboot) and terminate an orphan before recovering its job.
//
// The record is always written to a private temp file first and then linked (to create) or renamed (to
// update) into place, so nobody ever reads a half-written lock. A stale lock is moved aside, and the move
// is checked to have taken the very lock judged stale, so two starting runners cannot both win.

import { join } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { fsErrorCode } from '../ports.ts';
import { parseJsonObject } from '../jobspec/json.ts';
import type { Layout } from './layout.ts';
import { lockAsideNameOf, lockTempNameOf } from './filing-names.ts';

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly boot_id: string | null;
  readonly start_time: string | null;
  readonly started_at: string;
  readonly ffmpeg_pid: number | null;
  readonly ffmpeg_start_time: string | null;
}

export interface HeldLock {
  /** Records (or clears, with null) the FFmpeg child's pid. */
  recordChild(pid: number | null): Promise<void>;
  release(): Promise<void>;
}

export type LockAttempt =
  | { ok: true; lock: HeldLock; orphansKilled: number[] }
  | { ok: false; kind: 'busy' | 'unsupported'; message: string };

const ORPHAN_GRACE_MS = 5000;
const ORPHAN_POLL_MS = 100;
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

const tempOf = (layout: Layout, pid: number): string => join(layout.root, lockTempNameOf(pid));

function encode(record: LockRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record)}\n`);
}

function decode(bytes: Uint8Array): LockRecord | null {
  const v = parseJsonObject(bytes);
  if (v === null) return null;
  const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  const num = (x: unknown): number | null => (typeof x === 'number' ? x : null);
  if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
  return {
    pid: v.pid,
    host: v.host,
    boot_id: text(v.boot_id),
    start_time: text(v.start_time),
    started_at: text(v.started_at) ?? '',
    ffmpeg_pid: num(v.ffmpeg_pid),
    ffmpeg_start_time: text(v.ffmpeg_start_time),
  };
}

async function readRecord(deps: Deps, path: string): Promise<LockRecord | null> {
  try {
    return decode(await deps.fs.readFile(path));
  } catch (error) {
    fsErrorCode(error);
    return null;
  }
}

async function lstatOrNull(deps: Deps, path: string): Promise<FileStat | null> {
  try {
    return await deps.fs.lstat(path);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

async function ignoreMissing(operation: Promise<void>): Promise<void> {
  await operation.catch((error: unknown) => {
    if (fsErrorCode(error) !== 'ENOENT') throw error;
  });
}

/** Whether `pid` still is the process that recorded `startTime` (null: cannot tell, trust liveness). */
async function isSameProcess(deps: Deps, pid: number, startTime: string | null): Promise<boolean> {
  if (pid === deps.host.pid || !deps.host.isAlive(pid)) return false;
  if (startTime === null) return true;
  const now = await deps.host.startTimeOf(pid);
  return now === null || now === startTime;
}

/** 'foreign' for another host's lock (its pids mean nothing here), else whether the holder lives. */
async function holderState(deps: Deps, holder: LockRecord): Promise<'alive' | 'dead' | 'foreign'> {
  if (holder.host !== deps.host.hostname) return 'foreign';
  // A lock from an earlier boot is stale whatever its pid names now; our own pid in it is pid reuse.
  if (holder.boot_id !== null && deps.host.bootId !== null && holder.boot_id !== deps.host.bootId) return 'dead';
  return (await isSameProcess(deps, holder.pid, holder.start_time)) ? 'alive' : 'dead';
}

async function terminateOrphan(deps: Deps, pid: number, startTime: string | null): Promise<boolean> {
  if (!(await isSameProcess(deps, pid, startTime)) || !(await deps.host.isFfmpeg(pid))) return false;
  deps.host.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < ORPHAN_GRACE_MS && deps.host.isAlive(pid); waited += ORPHAN_POLL_MS) {
    await deps.clock.sleep(ORPHAN_POLL_MS);
  }
  if (deps.host.isAlive(pid)) deps.host.kill(pid, 'SIGKILL');
  return true;
}

/** Writes `record` to our temp file, then links it into place; false when a lock already exists. */
async function createLock(deps: Deps, layout: Layout, record: LockRecord): Promise<boolean> {
  const temp = tempOf(layout, deps.host.pid);
  await ignoreMissing(deps.fs.unlink(temp));
  try {
    // Inside the try: a write that fails half-way (ENOSPC) leaves a temp file that must go too.
    await deps.fs.writeFileExclusive(temp, encode(record));
    try {
      await deps.fs.link(temp, layout.lock);
      return true;
    } catch (error) {
      if (fsErrorCode(error) === 'EEXIST') return false;
      throw error;
    }
  } finally {
    await ignoreMissing(deps.fs.unlink(temp));
  }
}

function heldLock(deps: Deps, layout: Layout, record: LockRecord): HeldLock {
  const temp = tempOf(layout, deps.host.pid);
  return {
    async recordChild(pid) {
      const startTime = pid === null ? null : await deps.host.startTimeOf(pid);
      await ignoreMissing(deps.fs.unlink(temp));
      await deps.fs.writeFileExclusive(temp, encode({ ...record, ffmpeg_pid: pid, ffmpeg_start_time: startTime }));
      // Renaming over our own lock replaces nothing anyone else owns.
      await deps.fs.rename(temp, layout.lock);
    },
    async release() {
      await deps.fs.unlink(layout.lock);
    },
  };
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

export async function acquireLock(deps: Deps, layout: Layout, startedAt: string): Promise<LockAttempt> {
  const record: LockRecord = {
    pid: deps.host.pid,
    host: deps.host.hostname,
    boot_id: deps.host.bootId,
    start_time: await deps.host.startTimeOf(deps.host.pid),
    started_at: startedAt,
    ffmpeg_pid: null,
    ffmpeg_start_time: null,
  };
  try {
    if (await createLock(deps, layout, record)) return { ok: true, lock: heldLock(deps, layout, record), orphansKilled: [] };
  } catch (error) {
    const code = fsErrorCode(error);
    if (!NO_LINKS.has(code)) throw error;
    return {
      ok: false,
      kind: 'unsupported',
      message: `The watch folder's filesystem does not support hard links (${code}), which the runner needs to file jobs without ever overwriting a file`,
    };
  }

  let lockStat = await lstatOrNull(deps, layout.lock);
  // Released between our attempt and this look (its holder just stopped): one more attempt decides.
  if (lockStat === null) {
    if (await createLock(deps, layout, record)) return { ok: true, lock: heldLock(deps, layout, record), orphansKilled: [] };
    lockStat = await lstatOrNull(deps, layout.lock);
    if (lockStat === null) return busy('Watch folder is in use by another runner (pid unknown)');
  }
  const holder = await readRecord(deps, layout.lock);
  const state = holder === null ? 'dead' : await holderState(deps, holder);
  if (holder !== null && state === 'foreign') {
    return busy(`Watch folder is in use by another runner (pid ${holder.pid} on host ${holder.host}); if that host is gone, remove ${layout.lock}`);
  }
  if (holder !== null && state === 'alive') return busy(`Watch folder is in use by another runner (pid ${holder.pid})`);

  // The holder is dead. Stop its FFmpeg first so no orphan keeps writing; a kill between its spawn being
  // recorded in the temp file and the rename left the pid only in the temp file, so look there too.
  const orphansKilled: number[] = [];
  const holderTemp = holder === null ? null : tempOf(layout, holder.pid);
  const pendingUpdate = holderTemp === null ? null : await readRecord(deps, holderTemp);
  for (const candidate of [holder, pendingUpdate]) {
    const pid = candidate?.ffmpeg_pid ?? null;
    if (pid !== null && !orphansKilled.includes(pid) && (await terminateOrphan(deps, pid, candidate?.ffmpeg_start_time ?? null))) {
      orphansKilled.push(pid);
    }
  }
  if (!(await removeStaleLock(deps, layout, lockStat.ino))) return busy('Watch folder is in use by another runner (pid unknown)');
  if (holderTemp !== null) await ignoreMissing(deps.fs.unlink(holderTemp));
  if (await createLock(deps, layout, record)) return { ok: true, lock: heldLock(deps, layout, record), orphansKilled };
  const winner = await readRecord(deps, layout.lock);
  return busy(`Watch folder is in use by another runner (pid ${winner === null ? 'unknown' : winner.pid})`);
}
