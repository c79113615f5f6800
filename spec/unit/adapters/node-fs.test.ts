import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeFs } from '../../../src/adapters/node-fs.ts';
import { HANG_MS } from '../../support/polling.ts';
import { fsContract } from './fs-contract.ts';
import type { FsFixture } from './fs-contract.ts';

async function realFixture(): Promise<FsFixture> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'node-fs-'));
  return {
    fs: createNodeFs(),
    root,
    symlink: (target, at) => fsp.symlink(target, at),
    dispose: () => fsp.rm(root, { recursive: true, force: true }),
  };
}

fsContract('node-fs (real disk)', realFixture);

/**
 * Fails the test instead of hanging it if `promise` blocks (a FIFO opened without O_NONBLOCK would, for
 * ever: any deadline catches that, so it is a generous one that a loaded machine cannot miss).
 */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`blocked for more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe('node-fs: what memfs cannot show', () => {
  it('opens FIFOs without blocking and reports kind other (the test never reads them)', async () => {
    const fx = await realFixture();
    try {
      // Several, because four blocked opens would exhaust libuv's pool and stall every later fs call.
      for (const name of ['a.json', 'b.json', 'c.json', 'd.json', 'e.json']) {
        const fifo = path.join(fx.root, name);
        expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
        const handle = await within(HANG_MS, fx.fs.openNoFollow(fifo));
        try {
          expect((await handle.stat()).kind).toBe('other');
          expect((await fx.fs.lstat(fifo)).kind).toBe('other');
        } finally {
          await handle.close();
        }
      }
      // readFile and fsyncFile open non-blocking too: a FIFO planted where the runner expects its own
      // file must not hang it (no writer: reads as empty; fsync of a FIFO is EINVAL).
      const fifo = path.join(fx.root, 'a.json');
      expect((await within(HANG_MS, fx.fs.readFile(fifo))).length).toBe(0);
      const fsyncError: unknown = await within(HANG_MS, fx.fs.fsyncFile(fifo).then(() => null, (e: unknown) => e));
      expect(fsyncError).toMatchObject({ code: 'EINVAL' });
    } finally {
      await fx.dispose();
    }
  });

  it('gives a name that is not UTF-8 to the disk as exactly its bytes, and reads such a name back losslessly', async () => {
    const fx = await realFixture();
    try {
      const raw = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]); // Latin-1 "café.json"
      await fx.fs.writeFileExclusive(path.join(fx.root, 'caf\udce9.json'), new TextEncoder().encode('{}'));
      expect(await fsp.readdir(fx.root, { encoding: 'buffer' })).toEqual([raw]);
      await fsp.writeFile(Buffer.concat([Buffer.from(`${fx.root}/`), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80])]), 'x');
      // 0xED 0xA0 0x80 would be an encoded surrogate, which UTF-8 forbids: three escaped bytes, not one character.
      expect((await fx.fs.readdir(fx.root)).sort()).toEqual(['caf\udce9.json', '\udcff\udcfe\udced\udca0\udc80']);
      expect((await fx.fs.lstat(path.join(fx.root, '\udcff\udcfe\udced\udca0\udc80'))).size).toBe(1);
    } finally {
      await fx.dispose();
    }
  });
});
