// The real-disk Fs. Each method is one countable operation of the port; errors from node:fs propagate
// unchanged because the core branches on their `code`. Names are read as bytes and handed to the core
// through path-bytes.ts, and paths that carry such bytes go back to node:fs as Buffers: a name that is
// not valid UTF-8 is processed and filed like any other instead of vanishing behind U+FFFD.
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Fs, ReadHandle } from '../ports.ts';
import { decodeName, nodePathOf } from '../path-bytes.ts';
import { plainBytes, readFromStart, toFileStat } from './fs-common.ts';

// O_NOFOLLOW: a JobSpec that is a symlink fails with ELOOP instead of reading its target.
// O_NONBLOCK: opening (and reading) a FIFO returns at once instead of parking a libuv thread forever.
const OPEN_JOBSPEC = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
// readFile/fsyncFile touch files the runner manages, but someone may have put a FIFO there: never block.
const OPEN_READ_NONBLOCKING = constants.O_RDONLY | constants.O_NONBLOCK;
// O_DIRECTORY makes fsyncDir of a non-directory fail (ENOTDIR) rather than fsync something else.
const OPEN_DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY;

export function createNodeFs(): Fs {
  return {
    readdir: async (dir) => (await fsp.readdir(nodePathOf(dir), { encoding: 'buffer' })).map(decodeName),
    lstat: async (path) => toFileStat(await fsp.lstat(nodePathOf(path))),
    stat: async (path) => toFileStat(await fsp.stat(nodePathOf(path))),
    openNoFollow: async (path) => wrapHandle(await fsp.open(nodePathOf(path), OPEN_JOBSPEC)),
    readFile: (path) => withHandle(path, OPEN_READ_NONBLOCKING, async (handle) => plainBytes(await handle.readFile())),
    writeFileExclusive,
    rename: (from, to) => fsp.rename(nodePathOf(from), nodePathOf(to)),
    link: (from, to) => fsp.link(nodePathOf(from), nodePathOf(to)),
    unlink: (path) => fsp.unlink(nodePathOf(path)),
    mkdir: async (path) => {
      await fsp.mkdir(nodePathOf(path));
    },
    fsyncFile: (path) => withHandle(path, OPEN_READ_NONBLOCKING, (handle) => handle.sync()),
    fsyncDir: (path) => withHandle(path, OPEN_DIRECTORY, (handle) => handle.sync()),
  };
}

function wrapHandle(handle: FileHandle): ReadHandle {
  return {
    stat: async () => toFileStat(await handle.stat()),
    read: (maxBytes) => readFromStart(handle, maxBytes),
    close: () => handle.close(),
  };
}

/** Opens, runs `use`, always closes; an error from `use` wins over one from close. */
async function withHandle<T>(path: string, flags: number, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  const handle = await fsp.open(nodePathOf(path), flags);
  let result: T;
  try {
    result = await use(handle);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  await handle.close();
  return result;
}

/**
 * 'wx' is O_CREAT | O_EXCL: fails with EEXIST if anything (even a dangling symlink) is at `path`, so it
 * never replaces a file. fsync before close so the data is durable before the caller links or renames.
 * A failed write leaves the partial file in place: the caller decides what to do with it.
 */
async function writeFileExclusive(path: string, data: Uint8Array): Promise<void> {
  const handle = await fsp.open(nodePathOf(path), 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  await handle.close();
}
