// Whether the runner a lock record names is still alive, and the termination of the FFmpeg child a dead
// runner left behind (contract section 11). A pid alone proves little: a lock from an earlier boot is
// stale whatever its pid names now, and a reused pid is told apart by the process start time.

import type { Deps } from '../ports.ts';
import type { LockRecord } from './lock-record.ts';

/** How long an orphaned FFmpeg gets to finish after SIGTERM before it is killed. */
export const ORPHAN_GRACE_MS = 5000;
const ORPHAN_POLL_MS = 100;

/** Whether `pid` still is the process that recorded `startTime` (null: cannot tell, trust liveness). */
async function isSameProcess(deps: Deps, pid: number, startTime: string | null): Promise<boolean> {
  if (pid === deps.host.pid || !deps.host.isAlive(pid)) return false;
  if (startTime === null) return true;
  const now = await deps.host.startTimeOf(pid);
  return now === null || now === startTime;
}

/**
 * 'foreign' for another host's lock (its pids mean nothing here), else whether the holder lives. A lone
 * runner's lock is judged by pid even when it names another PID namespace of this host (pid_ns): a
 * container restarted under its own host name is in a new one, and must take its own old lock over; a
 * shared runner's lease has a beat to be judged by instead (membership.ts).
 */
export async function holderState(deps: Deps, holder: LockRecord): Promise<'alive' | 'dead' | 'foreign'> {
  if (holder.host !== deps.host.hostname) return 'foreign';
  // A lock from an earlier boot is stale whatever its pid names now; our own pid in it is pid reuse.
  if (holder.boot_id !== null && deps.host.bootId !== null && holder.boot_id !== deps.host.bootId) return 'dead';
  return (await isSameProcess(deps, holder.pid, holder.start_time)) ? 'alive' : 'dead';
}

/** What happened to a dead runner's recorded child: not ours to touch, ended by SIGTERM, or SIGKILLed after the grace. */
export type OrphanEnd = 'not-an-orphan' | 'terminated' | 'killed';

/** Stops the FFmpeg child a dead runner recorded, if it still is that FFmpeg. */
export async function terminateOrphan(deps: Deps, pid: number, startTime: string | null): Promise<OrphanEnd> {
  if (!(await isSameProcess(deps, pid, startTime)) || !(await deps.host.isFfmpeg(pid))) return 'not-an-orphan';
  deps.host.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < ORPHAN_GRACE_MS && deps.host.isAlive(pid); waited += ORPHAN_POLL_MS) {
    await deps.clock.sleep(ORPHAN_POLL_MS);
  }
  if (!deps.host.isAlive(pid)) return 'terminated';
  deps.host.kill(pid, 'SIGKILL');
  return 'killed';
}
