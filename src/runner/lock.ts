// The single-instance lock (contract section 11): `<folder>/.runner.lock`, created exclusively, holding
// the runner's pid, host and start time, and the pid of its running FFmpeg child so that the next start
// can terminate an orphan left by a killed runner before it recovers that runner's job.

import type { Deps } from '../ports.ts';
import { fsErrorCode } from '../ports.ts';
import { parseStrictJson } from '../jobspec/json.ts';
import type { Layout } from './layout.ts';

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
  readonly ffmpeg_pid: number | null;
}

export interface HeldLock {
  /** Records (or clears, with null) the FFmpeg child's pid. */
  recordChild(pid: number | null): Promise<void>;
  release(): Promise<void>;
}

export type LockAttempt = { ok: true; lock: HeldLock; orphanKilled: number | null } | { ok: false; message: string };

const ORPHAN_GRACE_MS = 5000;
const ORPHAN_POLL_MS = 100;

function encode(record: LockRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record)}\n`);
}

function decode(bytes: Uint8Array): LockRecord | null {
  const parsed = parseStrictJson(new TextDecoder().decode(bytes));
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return null;
  const { pid, host, started_at: startedAt, ffmpeg_pid: child } = parsed.value;
  if (typeof pid !== 'number' || typeof host !== 'string') return null;
  return { pid, host, started_at: typeof startedAt === 'string' ? startedAt : '', ffmpeg_pid: typeof child === 'number' ? child : null };
}

async function terminateOrphan(deps: Deps, pid: number): Promise<boolean> {
  if (!(await deps.host.isFfmpeg(pid))) return false;
  deps.host.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < ORPHAN_GRACE_MS && deps.host.isAlive(pid); waited += ORPHAN_POLL_MS) {
    await deps.clock.sleep(ORPHAN_POLL_MS);
  }
  if (deps.host.isAlive(pid)) deps.host.kill(pid, 'SIGKILL');
  return true;
}

async function readHolder(deps: Deps, path: string): Promise<LockRecord | null> {
  try {
    return decode(await deps.fs.readFile(path));
  } catch (error) {
    fsErrorCode(error);
    return null;
  }
}

function heldLock(deps: Deps, layout: Layout, record: LockRecord): HeldLock {
  const temp = `${layout.lock}.tmp`;
  return {
    async recordChild(pid) {
      // Written aside and renamed over our own lock, so the lock is never seen half-written.
      await deps.fs.unlink(temp).catch((error: unknown) => void fsErrorCode(error));
      await deps.fs.writeFileExclusive(temp, encode({ ...record, ffmpeg_pid: pid }));
      await deps.fs.rename(temp, layout.lock);
    },
    async release() {
      await deps.fs.unlink(layout.lock);
    },
  };
}

async function createLock(deps: Deps, layout: Layout, record: LockRecord): Promise<boolean> {
  try {
    await deps.fs.writeFileExclusive(layout.lock, encode(record));
    return true;
  } catch (error) {
    if (fsErrorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

function inUse(holder: LockRecord | null): LockAttempt {
  return { ok: false, message: `Watch folder is in use by another runner (pid ${holder === null ? 'unknown' : holder.pid})` };
}

export async function acquireLock(deps: Deps, layout: Layout, startedAt: string): Promise<LockAttempt> {
  const record: LockRecord = { pid: deps.host.pid, host: deps.host.hostname, started_at: startedAt, ffmpeg_pid: null };
  if (await createLock(deps, layout, record)) return { ok: true, lock: heldLock(deps, layout, record), orphanKilled: null };

  const holder = await readHolder(deps, layout.lock);
  if (holder !== null && holder.host !== deps.host.hostname) {
    return {
      ok: false,
      message: `Watch folder is in use by another runner (pid ${holder.pid} on host ${holder.host}); if that host is gone, remove ${layout.lock}`,
    };
  }
  // Our own pid in an old lock means pid reuse after a restart (containers), never a live rival.
  if (holder !== null && holder.pid !== deps.host.pid && deps.host.isAlive(holder.pid)) return inUse(holder);

  // The holder is dead: its lock is stale. Stop its FFmpeg child first, so no orphan keeps writing.
  let orphanKilled: number | null = null;
  const child = holder?.ffmpeg_pid ?? null;
  if (child !== null && deps.host.isAlive(child) && (await terminateOrphan(deps, child))) orphanKilled = child;
  await deps.fs.unlink(layout.lock).catch((error: unknown) => void fsErrorCode(error));
  await deps.fs.unlink(`${layout.lock}.tmp`).catch((error: unknown) => void fsErrorCode(error));
  // Losing this race means another runner replaced the stale lock first: it holds the folder now.
  if (await createLock(deps, layout, record)) return { ok: true, lock: heldLock(deps, layout, record), orphanKilled };
  return inUse(await readHolder(deps, layout.lock));
}
