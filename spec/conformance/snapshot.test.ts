// The two backends of the scenario interpreter (the command-line one on the real disk, the memfs one in
// spec/harness/memory-run.ts) must create and see the same tree, key order included, or strict comparison
// of another implementation's run with a memfs golden would fail for nothing. Checked on every fixture's
// input tree; the ageing that acts out advance_clock_seconds on the disk is checked below.

import { lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiskBackend } from '../../src/conformance/external-run.ts';
import { loadScenarios } from '../../src/conformance/fixtures.ts';
import { snapshotTree } from '../../src/conformance/snapshot.ts';
import { placeEntries } from '../../src/conformance/tree.ts';
import { FAKE_HOST } from '../harness/fake-host.ts';
import { createMemoryBackend, MEMORY_ROOT, volumeReader } from '../harness/memory-run.ts';

const ROOT = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'snapshot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The command-line backend's options: only the placeholders matter when nothing runs. */
const DISK_OPTIONS = {
  impl: 'unused {watch}',
  paths: { withFfmpeg: '', withoutFfmpeg: '' },
  env: {},
  livePid: FAKE_HOST.livePid,
  host: FAKE_HOST.hostname,
  runTimeoutMs: 1000,
  killGroup: () => undefined,
};

const scenarios = loadScenarios(join(ROOT, 'fixtures'));

describe('snapshots of the real disk and of memfs agree', () => {
  it.each(scenarios.map((s) => [s.id, s.scenario] as const))('%s', (id, scenario) => {
    const memory = createMemoryBackend(scenario);
    memory.setUp(placeEntries(scenario.tree, memory.placeholders));
    const root = realpathSync(mkdtempSync(join(scratch, `${id.replaceAll('/', '.')}-`)));
    const disk = createDiskBackend(scenario, root, DISK_OPTIONS);
    disk.setUp(placeEntries(scenario.tree, disk.placeholders));

    const expected = memory.snapshot();
    // JSON text, not deep equality: the order of the keys is part of what strict comparison checks.
    expect(JSON.stringify(snapshotTree(volumeReader(memory.vol), MEMORY_ROOT))).toBe(JSON.stringify(expected));
    expect(JSON.stringify(disk.snapshot())).toBe(JSON.stringify(expected));
  });
});

describe('advance_clock_seconds on the real disk', () => {
  it('moves every mtime back, once per inode, symlinks included', () => {
    const root = realpathSync(mkdtempSync(join(scratch, 'age-')));
    const entries = { 'a/file': 'x', 'a/link': { $symlink: 'file' }, 'a/second-name': { $hardlink: 'a/file' }, d: { $dir: true } };
    const disk = createDiskBackend({}, root, DISK_OPTIONS);
    disk.setUp(placeEntries(entries, disk.placeholders));
    const mtimes = (): number[] => ['a/file', 'a/second-name', 'd', 'a/link'].map((path) => lstatSync(join(root, path)).mtimeMs);
    const before = mtimes();
    disk.advanceClock(10);
    expect(mtimes().map((mtime, i) => Math.round(mtime - (before[i] ?? 0)))).toEqual([-10_000, -10_000, -10_000, -10_000]);
  });
});

describe('what the command-line backend refuses', () => {
  it('a step only the in-memory harness can act out, and a root that JSON text would have to escape', async () => {
    const root = realpathSync(mkdtempSync(join(scratch, 'refuse-')));
    const disk = createDiskBackend({}, root, DISK_OPTIONS);
    await expect(disk.run({ run: ['--once'], crash_at_fs_op: 3 }, { folder: `${root}/watch`, args: ['--once'] })).rejects.toThrow(
      'this scenario cannot run through a command line: crash_at_fs_op needs the in-memory filesystem',
    );
    await expect(disk.run({ run: [], stop_after_seconds: 1 }, { folder: `${root}/watch`, args: [] })).rejects.toThrow('stop_after_seconds needs the in-memory clock');
    expect(() => createDiskBackend({}, '/tmp/a"b', DISK_OPTIONS)).toThrow('the scenario folder /tmp/a"b holds a character JSON would escape');
  });
});
