// The host as scenarios see it: this runner is pid 4242 on "scenario-host"; the only other live process
// is {LIVE_PID}, standing for "another runner that is still running". Nothing is FFmpeg, nothing dies.

import type { Host } from '../../src/ports.ts';

export const FAKE_HOST = { pid: 4242, hostname: 'scenario-host', livePid: 7 } as const;

export function createFakeHost(): Host {
  return {
    pid: FAKE_HOST.pid,
    hostname: FAKE_HOST.hostname,
    bootId: null,
    isAlive: (pid) => pid === FAKE_HOST.livePid || pid === FAKE_HOST.pid,
    startTimeOf: async () => null,
    isFfmpeg: async () => false,
    kill: () => undefined,
  };
}
