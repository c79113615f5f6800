// An in-memory Fs over a memfs Volume, with Linux's observable semantics wherever the runner depends on
// them. memfs silently differs in several places (see the guards below); each guard reproduces what
// rename(2), link(2), unlink(2) and open(2) do on Linux, so the core behaves the same on both adapters.
// memfs runs in-process and synchronously underneath, so a check followed by the operation cannot race.
import path from 'node:path';
import type { Volume } from 'memfs';
import { isFsError } from '../../src/ports.ts';
import type { FileStat, Fs, FsError, ReadHandle } from '../../src/ports.ts';
import { plainBytes, readFromStart, toFileStat } from '../../src/adapters/fs-common.ts';

/** The message node gives for each code we raise ourselves, so errors read the same on both adapters. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ELOOP: 'too many symbolic links encountered',
  EEXIST: 'file already exists',
  EPERM: 'operation not permitted',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EINVAL: 'invalid argument',
  // Raised only by the fault injector (spec/harness/fault-fs.ts): memfs itself never fails this way.
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on device',
  EIO: 'i/o error',
  EACCES: 'permission denied',
  EMFILE: 'too many open files',
  EXDEV: 'cross-device link not permitted',
};

export function fsError(code: string, syscall: string, ...paths: string[]): FsError {
  const where = paths.map((p) => `'${p}'`).join(' -> ');
  const error = new Error(`${code}: ${DESCRIPTIONS[code] ?? 'error'}, ${syscall} ${where}`);
  return Object.assign(error, { code, syscall, path: paths[0] });
}

export function createMemFs(vol: Volume): Fs {
  const p = vol.promises;

  const lstat = async (file: string): Promise<FileStat> => toFileStat(await p.lstat(file));
  /** lstat, or null when nothing is there (any other error propagates). */
  const lstatOrNull = async (file: string): Promise<FileStat | null> => {
    try {
      return await lstat(file);
    } catch (error) {
      if (isFsError(error) && error.code === 'ENOENT') return null;
      throw error;
    }
  };

  const fs: Fs = {
    readdir: async (dir) => (await p.readdir(dir)).map(String),
    lstat,
    stat: async (file) => toFileStat(await p.stat(file)),

    // memfs has no O_NOFOLLOW: check the final component ourselves (ELOOP, as Linux says for a symlink,
    // dangling or not).
    openNoFollow: async (file) => {
      if ((await lstat(file)).kind === 'symlink') throw fsError('ELOOP', 'open', file);
      const handle = await p.open(file, 'r');
      const readHandle: ReadHandle = {
        stat: async () => toFileStat(await handle.stat()),
        // memfs "reads" 0 bytes from a directory; Linux read(2) fails with EISDIR.
        read: async (maxBytes) => {
          if (toFileStat(await handle.stat()).kind === 'directory') throw fsError('EISDIR', 'read', file);
          return readFromStart(handle, maxBytes);
        },
        close: () => handle.close(),
      };
      return readHandle;
    },

    readFile: async (file) => plainBytes(await p.readFile(file)),

    // memfs's 'wx' already fails with EEXIST for anything present, including a dangling symlink.
    writeFileExclusive: async (file, data) => {
      await p.writeFile(file, data, { flag: 'wx', mode: 0o644 });
    },

    rename: async (from, to) => {
      const source = await lstat(from);
      const fromAbs = path.posix.resolve(from);
      const toAbs = path.posix.resolve(to);
      if (fromAbs === toAbs) return;
      // Linux refuses to move a directory into its own subtree; memfs detaches it.
      if (source.kind === 'directory' && toAbs.startsWith(`${fromAbs}/`)) throw fsError('EINVAL', 'rename', from, to);
      const target = await lstatOrNull(to);
      if (target !== null) {
        // Two names of one inode: Linux does nothing and keeps both; memfs deletes the source.
        if (target.ino === source.ino && target.dev === source.dev) return;
        // memfs replaces a directory with a file, and a file or a non-empty directory with a directory.
        if (target.kind === 'directory' && source.kind !== 'directory') throw fsError('EISDIR', 'rename', from, to);
        if (target.kind !== 'directory' && source.kind === 'directory') throw fsError('ENOTDIR', 'rename', from, to);
        if (target.kind === 'directory' && (await p.readdir(to)).length > 0) throw fsError('ENOTEMPTY', 'rename', from, to);
      }
      if (source.kind === 'symlink') {
        // memfs renames the link's target instead of the link itself: move the link by hand.
        const linkTarget = String(await p.readlink(from));
        if (target !== null) await p.unlink(to); // rename(2) replaces a non-directory destination
        await p.symlink(linkTarget, to);
        await p.unlink(from);
        return;
      }
      await p.rename(from, to);
    },

    // Same order of checks as Linux's linkat: missing source (ENOENT), existing target (EEXIST), then a
    // directory source (EPERM; memfs would happily hard-link a directory).
    link: async (from, to) => {
      const source = await lstat(from);
      if ((await lstatOrNull(to)) !== null) throw fsError('EEXIST', 'link', from, to);
      if (source.kind === 'directory') throw fsError('EPERM', 'link', from, to);
      await p.link(from, to);
    },

    // Linux unlink(2) of a directory is EISDIR; memfs says EPERM.
    unlink: async (file) => {
      if ((await lstat(file)).kind === 'directory') throw fsError('EISDIR', 'unlink', file);
      await p.unlink(file);
    },

    rmdir: async (dir) => {
      await p.rmdir(dir);
    },

    // memfs's non-recursive mkdir already fails with EEXIST for anything present (dangling symlink too).
    mkdir: async (dir) => {
      await p.mkdir(dir);
    },

    // Durability is not modelled here (the fault wrapper does that); only the errors of opening the path.
    fsyncFile: async (file) => {
      await p.stat(file);
    },
    fsyncDir: async (dir) => {
      if ((await fs.stat(dir)).kind !== 'directory') throw fsError('ENOTDIR', 'open', dir);
    },
  };
  return normalizeErrors(fs);
}

/**
 * The core only recognises errors that are `Error`s with a string `code` (isFsError). memfs's errors
 * already are; this makes sure any that are not (a plain object, a numeric code) still reach the core as
 * fs errors instead of being mistaken for bugs. Errors without a code are bugs and pass through untouched.
 */
function normalizeErrors(fs: Fs): Fs {
  const guard =
    <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await op(...args);
      } catch (error) {
        throw asFsError(error);
      }
    };
  return {
    readdir: guard(fs.readdir),
    lstat: guard(fs.lstat),
    stat: guard(fs.stat),
    openNoFollow: guard(async (file: string) => {
      const handle = await fs.openNoFollow(file);
      return { stat: guard(handle.stat), read: guard(handle.read), close: guard(handle.close) };
    }),
    readFile: guard(fs.readFile),
    writeFileExclusive: guard(fs.writeFileExclusive),
    rename: guard(fs.rename),
    link: guard(fs.link),
    unlink: guard(fs.unlink),
    rmdir: guard(fs.rmdir),
    mkdir: guard(fs.mkdir),
    fsyncFile: guard(fs.fsyncFile),
    fsyncDir: guard(fs.fsyncDir),
  };
}

function asFsError(error: unknown): unknown {
  if (isFsError(error) || typeof error !== 'object' || error === null) return error;
  const code: unknown = (error as { code?: unknown }).code;
  if (code === undefined || code === null) return error;
  const message: unknown = (error as { message?: unknown }).message;
  const wrapped = new Error(typeof message === 'string' ? message : String(code), { cause: error });
  return Object.assign(wrapped, { code: String(code) });
}
