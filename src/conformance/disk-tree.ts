// Scenario trees on the real disk, for runs of other implementations: entries are written exactly as the
// memfs harness writes them (same bytes, same creation order, one common mtime), and "time passing"
// (`advance_clock_seconds`) is acted out by moving every mtime under the root back by that much.

import { linkSync, lstatSync, lutimesSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Placeholders } from './tree.ts';
import { creationOrder, materialise } from './tree.ts';

/** Writes tree entries under `root`; every entry but a symlink gets the mtime `nowMs`. */
export function writeDiskEntries(root: string, entries: Record<string, unknown>, placeholders: Placeholders, nowMs: number): void {
  const seconds = nowMs / 1000;
  for (const relative of creationOrder(entries)) {
    const path = join(root, relative);
    const made = materialise(entries[relative], placeholders);
    mkdirSync(made.kind === 'directory' ? path : dirname(path), { recursive: true });
    if (made.kind === 'file') writeFileSync(path, made.bytes);
    if (made.kind === 'symlink') symlinkSync(made.target, path);
    if (made.kind === 'hardlink') linkSync(join(root, made.to), path);
    if (made.kind !== 'symlink') utimesSync(path, seconds, seconds);
  }
}

/**
 * Makes `seconds` pass for everything under `root`. The only clock-dependent behaviour a scenario can
 * observe through a real runner is readiness (a file's mtime against the runner's clock; timestamps are
 * normalised away), so ageing the files is the same as advancing the runner's clock.
 */
export function ageDiskTree(root: string, seconds: number): void {
  const seen = new Set<string>(); // two names of one inode (a hard link) age once
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      const inode = `${stat.dev}:${stat.ino}`;
      if (seen.has(inode)) continue;
      seen.add(inode);
      const atime = stat.atimeMs / 1000 - seconds;
      const mtime = stat.mtimeMs / 1000 - seconds;
      if (stat.isSymbolicLink()) lutimesSync(path, atime, mtime);
      else utimesSync(path, atime, mtime);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
}
