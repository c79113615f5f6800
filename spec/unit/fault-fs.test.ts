// The fault injector and the durability shadow (spec/harness/fault-fs.ts, durability.ts) do what
// spec/README.md says, so that what the crash exploration and the errno matrix prove is about Linux's
// rules and not about the harness.

import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { createMemFs } from '../harness/mem-fs.ts';
import { createDurabilityShadow, trackDurability } from '../harness/durability.ts';
import type { FsFault } from '../harness/fault-fs.ts';
import { injectFsFault } from '../harness/fault-fs.ts';
import { RunnerKilled } from '../../src/ports.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A volume with /d/old (durable), the shadow, and an fs that reports its fsyncs to it. */
function disk() {
  const vol = new Volume();
  vol.mkdirSync('/d/sub', { recursive: true });
  vol.writeFileSync('/d/old', 'old');
  const shadow = createDurabilityShadow(vol);
  shadow.syncEverything();
  return { vol, shadow, fs: trackDurability(createMemFs(vol), shadow) };
}

const names = (vol: Volume, dir: string): string[] => (vol.readdirSync(dir) as string[]).sort();

describe('durability shadow', () => {
  it('keeps the initial tree and drops entries whose directory was not fsynced', async () => {
    const { vol, shadow, fs } = disk();
    await fs.writeFileExclusive('/d/new', bytes('new'));
    await fs.unlink('/d/old');
    shadow.powerCut();
    expect(names(vol, '/d')).toEqual(['old', 'sub']);
    expect(String(vol.readFileSync('/d/old'))).toBe('old');
  });

  it('keeps an entry once its directory is fsynced, and data only once the file is', async () => {
    const { vol, shadow, fs } = disk();
    vol.writeFileSync('/d/raw', 'written by someone else'); // the fake FFmpeg: no fsync of its own
    await fs.writeFileExclusive('/d/synced', bytes('synced'));
    await fs.fsyncDir('/d');
    shadow.powerCut();
    expect(names(vol, '/d')).toEqual(['old', 'raw', 'sub', 'synced']);
    expect(String(vol.readFileSync('/d/raw'))).toBe('');
    expect(String(vol.readFileSync('/d/synced'))).toBe('synced');
  });

  it('leaves a rename whose source directory was not fsynced under both names, as one file', async () => {
    const { vol, shadow, fs } = disk();
    await fs.rename('/d/old', '/d/sub/old');
    await fs.fsyncDir('/d/sub');
    shadow.powerCut();
    expect(names(vol, '/d')).toEqual(['old', 'sub']);
    expect(names(vol, '/d/sub')).toEqual(['old']);
    expect(vol.lstatSync('/d/old').ino).toBe(vol.lstatSync('/d/sub/old').ino);
  });

  it('loses a new directory with everything in it until its parent is fsynced', async () => {
    const { vol, shadow, fs } = disk();
    await fs.mkdir('/d/made');
    await fs.writeFileExclusive('/d/made/f', bytes('f'));
    await fs.fsyncDir('/d/made');
    shadow.powerCut();
    expect(names(vol, '/d')).toEqual(['old', 'sub']);
  });

  it('tells files apart by node, not by the inode numbers memfs reuses', async () => {
    const { vol, shadow, fs } = disk();
    await fs.writeFileExclusive('/d/a', bytes('first'));
    await fs.fsyncDir('/d');
    await fs.unlink('/d/a'); // not durable: /d/a stays in the durable listing
    await fs.writeFileExclusive('/d/sub/b', bytes('second')); // may get /d/a's inode number
    shadow.powerCut();
    expect(String(vol.readFileSync('/d/a'))).toBe('first');
  });

  it('adopts dropped files without making their neighbours durable', async () => {
    const { vol, shadow, fs } = disk();
    await fs.writeFileExclusive('/d/unsynced', bytes('x'));
    vol.mkdirSync('/d/drop');
    vol.writeFileSync('/d/drop/j.json', '{}');
    shadow.adopt(['/d/drop/j.json']);
    shadow.powerCut();
    expect(names(vol, '/d')).toEqual(['drop', 'old', 'sub']);
    expect(String(vol.readFileSync('/d/drop/j.json'))).toBe('{}');
  });
});

describe('fault injector', () => {
  function faulty(fault: FsFault | null) {
    const vol = new Volume();
    vol.mkdirSync('/d', { recursive: true });
    const kill = (why: string): never => {
      throw new RunnerKilled(why);
    };
    return { vol, ...injectFsFault(createMemFs(vol), fault, kill) };
  }
  const errno = (at: number, extra: Partial<Extract<FsFault, { kind: 'errno' }>> = {}): FsFault => ({
    kind: 'errno', at, code: 'ENOSPC', persistent: false, writesOnly: false, ...extra,
  });

  it('fails operation k once, or k and every later one', async () => {
    const once = faulty(errno(2));
    await once.fs.readdir('/d');
    await expect(once.fs.readdir('/d')).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(once.fs.readdir('/d')).resolves.toEqual([]);
    expect(once.firstFailure()).toBe(2);
    const persistent = faulty(errno(1, { persistent: true }));
    await expect(persistent.fs.readdir('/d')).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(persistent.fs.lstat('/d')).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('counts handle calls, and crashes before operation k with RunnerKilled', async () => {
    const { vol, fs, opCount, reached } = faulty({ kind: 'crash', at: 4 });
    vol.writeFileSync('/d/f', 'x');
    const handle = await fs.openNoFollow('/d/f');
    await handle.stat();
    await handle.read(10);
    await expect(handle.close()).rejects.toBeInstanceOf(RunnerKilled);
    expect([opCount(), reached()]).toEqual([4, true]);
  });

  it('on a full disk fails only writes, leaving an empty file behind a failed exclusive write', async () => {
    const { vol, fs } = faulty(errno(1, { writesOnly: true, persistent: true }));
    await fs.readdir('/d');
    await expect(fs.writeFileExclusive('/d/f', bytes('data'))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(String(vol.readFileSync('/d/f'))).toBe('');
    await fs.unlink('/d/f');
    await expect(fs.mkdir('/d/m')).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('with a matcher, counts only the operations it names', async () => {
    const matches = ({ name, paths }: { name: string; paths: readonly string[] }): boolean => name === 'mkdir' && paths[0] === '/d/b';
    const { fs, reached } = faulty(errno(1, { code: 'EIO', matches }));
    await fs.mkdir('/d/a');
    expect(reached()).toBe(false);
    await expect(fs.mkdir('/d/b')).rejects.toMatchObject({ code: 'EIO' });
    expect(reached()).toBe(true);
  });
});
