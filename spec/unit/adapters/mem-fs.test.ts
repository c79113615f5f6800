import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { createMemFs } from '../../harness/mem-fs.ts';
import { isFsError } from '../../../src/ports.ts';
import { fsContract } from './fs-contract.ts';
import type { FsFixture } from './fs-contract.ts';

function memFixture(): Promise<FsFixture> {
  const vol = new Volume();
  vol.mkdirSync('/watch', { recursive: true });
  return Promise.resolve({
    fs: createMemFs(vol),
    root: '/watch',
    symlink: async (target, at) => {
      vol.symlinkSync(target, at);
    },
    dispose: async () => undefined,
  });
}

fsContract('mem-fs (memfs)', memFixture);

describe('mem-fs: memfs facts the guards rely on', () => {
  it('memfs itself keeps nlink and inode identity across hard links', () => {
    const vol = new Volume();
    vol.writeFileSync('/a', 'x');
    vol.linkSync('/a', '/b');
    expect(vol.lstatSync('/a').nlink).toBe(2);
    expect(vol.lstatSync('/b').ino).toBe(vol.lstatSync('/a').ino);
    vol.unlinkSync('/a');
    expect(vol.lstatSync('/b').nlink).toBe(1);
  });

  it('memfs errors are Errors with a string code', async () => {
    const fs = createMemFs(new Volume());
    const error: unknown = await fs.lstat('/missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isFsError(error)).toBe(true);
  });
});
