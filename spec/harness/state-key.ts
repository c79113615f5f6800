// Canonical texts of a volume's state, for telling two states apart (the crash exploration runs the
// recovery of each distinct surviving state once): what is visible on the volume, and (durability.ts)
// what would survive a power cut. Names, kinds, contents and which names share one file all count.

import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Volume } from 'memfs';

/** Path, kind, an identity shared by the names of one file, and the content (bytes, or a symlink's target). */
export type KeyedEntry = readonly [string, 'file' | 'directory' | 'symlink', number, Uint8Array | string | undefined];

/** Canonical text of a list of entries; ids are renumbered by first appearance so equal shapes compare equal. */
export function describeEntries(entries: readonly KeyedEntry[]): string {
  const renumbered = new Map<number, number>();
  return entries
    .map(([path, kind, id, content]) => {
      if (!renumbered.has(id)) renumbered.set(id, renumbered.size);
      const digest = typeof content === 'string' ? content : content === undefined ? '-' : createHash('sha1').update(content).digest('hex');
      return `${path} ${kind} #${renumbered.get(id)} ${digest}`;
    })
    .join('\n');
}

/** A canonical text of everything visible on the volume: names, kinds, contents and which names share a file. */
export function describeVolume(vol: Volume): string {
  const entries: KeyedEntry[] = [];
  const walk = (dir: string): void => {
    for (const name of (vol.readdirSync(dir) as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const path = join(dir, name);
      const stat = vol.lstatSync(path);
      const ino = Number(stat.ino);
      if (stat.isDirectory()) {
        entries.push([path, 'directory', ino, '']);
        walk(path);
      } else if (stat.isSymbolicLink()) entries.push([path, 'symlink', ino, String(vol.readlinkSync(path))]);
      else entries.push([path, 'file', ino, new Uint8Array(vol.readFileSync(path) as Buffer)]);
    }
  };
  walk('/');
  return describeEntries(entries);
}
