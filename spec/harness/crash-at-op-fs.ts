// Counting wrappers over the runner's Fs for crash-point scenarios (reliability section 4). Every call
// of the Fs port, and of a ReadHandle it returned, is one operation, numbered from 1 in call order.
// `recordFsOps` lists a run's operations (to enumerate its crash points); fault-fs.ts builds the crash,
// power-cut and errno injection of scenario steps on `observeFsOps`.

import type { Fs, ReadHandle } from '../../src/ports.ts';

/** One filesystem operation as the runner asked for it: the method and its path arguments. */
export interface FsOp {
  readonly name: string;
  readonly paths: readonly string[];
}

/**
 * Wraps `inner` so that `before(op, n)` sees the n-th operation (1-based) before it reaches `inner`. When
 * `before` throws (or returns a promise that rejects), the operation fails with that error and `inner`
 * never sees it; `before` may also act on the disk first (the fault injector's partial writes).
 */
export function observeFsOps(inner: Fs, before: (op: FsOp, n: number) => void | Promise<void>): Fs {
  let count = 0;
  const note = async (name: string, ...paths: string[]): Promise<void> => {
    count += 1;
    await before({ name, paths }, count);
  };
  const wrapHandle = (handle: ReadHandle, path: string): ReadHandle => ({
    stat: async () => (await note('fstat', path), handle.stat()),
    read: async (max) => (await note('read', path), handle.read(max)),
    close: async () => (await note('close', path), handle.close()),
  });
  return {
    readdir: async (p) => (await note('readdir', p), inner.readdir(p)),
    lstat: async (p) => (await note('lstat', p), inner.lstat(p)),
    stat: async (p) => (await note('stat', p), inner.stat(p)),
    openNoFollow: async (p) => (await note('open', p), wrapHandle(await inner.openNoFollow(p), p)),
    readFile: async (p) => (await note('readFile', p), inner.readFile(p)),
    writeFileExclusive: async (p, d) => (await note('writeFileExclusive', p), inner.writeFileExclusive(p, d)),
    rename: async (a, b) => (await note('rename', a, b), inner.rename(a, b)),
    link: async (a, b) => (await note('link', a, b), inner.link(a, b)),
    unlink: async (p) => (await note('unlink', p), inner.unlink(p)),
    rmdir: async (p) => (await note('rmdir', p), inner.rmdir(p)),
    mkdir: async (p) => (await note('mkdir', p), inner.mkdir(p)),
    fsyncFile: async (p) => (await note('fsyncFile', p), inner.fsyncFile(p)),
    fsyncDir: async (p) => (await note('fsyncDir', p), inner.fsyncDir(p)),
  };
}

/** `inner` plus the list of every operation made through it so far. */
export function recordFsOps(inner: Fs): { readonly fs: Fs; readonly ops: readonly FsOp[] } {
  const ops: FsOp[] = [];
  return { fs: observeFsOps(inner, (op) => void ops.push(op)), ops };
}

