// The real-disk Fs. Each method is one countable operation of the port; errors from node:fs propagate
// unchanged because the core branches on their `code`. Names are read as bytes and handed to the core
// through path-bytes.ts, and paths that carry such bytes go back to node:fs as Buffers: a name that is
// not valid UTF-8 is processed and filed like any other instead of vanishing behind U+FFFD.
//
// The calls are node:fs's synchronous ones behind the port's promises. The runner does one filesystem
// operation at a time anyway (it is sequential by design), so a trip through libuv's thread pool buys
// nothing and costs about 60 times a stat's own time here (78 µs against 1.3 µs, measured by
// `npm run bench`'s predecessors); the event loop has nothing else to do meanwhile but read FFmpeg's
// stderr, which a pipe buffers. Nothing here can block for long: JobSpecs and lock files are opened
// O_NONBLOCK, so a FIFO answers at once.
import * as fs from 'node:fs';
import { constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Fs, ReadHandle } from '../ports.ts';
import { decodeName, nodePathOf } from '../path-bytes.ts';
import { plainBytes, readFromStart, toFileStat } from './fs-common.ts';

const { errno } = osConstants;

// O_NOFOLLOW: a JobSpec that is a symlink fails with ELOOP instead of reading its target.
// O_NONBLOCK: opening (and reading) a FIFO returns at once instead of blocking the runner forever.
const OPEN_JOBSPEC = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
// readFile/fsyncFile touch files the runner manages, but someone may have put a FIFO there: never block.
const OPEN_READ_NONBLOCKING = constants.O_RDONLY | constants.O_NONBLOCK;
// O_DIRECTORY makes fsyncDir of a non-directory fail (ENOTDIR) rather than fsync something else.
const OPEN_DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY;
// O_CREAT | O_EXCL: fails with EEXIST if anything (even a dangling symlink) is at the path.
const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/** Runs `fn` now and answers with its value (or its error) as a promise, as the port promises. */
function now<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

export function createNodeFs(): Fs {
  return {
    readdir: (dir) => now(() => readdir(dir)),
    lstat: (path) => now(() => toFileStat(lstat(path))),
    stat: (path) => now(() => toFileStat(fs.statSync(nodePathOf(path)))),
    openNoFollow: (path) => now(() => wrapDescriptor(fs.openSync(nodePathOf(path), OPEN_JOBSPEC))),
    readFile: (path) => now(() => withDescriptor(path, OPEN_READ_NONBLOCKING, (fd) => plainBytes(fs.readFileSync(fd)))),
    writeFileExclusive: (path, data) => now(() => writeFileExclusive(path, data)),
    rename: (from, to) => now(() => fs.renameSync(nodePathOf(from), nodePathOf(to))),
    link: (from, to) => now(() => fs.linkSync(nodePathOf(from), nodePathOf(to))),
    unlink: (path) => now(() => fs.unlinkSync(nodePathOf(path))),
    rmdir: (path) => now(() => fs.rmdirSync(nodePathOf(path))),
    mkdir: (path) => now(() => void fs.mkdirSync(nodePathOf(path))),
    fsyncFile: (path) => now(() => withDescriptor(path, OPEN_READ_NONBLOCKING, (fd) => fs.fsyncSync(fd))),
    fsyncDir: (path) => now(() => withDescriptor(path, OPEN_DIRECTORY, (fd) => fs.fsyncSync(fd))),
  };
}

// U+FFFD in a name read as UTF-8 is either a byte that is not UTF-8 or that character itself: only then
// are the names read again as bytes. Names as strings cost far less than one Buffer each (100,000 names
// in pending/ is a figure of `npm run bench`).
const REPLACEMENT_CHARACTER = '\uFFFD';

function readdir(dir: string): string[] {
  const names = fs.readdirSync(nodePathOf(dir));
  if (!names.some((name) => name.includes(REPLACEMENT_CHARACTER))) return names;
  return fs.readdirSync(nodePathOf(dir), { encoding: 'buffer' }).map(decodeName);
}

/**
 * lstat whose "no such file" costs no system error: the scan and the filing look up names that are
 * usually absent, and node's ENOENT exception (message, stack, uv lookup) costs five times the call.
 * The error has the fields and message node's own would have.
 */
function lstat(path: string): fs.Stats {
  const stats = fs.lstatSync(nodePathOf(path), { throwIfNoEntry: false });
  if (stats !== undefined) return stats;
  throw Object.assign(new Error(`ENOENT: no such file or directory, lstat '${path}'`), { errno: -errno.ENOENT, code: 'ENOENT', syscall: 'lstat', path });
}

function wrapDescriptor(fd: number): ReadHandle {
  return {
    stat: () => now(() => toFileStat(fs.fstatSync(fd))),
    read: (maxBytes) => readFromStart({ read: (buffer, offset, length, position) => now(() => ({ bytesRead: fs.readSync(fd, buffer, offset, length, position) })) }, maxBytes),
    close: () => now(() => fs.closeSync(fd)),
  };
}

/** Opens, runs `use`, always closes; an error from `use` wins over one from close. */
function withDescriptor<T>(path: string, flags: number, use: (fd: number) => T): T {
  const fd = fs.openSync(nodePathOf(path), flags);
  let result: T;
  try {
    result = use(fd);
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // The first error is the one that matters.
    }
    throw error;
  }
  fs.closeSync(fd);
  return result;
}

/**
 * Creates `path` exclusively (never replacing anything), writes all of `data` and fsyncs before closing,
 * so the data is durable before the caller links or renames. A failed write leaves the partial file in
 * place: the caller decides what to do with it.
 */
function writeFileExclusive(path: string, data: Uint8Array): void {
  const fd = fs.openSync(nodePathOf(path), CREATE_EXCLUSIVE, 0o644);
  try {
    for (let at = 0; at < data.length; ) at += fs.writeSync(fd, data, at, data.length - at);
    fs.fsyncSync(fd);
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // The first error is the one that matters.
    }
    throw error;
  }
  fs.closeSync(fd);
}
