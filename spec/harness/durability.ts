// The durability shadow of the fault injector (reliability section 4): what a disk would still hold after
// a power cut, kept beside a memfs volume that models the page cache. The model, per Linux's rules:
//   - a directory entry change (create, rename, link, unlink, mkdir) is durable only once the directory
//     that holds the entry is fsynced; each directory keeps its own last fsynced listing, so a rename whose
//     target directory was fsynced but whose source directory was not leaves the file under both names;
//   - a file's data is durable only once the file is fsynced (`writeFileExclusive` fsyncs its own data);
//     a file whose entry is durable but whose data never was reads back empty;
//   - everything on the volume when the shadow starts (the scenario's initial tree) is durable.
// The shadow records state only at fsync time, by reading the volume, so writers it never sees (the fake
// FFmpeg writes through the raw fs) are covered too: their files are durable once the runner fsyncs them.
// Files are identified by their memfs node, not by inode number: memfs reuses the numbers of deleted nodes.

import { join } from 'node:path';
import type { Volume } from 'memfs';
import type { Fs } from '../../src/ports.ts';
import type { KeyedEntry } from './state-key.ts';
import { describeEntries } from './state-key.ts';

type EntryKind = KeyedEntry[1];

interface DurableEntry {
  readonly id: number;
  readonly kind: EntryKind;
  /** A symlink's target, fixed when it is created. */
  readonly target: string;
}

interface DurableData {
  readonly bytes: Uint8Array;
  readonly mtimeMs: number;
}

export interface DurabilityShadow {
  /** After a successful fsync of the file at `path` (or an exclusive write, which fsyncs): its data is durable. */
  syncFile(path: string): void;
  /** After a successful fsync of the directory at `path`: its current entries are durable. */
  syncDir(path: string): void;
  /** Everything now on the volume is durable (the initial tree). */
  syncEverything(): void;
  /** `paths` (and the folders leading to them) were put on disk durably, the rest of their folders unchanged. */
  adopt(paths: readonly string[]): void;
  /** The power fails: the volume becomes exactly what the shadow says is durable (and all of it is). */
  powerCut(): void;
  /** A canonical text of the durable state (to tell two states apart). */
  describe(): string;
}

export function createDurabilityShadow(vol: Volume): DurabilityShadow {
  let ids = new WeakMap<object, number>();
  let nextId = 1;
  let data = new Map<number, DurableData>();
  let dirs = new Map<number, Map<string, DurableEntry>>();

  /** The identity of the node at `path` (following a final symlink when `follow`). */
  const idOf = (path: string, follow: boolean): number => {
    const ino = Number(follow ? vol.statSync(path).ino : vol.lstatSync(path).ino);
    const node: object | undefined = vol._core.inodes[ino];
    if (node === undefined) throw new Error(`durability shadow: no node for ${path}`);
    let id = ids.get(node);
    if (id === undefined) {
      id = nextId++;
      ids.set(node, id);
    }
    return id;
  };

  const entryAt = (path: string): DurableEntry => {
    const stat = vol.lstatSync(path);
    const kind: EntryKind = stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'file';
    return { id: idOf(path, false), kind, target: kind === 'symlink' ? String(vol.readlinkSync(path)) : '' };
  };

  const syncFile = (path: string): void => {
    const bytes = new Uint8Array(vol.readFileSync(path) as Buffer);
    data.set(idOf(path, true), { bytes, mtimeMs: Number(vol.statSync(path).mtimeMs) });
  };

  const syncDir = (path: string): void => {
    const listing = new Map<string, DurableEntry>();
    for (const name of vol.readdirSync(path) as string[]) listing.set(name, entryAt(join(path, name)));
    dirs.set(idOf(path, true), listing);
  };

  const syncTree = (path: string): void => {
    syncDir(path);
    for (const [name, entry] of dirs.get(idOf(path, true)) ?? []) {
      if (entry.kind === 'directory') syncTree(join(path, name));
      if (entry.kind === 'file') syncFile(join(path, name));
    }
  };

  /** Every durable entry reachable from the root, parents first: [path, entry]. */
  const durableEntries = (): Array<[string, DurableEntry]> => {
    const out: Array<[string, DurableEntry]> = [];
    const seenDirs = new Set<number>();
    const walk = (dirId: number, path: string): void => {
      const listing = [...(dirs.get(dirId) ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [name, entry] of listing) {
        // A directory cannot have two names: a half-durable rename of one keeps the first name walked.
        if (entry.kind === 'directory' && seenDirs.has(entry.id)) continue;
        if (entry.kind === 'directory') seenDirs.add(entry.id);
        out.push([join(path, name), entry]);
        if (entry.kind === 'directory') walk(entry.id, join(path, name));
      }
    };
    walk(idOf('/', true), '/');
    return out;
  };

  return {
    syncFile,
    syncDir,
    syncEverything: () => syncTree('/'),
    adopt(paths) {
      for (const path of paths) {
        let dir = '/';
        for (const part of path.split('/').filter((p) => p !== '')) {
          const child = join(dir, part);
          const listing = dirs.get(idOf(dir, true)) ?? new Map<string, DurableEntry>();
          listing.set(part, entryAt(child));
          dirs.set(idOf(dir, true), listing);
          dir = child;
        }
        if (vol.lstatSync(path).isFile()) syncFile(path);
      }
    },
    powerCut() {
      const entries = durableEntries();
      const contents = new Map(entries.map(([, e]) => [e.id, data.get(e.id)]));
      vol.reset();
      const firstPath = new Map<number, string>();
      for (const [path, entry] of entries) {
        if (entry.kind === 'directory') vol.mkdirSync(path);
        else if (entry.kind === 'symlink') vol.symlinkSync(entry.target, path);
        else if (firstPath.has(entry.id)) vol.linkSync(firstPath.get(entry.id) ?? '', path);
        else {
          const durable = contents.get(entry.id);
          vol.writeFileSync(path, durable?.bytes ?? new Uint8Array(0));
          if (durable !== undefined) vol.utimesSync(path, durable.mtimeMs / 1000, durable.mtimeMs / 1000);
        }
        firstPath.set(entry.id, path);
      }
      // The disk is all there is now: start over from it.
      ids = new WeakMap();
      data = new Map();
      dirs = new Map();
      syncTree('/');
    },
    describe() {
      return describeEntries(durableEntries().map(([path, e]): KeyedEntry => [path, e.kind, e.id, e.kind === 'file' ? data.get(e.id)?.bytes : e.target]));
    },
  };
}

/** `fs` that tells `shadow` about every fsync that succeeded (an exclusive write fsyncs its data). */
export function trackDurability(fs: Fs, shadow: DurabilityShadow): Fs {
  return {
    ...fs,
    async writeFileExclusive(path, bytes) {
      await fs.writeFileExclusive(path, bytes);
      shadow.syncFile(path);
    },
    async fsyncFile(path) {
      await fs.fsyncFile(path);
      shadow.syncFile(path);
    },
    async fsyncDir(path) {
      await fs.fsyncDir(path);
      shadow.syncDir(path);
    },
  };
}
