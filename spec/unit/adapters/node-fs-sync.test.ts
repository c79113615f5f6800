// The real-disk adapter's durability promises (SPEC.md R4.14, R8.15): writeFileExclusive syncs the data
// it wrote before closing, fsyncFile and fsyncDir sync a descriptor opened on the very path they are given.
// A power cut cannot be staged on a real disk, so every FileHandle that node:fs/promises hands the adapter
// is observed instead: which path it was opened on, with which flags, and what was called on it, in order.

import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
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

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (file: string, flags?: unknown, mode?: unknown): Promise<FileHandle> => {
    const handle = await actual.open(file, flags as string, mode as number);
    observed.opened.push({ fd: handle.fd, path: String(file), flags });
    return new Proxy(handle, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          observed.calls.push({ fd: target.fd, call: String(property) });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  return { ...actual, open, default: { ...actual, open } };
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

    expect(flagsOf(file)).toEqual(['wx']);
    expect(callsOn(file)).toEqual(['writeFile', 'sync', 'close']);
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
