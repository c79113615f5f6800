// Models the death of the runner process in memory: after `kill()`, every filesystem operation throws
// RunnerKilled, so no code that runs while the stack unwinds (finally blocks) can change the disk.

import type { Fs, ReadHandle } from '../../src/ports.ts';
import { RunnerKilled } from '../../src/ports.ts';

export interface MortalFs {
  readonly fs: Fs;
  kill(why: string): never;
}

export function createMortalFs(inner: Fs): MortalFs {
  let death: string | null = null;
  const guard = (): void => {
    if (death !== null) throw new RunnerKilled(death);
  };
  const wrapHandle = (handle: ReadHandle): ReadHandle => ({
    stat: async () => (guard(), handle.stat()),
    read: async (max) => (guard(), handle.read(max)),
    close: async () => (guard(), handle.close()),
  });
  const fs: Fs = {
    readdir: async (p) => (guard(), inner.readdir(p)),
    lstat: async (p) => (guard(), inner.lstat(p)),
    stat: async (p) => (guard(), inner.stat(p)),
    openNoFollow: async (p) => (guard(), wrapHandle(await inner.openNoFollow(p))),
    readFile: async (p) => (guard(), inner.readFile(p)),
    writeFileExclusive: async (p, d) => (guard(), inner.writeFileExclusive(p, d)),
    rename: async (a, b) => (guard(), inner.rename(a, b)),
    link: async (a, b) => (guard(), inner.link(a, b)),
    unlink: async (p) => (guard(), inner.unlink(p)),
    rmdir: async (p) => (guard(), inner.rmdir(p)),
    mkdir: async (p) => (guard(), inner.mkdir(p)),
    fsyncFile: async (p) => (guard(), inner.fsyncFile(p)),
    fsyncDir: async (p) => (guard(), inner.fsyncDir(p)),
  };
  return {
    fs,
    kill(why) {
      death = why;
      throw new RunnerKilled(why);
    },
  };
}
