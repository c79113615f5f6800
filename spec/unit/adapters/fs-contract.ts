// The Fs contract both adapters must honour (node-fs on a real disk, mem-fs on memfs). Written once as a
// function of the adapter fixture so any divergence between the two shows up as a failing case on one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFsError } from '../../../src/ports.ts';
import type { Fs } from '../../../src/ports.ts';

export interface FsFixture {
  readonly fs: Fs;
  /** An empty directory for this test. */
  readonly root: string;
  /** Creates a symlink (not part of the port: the runner never makes one). */
  symlink(target: string, at: string): Promise<void>;
  dispose(): Promise<void>;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** Awaits `promise`, expecting it to fail with an fs error carrying `code`. */
async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => new Error(`expected ${code}, but it succeeded`),
    (e: unknown) => e,
  );
  expect(isFsError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

export function fsContract(name: string, makeFixture: () => Promise<FsFixture>): void {
  describe(`Fs contract: ${name}`, () => {
    let fx: FsFixture;
    let fs: Fs;
    let p: (name: string) => string;

    beforeEach(async () => {
      fx = await makeFixture();
      fs = fx.fs;
      p = (entry) => `${fx.root}/${entry}`;
    });
    afterEach(async () => {
      await fx.dispose();
    });

    describe('writeFileExclusive / readFile', () => {
      it('creates the file with the data; readFile returns a plain Uint8Array', async () => {
        await fs.writeFileExclusive(p('a'), bytes('hello'));
        const data = await fs.readFile(p('a'));
        expect(data.constructor).toBe(Uint8Array);
        expect(text(data)).toBe('hello');
        expect(await fs.lstat(p('a'))).toMatchObject({ kind: 'file', size: 5, nlink: 1 });
      });

      it('fails with EEXIST on an existing file and leaves it untouched', async () => {
        await fs.writeFileExclusive(p('a'), bytes('first'));
        await expectCode(fs.writeFileExclusive(p('a'), bytes('second')), 'EEXIST');
        expect(text(await fs.readFile(p('a')))).toBe('first');
      });

      it('fails with EEXIST on a directory and on a dangling symlink, without creating its target', async () => {
        await fs.mkdir(p('dir'));
        await expectCode(fs.writeFileExclusive(p('dir'), bytes('x')), 'EEXIST');
        await fx.symlink(p('target'), p('dangling'));
        await expectCode(fs.writeFileExclusive(p('dangling'), bytes('x')), 'EEXIST');
        await expectCode(fs.lstat(p('target')), 'ENOENT');
      });

      it('fails with ENOENT when the parent is missing; readFile of a directory is EISDIR', async () => {
        await expectCode(fs.writeFileExclusive(p('missing/a'), bytes('x')), 'ENOENT');
        await expectCode(fs.readFile(fx.root), 'EISDIR');
        await expectCode(fs.readFile(p('missing')), 'ENOENT');
      });
    });

    describe('openNoFollow', () => {
      it('opens a regular file: fstat, capped reads from the start', async () => {
        await fs.writeFileExclusive(p('job.json'), bytes('0123456789'));
        const handle = await fs.openNoFollow(p('job.json'));
        try {
          expect(await handle.stat()).toMatchObject({ kind: 'file', size: 10, nlink: 1 });
          expect(text(await handle.read(3))).toBe('012');
          // Every read starts at 0, whatever was read before.
          expect(text(await handle.read(100))).toBe('0123456789');
          expect(text(await handle.read(10))).toBe('0123456789');
          expect((await handle.read(0)).length).toBe(0);
        } finally {
          await handle.close();
        }
      });

      it('reads at most the cap from a file larger than one internal chunk', async () => {
        const big = new Uint8Array(200_000).map((_, i) => i % 251);
        await fs.writeFileExclusive(p('big'), big);
        const handle = await fs.openNoFollow(p('big'));
        try {
          const head = await handle.read(150_001);
          // Byte comparison via Buffer: toEqual walks 150,000 elements one by one and takes most of a second.
          expect(Buffer.from(head).equals(big.subarray(0, 150_001))).toBe(true);
          const all = await handle.read(1_000_000);
          expect(all.length).toBe(big.length);
          expect(Buffer.from(all).equals(big)).toBe(true);
        } finally {
          await handle.close();
        }
      });

      it('fails with ELOOP on a symlink to a file, to a directory and on a dangling one', async () => {
        await fs.writeFileExclusive(p('secret'), bytes('do not read'));
        await fs.mkdir(p('dir'));
        await fx.symlink(p('secret'), p('to-file.json'));
        await fx.symlink(p('dir'), p('to-dir.json'));
        await fx.symlink(p('nowhere'), p('dangling.json'));
        await expectCode(fs.openNoFollow(p('to-file.json')), 'ELOOP');
        await expectCode(fs.openNoFollow(p('to-dir.json')), 'ELOOP');
        await expectCode(fs.openNoFollow(p('dangling.json')), 'ELOOP');
      });

      it('fails with ENOENT on a missing path', async () => {
        await expectCode(fs.openNoFollow(p('missing.json')), 'ENOENT');
      });

      it('opens a directory, reports kind directory, and reading it is EISDIR', async () => {
        await fs.mkdir(p('x.json'));
        const handle = await fs.openNoFollow(p('x.json'));
        try {
          expect((await handle.stat()).kind).toBe('directory');
          await expectCode(handle.read(10), 'EISDIR');
        } finally {
          await handle.close();
        }
      });

      it('reports nlink 2 and the shared inode for a hard-linked file', async () => {
        await fs.writeFileExclusive(p('a.json'), bytes('{}'));
        await fs.link(p('a.json'), p('b.json'));
        const handle = await fs.openNoFollow(p('b.json'));
        try {
          const st = await handle.stat();
          expect(st.nlink).toBe(2);
          const other = await fs.lstat(p('a.json'));
          expect(st.ino).toBe(other.ino);
          expect(st.dev).toBe(other.dev);
        } finally {
          await handle.close();
        }
        await fs.unlink(p('a.json'));
        expect(await fs.lstat(p('b.json'))).toMatchObject({ kind: 'file', nlink: 1, size: 2 });
      });
    });

    describe('lstat / stat / readdir', () => {
      it('lstat does not follow a symlink, stat does, and a dangling one is ENOENT for stat', async () => {
        await fs.writeFileExclusive(p('f'), bytes('abc'));
        await fs.mkdir(p('d'));
        await fx.symlink(p('f'), p('l'));
        await fx.symlink(p('nowhere'), p('dangling'));
        expect((await fs.lstat(p('f'))).kind).toBe('file');
        expect((await fs.lstat(p('d'))).kind).toBe('directory');
        expect((await fs.lstat(p('l'))).kind).toBe('symlink');
        expect(await fs.stat(p('l'))).toMatchObject({ kind: 'file', size: 3 });
        expect((await fs.lstat(p('dangling'))).kind).toBe('symlink');
        await expectCode(fs.stat(p('dangling')), 'ENOENT');
        await expectCode(fs.lstat(p('missing')), 'ENOENT');
        const st = await fs.lstat(p('f'));
        for (const value of [st.size, st.mtimeMs, st.nlink, st.ino, st.dev]) expect(typeof value).toBe('number');
      });

      it('readdir lists entry names; ENOENT / ENOTDIR otherwise', async () => {
        await fs.writeFileExclusive(p('b.json'), bytes(''));
        await fs.writeFileExclusive(p('a.json'), bytes(''));
        await fs.mkdir(p('sub'));
        expect((await fs.readdir(fx.root)).sort()).toEqual(['a.json', 'b.json', 'sub']);
        await expectCode(fs.readdir(p('missing')), 'ENOENT');
        await expectCode(fs.readdir(p('a.json')), 'ENOTDIR');
      });
    });

    describe('link', () => {
      it('fails with EEXIST when the target exists (file, directory, dangling symlink), untouched', async () => {
        await fs.writeFileExclusive(p('a'), bytes('a'));
        await fs.writeFileExclusive(p('b'), bytes('b'));
        await fs.mkdir(p('d'));
        await fx.symlink(p('nowhere'), p('dangling'));
        await expectCode(fs.link(p('a'), p('b')), 'EEXIST');
        await expectCode(fs.link(p('a'), p('d')), 'EEXIST');
        await expectCode(fs.link(p('a'), p('dangling')), 'EEXIST');
        expect(text(await fs.readFile(p('b')))).toBe('b');
        expect((await fs.lstat(p('a'))).nlink).toBe(1);
      });

      it('fails with EPERM for a directory source and ENOENT for a missing one', async () => {
        await fs.mkdir(p('d'));
        await expectCode(fs.link(p('d'), p('d2')), 'EPERM');
        await expectCode(fs.link(p('missing'), p('x')), 'ENOENT');
        await expectCode(fs.lstat(p('d2')), 'ENOENT');
      });

      it('links a symlink itself, not its target', async () => {
        await fs.writeFileExclusive(p('f'), bytes('abc'));
        await fx.symlink(p('f'), p('l'));
        await fs.link(p('l'), p('l2'));
        expect((await fs.lstat(p('l2'))).kind).toBe('symlink');
        expect((await fs.lstat(p('f'))).nlink).toBe(1);
      });
    });

    describe('mkdir', () => {
      it('creates one directory; EEXIST for anything present; ENOENT without a parent', async () => {
        await fs.mkdir(p('d'));
        expect((await fs.lstat(p('d'))).kind).toBe('directory');
        await fs.writeFileExclusive(p('f'), bytes(''));
        await fx.symlink(p('nowhere'), p('dangling'));
        await expectCode(fs.mkdir(p('d')), 'EEXIST');
        await expectCode(fs.mkdir(p('f')), 'EEXIST');
        await expectCode(fs.mkdir(p('dangling')), 'EEXIST');
        await expectCode(fs.mkdir(p('missing/d')), 'ENOENT');
      });
    });

    describe('rename', () => {
      it('moves a file, and replaces an existing file (callers check first)', async () => {
        await fs.writeFileExclusive(p('a'), bytes('a'));
        await fs.writeFileExclusive(p('b'), bytes('b'));
        await fs.rename(p('a'), p('c'));
        await expectCode(fs.lstat(p('a')), 'ENOENT');
        await fs.rename(p('c'), p('b'));
        expect(text(await fs.readFile(p('b')))).toBe('a');
        await expectCode(fs.rename(p('missing'), p('x')), 'ENOENT');
      });

      it('refuses a file onto a directory (EISDIR) and a directory onto a file (ENOTDIR)', async () => {
        await fs.writeFileExclusive(p('f'), bytes('f'));
        await fs.mkdir(p('d'));
        await expectCode(fs.rename(p('f'), p('d')), 'EISDIR');
        await expectCode(fs.rename(p('d'), p('f')), 'ENOTDIR');
        expect((await fs.lstat(p('d'))).kind).toBe('directory');
        expect(text(await fs.readFile(p('f')))).toBe('f');
      });

      it('refuses a directory onto a non-empty directory (ENOTEMPTY) but replaces an empty one', async () => {
        await fs.mkdir(p('src'));
        await fs.writeFileExclusive(p('src/x'), bytes('x'));
        await fs.mkdir(p('full'));
        await fs.writeFileExclusive(p('full/y'), bytes('y'));
        await fs.mkdir(p('empty'));
        await expectCode(fs.rename(p('src'), p('full')), 'ENOTEMPTY');
        expect(await fs.readdir(p('full'))).toEqual(['y']);
        await fs.rename(p('src'), p('empty'));
        expect(await fs.readdir(p('empty'))).toEqual(['x']);
      });

      it('refuses to move a directory into itself (EINVAL)', async () => {
        await fs.mkdir(p('d'));
        await expectCode(fs.rename(p('d'), p('d/inside')), 'EINVAL');
        expect(await fs.readdir(p('d'))).toEqual([]);
      });

      it('moves a symlink itself, never its target (memfs would move the target)', async () => {
        await fs.writeFileExclusive(p('target'), bytes('t'));
        await fx.symlink(p('target'), p('link'));
        await fs.mkdir(p('d'));
        await fs.rename(p('link'), p('d/link'));
        expect((await fs.lstat(p('d/link'))).kind).toBe('symlink');
        expect((await fs.readdir(fx.root)).sort()).toEqual(['d', 'target']);
        expect(text(await fs.readFile(p('target')))).toBe('t');
      });

      it('does nothing between two names of one inode, or onto itself', async () => {
        await fs.writeFileExclusive(p('a'), bytes('a'));
        await fs.link(p('a'), p('b'));
        await fs.rename(p('a'), p('b'));
        expect((await fs.readdir(fx.root)).sort()).toEqual(['a', 'b']);
        expect((await fs.lstat(p('a'))).nlink).toBe(2);
        await fs.rename(p('a'), p('a'));
        expect(text(await fs.readFile(p('a')))).toBe('a');
      });
    });

    describe('unlink', () => {
      it('removes a name; ENOENT when missing; EISDIR for a directory; a symlink, not its target', async () => {
        await fs.writeFileExclusive(p('f'), bytes('f'));
        await fx.symlink(p('f'), p('l'));
        await fs.mkdir(p('d'));
        await fs.unlink(p('l'));
        expect(text(await fs.readFile(p('f')))).toBe('f');
        await fs.unlink(p('f'));
        await expectCode(fs.lstat(p('f')), 'ENOENT');
        await expectCode(fs.unlink(p('f')), 'ENOENT');
        await expectCode(fs.unlink(p('d')), 'EISDIR');
      });
    });

    describe('names that are not valid UTF-8 (bytes carried as U+DC80–U+DCFF, path-bytes.ts)', () => {
      it('are listed as such and can be read, linked, renamed, fsynced and unlinked under that name', async () => {
        const latin1 = 'caf\udce9.json';
        await fs.mkdir(p('d\udcff'));
        await fs.writeFileExclusive(p(`d\udcff/${latin1}`), bytes('{}'));
        expect(await fs.readdir(p('d\udcff'))).toEqual([latin1]);
        expect(text(await fs.readFile(p(`d\udcff/${latin1}`)))).toBe('{}');
        const handle = await fs.openNoFollow(p(`d\udcff/${latin1}`));
        expect(text(await handle.read(10))).toBe('{}');
        await handle.close();
        await fs.link(p(`d\udcff/${latin1}`), p('linked\udcfe'));
        expect((await fs.lstat(p('linked\udcfe'))).nlink).toBe(2);
        await fs.rename(p('linked\udcfe'), p('renamed\udc80'));
        await fs.fsyncFile(p('renamed\udc80'));
        await fs.fsyncDir(p('d\udcff'));
        await fs.unlink(p('renamed\udc80'));
        expect((await fs.readdir(fx.root)).sort()).toEqual(['d\udcff']);
        expect((await fs.stat(p(`d\udcff/${latin1}`))).nlink).toBe(1);
      });

      it('a listing that mixes them with plain names and with U+FFFD itself gives each name back exactly', async () => {
        const names = ['plain.json', 'caf\udce9.json', 'real\ufffd.json'];
        await fs.mkdir(p('mixed'));
        for (const name of names) await fs.writeFileExclusive(p(`mixed/${name}`), bytes('{}'));
        expect((await fs.readdir(p('mixed'))).sort()).toEqual([...names].sort());
        await fs.mkdir(p('only-fffd'));
        await fs.writeFileExclusive(p('only-fffd/\ufffd.json'), bytes('{}'));
        expect(await fs.readdir(p('only-fffd'))).toEqual(['\ufffd.json']);
      });
    });

    describe('fsyncFile / fsyncDir', () => {
      it('succeed on what exists, ENOENT otherwise; fsyncDir of a file is ENOTDIR', async () => {
        await fs.writeFileExclusive(p('f'), bytes('f'));
        await fs.mkdir(p('d'));
        await fs.fsyncFile(p('f'));
        await fs.fsyncDir(p('d'));
        await fs.fsyncDir(fx.root);
        await expectCode(fs.fsyncFile(p('missing')), 'ENOENT');
        await expectCode(fs.fsyncDir(p('missing')), 'ENOENT');
        await expectCode(fs.fsyncDir(p('f')), 'ENOTDIR');
      });
    });
  });
}
