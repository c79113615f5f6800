// A runner's membership of a folder worked by several runners (--shared; SPEC R11.27–R11.32), on one host
// or on several sharing one NAS folder. The one module that makes and recognises these names of a runner
// id (the id itself, like every name part, is filing-names.ts's):
//   .runners/<id>.lease   the runner's lease: its identity (host, boot, pid, start), its FFmpeg children
//                         and a beat it increments at least every third of its lease seconds, by writing a
//                         private temp `.runners/.<id>.tmp` and renaming it over the lease.
//   running/<id>/         the JobSpecs it claimed. A claim renames `pending/<name>` here; an NFS client that
//                         retries a rename whose reply was lost reports ENOENT although the rename happened,
//                         so an ENOENT claim is checked by looking for the name in this folder.
// Another runner's lease is judged by what this runner itself saw: its beat unchanged for its lease seconds
// plus --takeover-seconds on this runner's own clock (no two hosts' clocks are ever compared), or, on the
// same host, boot and PID namespace, its process gone. Only then is it taken over: its `running/<id>/` is
// renamed into ours (`running/<ours>/<id>/`: one rename, so of two runners taking over the same one only
// one wins), its FFmpeg stopped when it ran on this host, and its lease removed; the jobs in the taken folder are then
// filed as "runner interrupted" by the usual recovery, restricted to their own result temps.
// A runner whose own folder is gone was taken over while it could not renew (frozen, cut off): its fence
// fails, and it stops before publishing an output or filing a job, so every job is filed by one runner.

import { basename, dirname, join } from 'node:path';
import type { Deps, FileStat } from '../ports.ts';
import { fsErrorCode, ignoreMissing, lstatOrNull, readdirOrNull } from '../ports.ts';
import type { Layout } from './layout.ts';
import type { HeldLock, StoppedOrphan } from './lock.ts';
import { holdRecord, stopOrphans } from './lock.ts';
import type { LockRecord } from './lock-record.ts';
import { readLockRecord, writeLockRecord } from './lock-record.ts';
import { holderState } from './lock-liveness.ts';
import { isJobSpecName, stemOf } from './filing-names.ts';
import type { RecoveredJob } from './recover.ts';
import { recoverInterrupted } from './recover.ts';

const LEASE_SUFFIX = '.lease';

/** Thrown when this runner finds that another one took its jobs over: it must stop without filing anything. */
export class LeaseLost extends Error {
  readonly code = 'ELEASELOST';
  constructor(folder: string) {
    super(`this runner's folder ${folder} was taken over by another runner (its lease was not renewed in time)`);
    this.name = 'LeaseLost';
  }
}

export interface LeaseTerms {
  readonly leaseSeconds: number;
  readonly takeoverSeconds: number;
}

/** A folder of another runner's jobs this runner took over, to be filed by recovery. */
export interface TakenFolder {
  readonly id: string;
  readonly path: string;
  /** Its FFmpeg children that this runner stopped (it ran on this host). */
  readonly orphans: readonly StoppedOrphan[];
}

export interface Membership {
  readonly id: string;
  /** `running/<id>`: where this runner claims. */
  readonly running: string;
  /** Records this runner's FFmpeg children in its lease, as the lock does for a lone runner. */
  readonly lock: HeldLock;
  /** Throws LeaseLost when this runner's folder is no longer its own. */
  fence(): Promise<void>;
  /**
   * Until `signal` aborts, every third of the lease: checks the fence, renews the lease and takes over the
   * runners whose lease expired (so a frozen runner is fenced promptly, even while this one encodes).
   * Aborts `lost` and stops when the fence fails; a beat the disk refuses is tried again at the next.
   */
  renewUntil(signal: AbortSignal, lost: AbortController): Promise<void>;
  /** One turn of that: the fence, the beat, the look for expired leases (throws LeaseLost when fenced). */
  renewOnce(): Promise<void>;
  /** Takes over every runner whose lease expired (and every folder with no lease at all). */
  takeOverExpired(): Promise<void>;
  /** The folders taken over and not yet handed out for filing. */
  drainTaken(): TakenFolder[];
  /**
   * Removes this runner's folder (when empty) and its lease. After a failing disk the folder is kept, even
   * empty: without a lease it is taken over at once, and that recovery finishes a settle this runner left
   * half-done (a result temp whose JobSpec already left the folder) which no one else could tell was its.
   */
  leave(after?: 'disk-error'): Promise<void>;
}

export { runnerIdOf } from './filing-names.ts';

function leaseNameOf(id: string): string {
  return `${id}${LEASE_SUFFIX}`;
}

/** The private temp a runner renews its lease through. */
function leaseTempNameOf(id: string): string {
  return `.${id}.tmp`;
}

/** The runner id a name in `.runners/` is the lease of, or null (its temp, or anything else). */
export function idOfLeaseName(name: string): string | null {
  return name.endsWith(LEASE_SUFFIX) && !name.startsWith('.') ? name.slice(0, -LEASE_SUFFIX.length) : null;
}

/** Creates `dir`; true when it did, false when it existed. */
async function ensureDir(deps: Deps, dir: string): Promise<boolean> {
  try {
    await deps.fs.mkdir(dir);
    return true;
  } catch (error) {
    if (fsErrorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Makes this runner a member under `id`: its lease, then its folder. Null when a lease of that id exists
 * already (a cloned container or host: same host name, pid and start): the caller picks another id.
 */
export async function joinMembership(deps: Deps, layout: Layout, identity: LockRecord, terms: LeaseTerms, id: string): Promise<Membership | null> {
  const { runners } = layout;
  const leasePath = join(runners, leaseNameOf(id));
  const running = join(layout.running, id);
  if (await ensureDir(deps, runners)) await deps.fs.fsyncDir(layout.root);
  // The lease first, then the folder: a folder in running/ without a lease is always a dead runner's.
  const record: LockRecord = { ...identity, lease: { id, beat: 0, seconds: terms.leaseSeconds } };
  const place = { path: leasePath, temp: join(runners, leaseTempNameOf(id)) };
  // Created exclusively, never renamed over anything: a live runner of this very id keeps its lease, and
  // this one takes another id. Written in place, with no temp that a crash could leave behind: a lease
  // that does not read whole is judged by staleness (isExpired) and removed with its folder-less runner.
  // (An exclusive create whose reply an NFS client lost reports EEXIST: the lease made is then an orphan
  // of an id nobody uses, taken over and removed like any dead runner's.)
  try {
    await writeLockRecord(deps.fs, leasePath, record);
  } catch (error) {
    if (fsErrorCode(error) === 'EEXIST') return null;
    throw error;
  }
  const held = holdRecord(deps, place, record);
  await deps.fs.fsyncDir(runners);
  await deps.fs.mkdir(running);
  await deps.fs.fsyncDir(layout.running);
  const own: FileStat = await deps.fs.lstat(running);

  /** Folders taken over, waiting to be filed by the next scan's recovery. */
  const taken: TakenFolder[] = [];
  /** What this runner saw of each other lease: its beat, and when (on this runner's clock) it last changed. */
  const seen = new Map<string, { beat: number; atMs: number }>();

  async function fence(): Promise<void> {
    const now = await lstatOrNull(deps.fs, running);
    if (now === null || now.kind !== 'directory' || now.ino !== own.ino || now.dev !== own.dev) throw new LeaseLost(running);
  }

  /**
   * Whether this runner can see the other's process: the same host name, boot and PID namespace. Host
   * names repeat (two NAS clients both called `render`, containers given one `--hostname`), a boot id is
   * one kernel, and containers of one kernel each have their own pids.
   */
  function seesProcessOf(other: LockRecord): boolean {
    return other.host === identity.host && other.boot_id !== null && other.boot_id === identity.boot_id && other.pid_ns !== undefined && other.pid_ns === identity.pid_ns;
  }

  /** `other` null: a lease that does not read as one (its runner died writing it), judged by staleness alone. */
  async function isExpired(other: LockRecord | null, otherId: string): Promise<boolean> {
    // Its process gone (or its pid ours now: pid reuse, as a restarted container's pid 1 is).
    if (other !== null && seesProcessOf(other) && (await holderState(deps, other)) === 'dead') return true;
    const beat = other?.lease?.beat ?? -1;
    const now = deps.clock.now();
    const last = seen.get(otherId);
    if (last === undefined || last.beat !== beat) {
      seen.set(otherId, { beat, atMs: now });
      return false;
    }
    const seconds = other?.lease?.seconds ?? terms.leaseSeconds;
    return now - last.atMs > (seconds + terms.takeoverSeconds) * 1000;
  }

  async function take(otherId: string, record: LockRecord | null): Promise<TakenFolder | null> {
    const path = join(running, otherId);
    try {
      await deps.fs.rename(join(layout.running, otherId), path);
    } catch (error) {
      const code = fsErrorCode(error);
      // Taken by another runner first, or the runner left cleanly meanwhile, or it died between its lease
      // and its folder: its lease and temp go (whoever else is at it ignores their absence). An NFS
      // retry of our own rename reports ENOENT too, and then the folder is in ours.
      if (code !== 'ENOENT') return null;
      if ((await lstatOrNull(deps.fs, path))?.kind !== 'directory') {
        await dropLease(otherId);
        return null;
      }
    }
    // Our folder first: a power cut between the two leaves the folder under one of its names, never none.
    await deps.fs.fsyncDir(running);
    await deps.fs.fsyncDir(layout.running);
    const orphans = record !== null && record.host === identity.host ? await stopOrphans(deps, [record]) : [];
    await dropLease(otherId);
    return { id: otherId, path, orphans };
  }

  /** Removes an expired runner's lease and, first (the lease is what brings a later look back), the temp its last renewal may have left. */
  async function dropLease(otherId: string): Promise<void> {
    await ignoreMissing(deps.fs.unlink(join(runners, leaseTempNameOf(otherId))));
    await ignoreMissing(deps.fs.unlink(join(runners, leaseNameOf(otherId))));
    seen.delete(otherId);
  }

  // One takeover at a time: the renewal and the scan both ask, and two looks must not take one folder twice.
  let queue: Promise<void> = Promise.resolve();
  function takeOverExpired(): Promise<void> {
    const next = queue.then(takeOverOnce);
    queue = next.catch(() => undefined);
    return next;
  }

  async function takeOverOnce(): Promise<void> {
    // running/ before .runners/: a folder listed here whose runner had just started has its lease listed below.
    const folders = ((await readdirOrNull(deps.fs, layout.running)) ?? []).filter((name) => name !== id && !isJobSpecName(name));
    const leases = new Map<string, string>();
    for (const name of (await readdirOrNull(deps.fs, runners)) ?? []) {
      const other = idOfLeaseName(name);
      if (other !== null && other !== id) leases.set(other, join(runners, name));
    }
    for (const [otherId, path] of leases) {
      const record = await readLockRecord(deps.fs, path);
      if (!(await isExpired(record, otherId))) continue;
      const folder = await take(otherId, record);
      if (folder !== null) taken.push(folder);
    }
    for (const name of folders) {
      if (leases.has(name) || (await lstatOrNull(deps.fs, join(layout.running, name)))?.kind !== 'directory') continue;
      const folder = await take(name, null);
      if (folder !== null) taken.push(folder);
    }
  }

  async function renewOnce(): Promise<void> {
    await fence();
    await held.update((now) => ({ ...now, lease: { id, beat: (now.lease?.beat ?? 0) + 1, seconds: terms.leaseSeconds } }));
    await takeOverExpired();
  }

  return {
    id,
    running,
    renewOnce,
    lock: held.lock,
    fence,
    async renewUntil(signal, lost) {
      const everyMs = Math.max(1, Math.round((terms.leaseSeconds * 1000) / 3));
      while (!signal.aborted) {
        await deps.clock.sleep(everyMs, signal);
        if (signal.aborted) return;
        try {
          await renewOnce();
        } catch (error) {
          // Fenced: stop working, file nothing more.
          if (error instanceof LeaseLost) {
            lost.abort(error);
            return;
          }
          // A beat the disk refused (ENOSPC, EIO): the work goes on and the next beat tries again. Were
          // they all refused, the others would take this runner over after its lease and margin, and its
          // fence would stop it before it filed anything; stopping now would file its jobs interrupted.
          fsErrorCode(error);
        }
      }
    },
    takeOverExpired,
    drainTaken() {
      return taken.splice(0);
    },
    async leave(after) {
      if (after !== 'disk-error') {
        await deps.fs.rmdir(running).catch((error: unknown) => {
          // Jobs left in it: the folder stays, and without a lease others take it over at once.
          if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(fsErrorCode(error))) throw error;
        });
      }
      await ignoreMissing(deps.fs.unlink(leasePath));
    },
  };
}

/**
 * Files the jobs of a folder taken over, as recovery files a dead runner's (R11.2), and removes the folder.
 * A folder that runner had itself taken over (and not finished) is inside it: it goes first. Only the result
 * temps of these jobs' stems are recovery's here: any other may be a live runner's settle under way.
 */
export async function recoverTakenFolder(deps: Deps, layout: Layout, workerStartedAt: string, folder: string): Promise<RecoveredJob[]> {
  const names = await deps.fs.readdir(folder);
  const recovered: RecoveredJob[] = [];
  for (const name of names) {
    if (isJobSpecName(name) || (await lstatOrNull(deps.fs, join(folder, name)))?.kind !== 'directory') continue;
    recovered.push(...(await recoverTakenFolder(deps, layout, workerStartedAt, join(folder, name))));
  }
  const onlyStems = new Set(names.filter(isJobSpecName).map(stemOf));
  // What the runner taken over did in the destinations (a settle's last steps) is made durable before it
  // is relied on: else a power cut after its folder is gone could bring back a temp no folder accounts for.
  await deps.fs.fsyncDir(layout.completed);
  await deps.fs.fsyncDir(layout.failed);
  // The results name where the runner taken over had each JobSpec, not the folder of the one taking over.
  const originalFolder = join(layout.running, basename(folder));
  recovered.push(...(await recoverInterrupted({ deps, layout: { ...layout, running: folder }, workerStartedAt, onlyStems, originalFolder })));
  await deps.fs.rmdir(folder).catch((error: unknown) => {
    // What recovery could not file stays, with its folder, for the next takeover.
    if (!['ENOTEMPTY', 'EEXIST'].includes(fsErrorCode(error))) throw error;
  });
  await deps.fs.fsyncDir(dirname(folder));
  return recovered;
}
