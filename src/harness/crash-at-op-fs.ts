// Counting wrappers over the runner's Fs for crash-point scenarios (reliability section 4). Every call
// of the Fs port, and of a ReadHandle it returned, is one operation, numbered from 1 in call order.
// `recordFsOps` lists a run's operations (to enumerate its crash points); `crashAtFsOp` kills the runner
// just before operation k happens, through the mortal fs, so nothing runs on the disk after that instant.

import type { Fs, ReadHandle } from '../ports.ts';

/** One filesystem operation as the runner asked for it: the method and its path arguments. */
export interface FsOp {
  readonly name: string;
  readonly paths: readonly string[];
}

/** Wraps `inner` so that `before(op, n)` sees the n-th operation (1-based) before it reaches `inner`. */
export function observeFsOps(inner: Fs, before: (op: FsOp, n: number) => void): Fs {
  let count = 0;
  const note = (name: string, ...paths: string[]): void => {
    count += 1;
    before({ name, paths }, count);
  };
  const wrapHandle = (handle: ReadHandle, path: string): ReadHandle => ({
    stat: async () => (note('fstat', path), handle.stat()),
    read: async (max) => (note('read', path), handle.read(max)),
    close: async () => (note('close', path), handle.close()),
  });
  return {
    readdir: async (p) => (note('readdir', p), inner.readdir(p)),
    lstat: async (p) => (note('lstat', p), inner.lstat(p)),
    stat: async (p) => (note('stat', p), inner.stat(p)),
    openNoFollow: async (p) => (note('open', p), wrapHandle(await inner.openNoFollow(p), p)),
    readFile: async (p) => (note('readFile', p), inner.readFile(p)),
    writeFileExclusive: async (p, d) => (note('writeFileExclusive', p), inner.writeFileExclusive(p, d)),
    rename: async (a, b) => (note('rename', a, b), inner.rename(a, b)),
    link: async (a, b) => (note('link', a, b), inner.link(a, b)),
    unlink: async (p) => (note('unlink', p), inner.unlink(p)),
    mkdir: async (p) => (note('mkdir', p), inner.mkdir(p)),
    fsyncFile: async (p) => (note('fsyncFile', p), inner.fsyncFile(p)),
    fsyncDir: async (p) => (note('fsyncDir', p), inner.fsyncDir(p)),
  };
}

/** `inner` plus the list of every operation made through it so far. */
export function recordFsOps(inner: Fs): { readonly fs: Fs; readonly ops: readonly FsOp[] } {
  const ops: FsOp[] = [];
  return { fs: observeFsOps(inner, (op) => void ops.push(op)), ops };
}

/** `inner`, except that operation `k` calls `kill` (which throws RunnerKilled) instead of happening. */
export function crashAtFsOp(inner: Fs, k: number, kill: (why: string) => never): Fs {
  return observeFsOps(inner, (op, n) => {
    if (n === k) kill(`crash before filesystem operation ${k} (${op.name} ${op.paths.join(' -> ')})`);
  });
}
