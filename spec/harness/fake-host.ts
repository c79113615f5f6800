// The host as scenarios see it: this runner is pid 4242 on "scenario-host"; the only other live process
// is {LIVE_PID}, standing for "another runner that is still running". Nothing is FFmpeg, nothing dies.
// The runners of a `concurrently` step are more processes of that one host (pids 4242, 4243, …): each sees
// the others alive while they run, through the process table they share.

import type { Host } from '../../src/ports.ts';

export const FAKE_HOST = { pid: 4242, hostname: 'scenario-host', livePid: 7 } as const;

/** `pid` is this runner's; `running` holds the pids of the other runners alive now (none by default). */
export function createFakeHost(pid: number = FAKE_HOST.pid, running: ReadonlySet<number> = new Set()): Host {
  return {
    pid,
    hostname: FAKE_HOST.hostname,
    bootId: null,
    pidNamespace: null,
    isAlive: (other) => other === FAKE_HOST.livePid || other === pid || running.has(other),
    startTimeOf: async () => null,
    isFfmpeg: async () => false,
    kill: () => undefined,
  };
}
