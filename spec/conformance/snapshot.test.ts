// The real-disk snapshot (src/conformance/snapshot.ts) and the memfs one (snapshotVolume in
// spec/harness/memory-run.ts) must see the same tree, key order included, or strict comparison of another
// implementation's run with a memfs golden would fail for nothing. Checked on every fixture's input tree.

import { lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Volume } from 'memfs';
import { afterAll, describe, expect, it } from 'vitest';
import { ageDiskTree, writeDiskEntries } from '../../src/conformance/disk-tree.ts';
import { loadScenarios } from '../../src/conformance/fixtures.ts';
import type { TreeReader } from '../../src/conformance/snapshot.ts';
import { snapshotDirectory, snapshotTree } from '../../src/conformance/snapshot.ts';
import type { Placeholders } from '../../src/conformance/tree.ts';
import { creationOrder, materialise } from '../../src/conformance/tree.ts';
import { snapshotVolume } from '../harness/memory-run.ts';

const ROOT = join(import.meta.dirname, '../..');
const MEMORY_ROOT = '/scenario';
const scratch = mkdtempSync(join(tmpdir(), 'snapshot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Vol = InstanceType<typeof Volume>;

/** As spec/harness/memory-run.ts writes a scenario's tree. */
function writeVolume(vol: Vol, entries: Record<string, unknown>, p: Placeholders): void {
  for (const relative of creationOrder(entries)) {
    const path = join(MEMORY_ROOT, relative);
    const made = materialise(entries[relative], p);
    vol.mkdirSync(made.kind === 'directory' ? path : dirname(path), { recursive: true });
    if (made.kind === 'file') vol.writeFileSync(path, made.bytes);
    if (made.kind === 'symlink') vol.symlinkSync(made.target, path);
    if (made.kind === 'hardlink') vol.linkSync(join(MEMORY_ROOT, made.to), path);
  }
}

function volumeReader(vol: Vol): TreeReader {
  return {
    list: (dir) => vol.readdirSync(dir) as string[],
    kind(path) {
      const stat = vol.lstatSync(path);
      return stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : stat.isFile() ? 'file' : 'other';
    },
    readlink: (path) => String(vol.readlinkSync(path)),
    read: (path) => new Uint8Array(vol.readFileSync(path) as Buffer),
  };
}

const scenarios = loadScenarios(join(ROOT, 'fixtures'));

describe('snapshots of the real disk and of memfs agree', () => {
  it.each(scenarios.map((s) => [s.id, s.scenario] as const))('%s', (id, scenario) => {
    const vol = new Volume();
    vol.mkdirSync(MEMORY_ROOT, { recursive: true });
    writeVolume(vol, scenario.tree, { root: MEMORY_ROOT, livePid: 7, host: 'scenario-host' });
    const root = realpathSync(mkdtempSync(join(scratch, `${id.replaceAll('/', '.')}-`)));
    writeDiskEntries(root, scenario.tree, { root, livePid: 7, host: 'scenario-host' }, Date.now());

    const memory = snapshotVolume(vol);
    // JSON text, not deep equality: the order of the keys is part of what strict comparison checks.
    expect(JSON.stringify(snapshotTree(volumeReader(vol), MEMORY_ROOT))).toBe(JSON.stringify(memory));
    expect(JSON.stringify(snapshotDirectory(root))).toBe(JSON.stringify(memory));
  });
});

describe('ageing a real tree', () => {
  it('moves every mtime back, once per inode, symlinks included', () => {
    const root = realpathSync(mkdtempSync(join(scratch, 'age-')));
    const now = Date.now();
    writeDiskEntries(root, { 'a/file': 'x', 'a/link': { $symlink: 'file' }, 'a/second-name': { $hardlink: 'a/file' }, d: { $dir: true } }, { root, livePid: 1, host: hostname() }, now);
    ageDiskTree(root, 10);
    for (const path of ['a/file', 'a/second-name', 'd']) expect(Math.round(lstatSync(join(root, path)).mtimeMs)).toBe(now - 10_000);
    expect(lstatSync(join(root, 'a/link')).mtimeMs).toBeLessThan(now - 9_000);
  });
});
