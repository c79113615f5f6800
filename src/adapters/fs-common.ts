// Helpers shared by the two Fs adapters (node-fs here, and the test harness's spec/harness/mem-fs.ts), so
// that both report stats and cap reads in exactly the same way: the suites run against both, and they must agree.
import type { EntryKind, FileStat } from '../ports.ts';

/** The part of node's and memfs's Stats we convert (memfs types its numbers as number | bigint). */
export interface StatsLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  readonly size: number | bigint;
  readonly mtimeMs: number | bigint;
  readonly nlink: number | bigint;
  readonly ino: number | bigint;
  readonly dev: number | bigint;
}

/** The positional read both FileHandle flavours offer. */
export interface PositionalReader {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/**
 * The first read's buffer: a JobSpec is a few hundred bytes, and a buffer of the cap for each of
 * thousands of small reads is zero-filled memory the garbage collector must then reclaim. It doubles up
 * to the cap when a file is larger.
 */
const FIRST_READ_BYTES = 4 * 1024;

export function entryKind(stats: StatsLike): EntryKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'other';
}

export function toFileStat(stats: StatsLike): FileStat {
  return {
    kind: entryKind(stats),
    size: Number(stats.size),
    mtimeMs: Number(stats.mtimeMs),
    nlink: Number(stats.nlink),
    ino: Number(stats.ino),
    dev: Number(stats.dev),
  };
}

/**
 * Reads from offset 0 until EOF or `maxBytes`, whichever comes first, into one buffer that starts small
 * and doubles, so a generous cap costs nothing for a small file; a short read is not EOF (only a
 * zero-byte read is), hence the loop, and the read that finds EOF reuses the buffer's free space.
 */
export async function readFromStart(handle: PositionalReader, maxBytes: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`invalid read cap: ${maxBytes}`);
  let buffer = new Uint8Array(Math.min(FIRST_READ_BYTES, maxBytes));
  let total = 0;
  while (total < maxBytes) {
    if (total === buffer.length) buffer = grown(buffer, Math.min(buffer.length * 2, maxBytes));
    const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return buffer.slice(0, total);
}

/** `buffer`'s bytes at the start of a new buffer of `size` bytes. */
function grown(buffer: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  out.set(buffer);
  return out;
}

/** Copies a Buffer into a plain Uint8Array, so both adapters hand the core values that compare equal. */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
