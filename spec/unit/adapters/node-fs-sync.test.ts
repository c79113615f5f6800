// The real-disk adapter's durability promises (SPEC.md R4.14, R8.15): writeFileExclusive syncs the data
// it wrote before closing, fsyncFile and fsyncDir sync a descriptor opened on the very path they are given.
// A power cut cannot be staged on a real disk, so every descriptor that node:fs hands the adapter is
// observed instead: which path it was opened on, with which flags, and what was called on it, in order.

import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNodeFs } from '../../../src/adapters/node-fs.ts';

interface HandleCall {
  readonly fd: number;
  readonly call: string;
}

interface Opened {
  readonly fd: number;
  readonly path: string;
  readonly flags: unknown;
}

const observed = vi.hoisted(() => ({ opened: [] as Opened[], calls: [] as HandleCall[] }));

// The adapter makes node:fs's synchronous calls: every descriptor openSync hands it is recorded, and every
// call that takes a descriptor first (write, fsync, close, …) is recorded against it, in order.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const openSync = (file: import('node:fs').PathLike, flags: import('node:fs').OpenMode, mode?: import('node:fs').Mode | null): number => {
    const fd = actual.openSync(file, flags, mode);
    observed.opened.push({ fd, path: String(file), flags });
    return fd;
  };
  const onDescriptor = <A extends unknown[], R>(name: string, fn: (fd: number, ...rest: A) => R) => (fd: number, ...rest: A): R => {
    observed.calls.push({ fd, call: name });
    return fn(fd, ...rest);
  };
  const traced = {
    openSync,
    writeSync: onDescriptor('write', actual.writeSync as (fd: number, ...rest: unknown[]) => number),
    fsyncSync: onDescriptor('sync', actual.fsyncSync),
    closeSync: onDescriptor('close', actual.closeSync),
    readSync: onDescriptor('read', actual.readSync as (fd: number, ...rest: unknown[]) => number),
    fstatSync: onDescriptor('stat', actual.fstatSync as (fd: number, ...rest: unknown[]) => import('node:fs').Stats),
  };
  return { ...actual, ...traced, default: { ...actual, ...traced } };
});

/** What was done, in order, to the descriptors opened on `file`. */
function callsOn(file: string): string[] {
  const fds = new Set(observed.opened.filter((o) => o.path === file).map((o) => o.fd));
  return observed.calls.filter((c) => fds.has(c.fd)).map((c) => c.call);
}

function flagsOf(file: string): unknown[] {
  return observed.opened.filter((o) => o.path === file).map((o) => o.flags);
}

describe('node-fs syncs what it promises to sync', () => {
  let root = '';

  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'node-fs-sync-'));
    observed.opened.length = 0;
    observed.calls.length = 0;
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('writeFileExclusive creates exclusively, writes, syncs that descriptor, then closes it', async () => {
    const file = path.join(root, 'result.tmp');
    await createNodeFs().writeFileExclusive(file, new TextEncoder().encode('{"ok":true}\n'));

    expect(flagsOf(file)).toEqual([constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL]);
    expect(callsOn(file)).toEqual(['write', 'sync', 'close']);
    expect(await fsp.readFile(file, 'utf8')).toBe('{"ok":true}\n');
  });

  it('fsyncFile syncs a descriptor of that file and closes it', async () => {
    const file = path.join(root, 'clip.mp4.partial');
    await fsp.writeFile(file, 'frames');
    observed.calls.length = 0;

    await createNodeFs().fsyncFile(file);

    expect(flagsOf(file)).toHaveLength(1);
    expect(callsOn(file)).toEqual(['sync', 'close']);
  });

  it('fsyncDir syncs a descriptor opened on that directory (O_DIRECTORY) and closes it', async () => {
    const dir = path.join(root, 'completed');
    await fsp.mkdir(dir);

    await createNodeFs().fsyncDir(dir);

    const [flags] = flagsOf(dir);
    expect(typeof flags).toBe('number');
    expect((flags as number) & constants.O_DIRECTORY).toBe(constants.O_DIRECTORY);
    expect(callsOn(dir)).toEqual(['sync', 'close']);
  });

  it('syncs nothing else: each call opens exactly the path it was given', async () => {
    const dir = path.join(root, 'failed');
    const file = path.join(dir, 'job.json');
    await fsp.mkdir(dir);
    await fsp.writeFile(file, '{}');
    const fs = createNodeFs();

    await fs.fsyncFile(file);
    await fs.fsyncDir(dir);

    expect(observed.opened.map((o) => o.path)).toEqual([file, dir]);
  });
});
