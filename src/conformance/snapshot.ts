// The normalised tree under a scenario root, as golden files hold it (design section 2), taken from any
// filesystem through four read operations: the real disk here, memfs in spec/harness/memory-run.ts. One walk
// for both, so an in-memory golden and a conformance run on disk can only differ in what the runner did
// (spec/conformance/snapshot.test.ts still checks both readers on every fixture's input tree).

import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { decodeName, nodePathOf } from '../path-bytes.ts';
import type { Tree } from './normalize.ts';
import { isPrivateRunnerFile, normaliseFile, normaliseString } from './normalize.ts';
import { runnerIdMasker } from '../runner/filing-names.ts';

export type SnapshotKind = 'directory' | 'symlink' | 'file' | 'other';

/** The read side of a filesystem, as much as a snapshot needs. */
export interface TreeReader {
  list(dir: string): string[];
  /** What `path` itself is (a symlink is not followed). */
  kind(path: string): SnapshotKind;
  readlink(path: string): string;
  read(path: string): Uint8Array;
}

/** The real disk, names read as bytes (path-bytes.ts) so that a name that is not UTF-8 is shown, not lost. */
export const nodeTreeReader: TreeReader = {
  list: (dir) => readdirSync(nodePathOf(dir), { encoding: 'buffer' }).map((name) => decodeName(name)),
  kind(path) {
    const stat = lstatSync(nodePathOf(path));
    if (stat.isDirectory()) return 'directory';
    if (stat.isSymbolicLink()) return 'symlink';
    return stat.isFile() ? 'file' : 'other';
  },
  readlink: (path) => decodeName(readlinkSync(nodePathOf(path), { encoding: 'buffer' })),
  read: (path) => new Uint8Array(readFileSync(nodePathOf(path))),
};

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface SnapshotOptions {
  /** Keep destination suffixes as they are (fault tests that must tell two stamped copies apart). */
  readonly keepStamps?: boolean;
  /** Include the runner's private lock files, which goldens leave out (tests of the lock itself). */
  readonly keepPrivate?: boolean;
  /** The host the runners ran on: their shared-runner ids become `<RUNNER>`. */
  readonly host?: string;
}

/** Files, symlinks and empty directories under `root`, in code-unit order, normalised against `root`. */
export function snapshotTree(reader: TreeReader, root: string, options: SnapshotOptions = {}): Tree {
  const ctx = {
    root,
    keepStamps: options.keepStamps === true,
    ...(options.host === undefined ? {} : { maskRunnerIds: runnerIdMasker(options.host) }),
  };
  const tree: Tree = {};
  const walk = (dir: string, relative: string): void => {
    const names = reader.list(dir).sort(byCodeUnits);
    if (names.length === 0 && relative !== '') tree[normaliseString(relative, ctx)] = { $dir: true };
    for (const name of names) {
      const path = join(dir, name);
      const rel = relative === '' ? name : `${relative}/${name}`;
      const key = normaliseString(rel, ctx);
      const kind = reader.kind(path);
      if (kind === 'directory') walk(path, rel);
      else if (kind === 'symlink') tree[key] = { $symlink: normaliseString(reader.readlink(path), ctx) };
      // A FIFO or socket is never opened (reading a FIFO blocks); scenarios cannot make one, a runner could.
      else if (kind === 'other') tree[key] = { $other: true };
      else if (options.keepPrivate === true || !isPrivateRunnerFile(rel)) tree[key] = normaliseFile(rel, reader.read(path), ctx);
    }
  };
  walk(root, '');
  return tree;
}

/** The snapshot of a directory on the real disk. */
export function snapshotDirectory(root: string, options: SnapshotOptions = {}): Tree {
  return snapshotTree(nodeTreeReader, root, options);
}
