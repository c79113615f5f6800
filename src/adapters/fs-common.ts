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

/** Bytes asked of the kernel per read: large enough to be few calls, small enough to never over-allocate. */
const READ_CHUNK_BYTES = 64 * 1024;

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
 * Reads from offset 0 until EOF or `maxBytes`, whichever comes first. Reads in bounded chunks rather than
 * allocating `maxBytes` up front, so a generous cap costs nothing for a small file; a short read is not
 * EOF (only a zero-byte read is), hence the loop.
 */
export async function readFromStart(handle: PositionalReader, maxBytes: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`invalid read cap: ${maxBytes}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < maxBytes) {
    const want = Math.min(READ_CHUNK_BYTES, maxBytes - total);
    const chunk = new Uint8Array(want);
    const { bytesRead } = await handle.read(chunk, 0, want, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return concatBytes(chunks, total);
}

/** A plain Uint8Array (not a Buffer) so both adapters hand the core values that compare equal. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Copies a Buffer into a plain Uint8Array (see concatBytes for why). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
