// The scan of pending/ through listCandidates and readinessOf on memfs: which names are candidates and in
// which order, pending/ removed meanwhile, and each way a candidate is judged ready, waiting or vanished
// (settle window, what the file is, its bytes, each error of lstat and open). Goldens see these only as
// where files end up; here each branch is pinned by what the function answers and which calls it makes.

import { describe, expect, it } from 'vitest';
import type { ReadHandle } from '../../src/ports.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import { MAX_JOBSPEC_BYTES } from '../../src/runner/read-jobspec.ts';
import { listCandidates, ReadinessMemo, readinessOf } from '../../src/runner/scan.ts';
import type { Faults, MemDeps } from '../support/mem-deps.ts';
import { fsError, memDeps } from '../support/mem-deps.ts';

const ROOT = '/watch';
const PENDING = `${ROOT}/pending`;
const JOB = `${PENDING}/job.json`;
const SETTLE_MS = 10_000;
const COMPLETE = '{"jobspec_version": "2.1"}';

/** A pending/ with `files` in it (name → text), all modified at the fake clock's present. */
function pending(files: Record<string, string> = {}, faults: Faults = {}): MemDeps {
  const made = memDeps({ dirs: [PENDING], faults, files: Object.fromEntries(Object.entries(files).map(([name, text]) => [`${PENDING}/${name}`, text])) });
  const seconds = made.clock.now() / 1000;
  for (const name of Object.keys(files)) made.vol.utimesSync(`${PENDING}/${name}`, seconds, seconds);
  return made;
}

describe('listCandidates', () => {
  it('lists only JobSpec names (dot-files count, results do not), in code-unit order (not locale order, not listing order)', async () => {
    const w = pending({ 'b.json': '', 'B.json': '', 'a.json': '', 'a.JSON': '', 'notes.txt': '', '.hidden.json': '', 'x.result.json': '', 'Z.json': '' });
    const readdir = w.deps.fs.readdir;
    w.deps.fs.readdir = async (dir) => (await readdir(dir)).reverse();
    expect(await listCandidates(w.deps, layoutOf(ROOT))).toEqual(['.hidden.json', 'B.json', 'Z.json', 'a.json', 'b.json']);
  });

  it('pending/ removed meanwhile: created again, and no candidates', async () => {
    const w = memDeps({ dirs: [ROOT] });
    expect(await listCandidates(w.deps, layoutOf(ROOT))).toEqual([]);
    expect(w.vol.statSync(PENDING).isDirectory()).toBe(true);
  });

  it('ENOENT although pending/ is there (a racing mkdir, a confused share): the error propagates', async () => {
    const w = pending({}, { readdir: ['ENOENT'] });
    await expect(listCandidates(w.deps, layoutOf(ROOT))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('any other error listing pending/ propagates', async () => {
    const w = pending({}, { readdir: ['EIO'] });
    await expect(listCandidates(w.deps, layoutOf(ROOT))).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe('readinessOf', () => {
  it('a fresh complete JSON object is ready at once', async () => {
    expect(await readinessOf(pending({ 'job.json': COMPLETE }).deps, JOB, SETTLE_MS)).toBe('ready');
  });

  it('a fresh complete object or array that validation will refuse is ready at once: duplicate key, array, too deep', async () => {
    for (const text of ['{"codec": "h264", "codec": "vp9"}', '[1, 2]', `${'['.repeat(100)}${']'.repeat(100)}`]) {
      expect(await readinessOf(pending({ 'job.json': text }).deps, JOB, SETTLE_MS), text).toBe('ready');
    }
  });

  it('a fresh file that is not a complete object or array waits: truncated, trailing text, empty, bare scalars', async () => {
    for (const text of ['{"jobspec_version": "2.', '{} {', '', '42', '"x"', 'null']) {
      expect(await readinessOf(pending({ 'job.json': text }).deps, JOB, SETTLE_MS), text).toBe('waiting');
    }
  });

  it('once unmodified for the settle window (exactly, or longer) a file is ready without being opened', async () => {
    const w = pending({ 'job.json': '{"trunc' });
    w.clock.advance(SETTLE_MS - 1);
    expect(await readinessOf(w.deps, JOB, SETTLE_MS)).toBe('waiting');
    w.clock.advance(1);
    w.calls.length = 0;
    expect(await readinessOf(w.deps, JOB, SETTLE_MS)).toBe('ready');
    expect(w.calls).toEqual([`lstat ${JOB}`]);
  });

  it('what is filed unread is ready at once: a directory, a file with another link, one over 1 MiB', async () => {
    const dir = pending();
    dir.vol.mkdirSync(JOB);
    expect(await readinessOf(dir.deps, JOB, SETTLE_MS)).toBe('ready');
    const linked = pending({ 'other.json': '{"trunc' });
    linked.vol.linkSync(`${PENDING}/other.json`, JOB);
    expect(await readinessOf(linked.deps, JOB, SETTLE_MS)).toBe('ready');
    const huge = pending({ 'job.json': `{"x": "${'a'.repeat(MAX_JOBSPEC_BYTES)}` });
    huge.calls.length = 0;
    expect(await readinessOf(huge.deps, JOB, SETTLE_MS)).toBe('ready');
    expect(huge.calls).toEqual([`lstat ${JOB}`]);
  });

  it('a symbolic link is ready at once, never opened or followed', async () => {
    const w = pending({ 'target.json': '{"trunc' });
    w.vol.symlinkSync(`${PENDING}/target.json`, JOB);
    w.calls.length = 0;
    expect(await readinessOf(w.deps, JOB, SETTLE_MS)).toBe('ready');
    expect(w.calls).toEqual([`lstat ${JOB}`]);
  });

  it('a file of exactly 1 MiB is read like any other: waiting while incomplete, ready when complete', async () => {
    const body = (n: number) => `{"x": "${'a'.repeat(n)}"}`;
    const exact = body(MAX_JOBSPEC_BYTES - body(0).length);
    expect(exact.length).toBe(MAX_JOBSPEC_BYTES);
    expect(await readinessOf(pending({ 'job.json': exact }).deps, JOB, SETTLE_MS)).toBe('ready');
    expect(await readinessOf(pending({ 'job.json': exact.slice(0, -1) }).deps, JOB, SETTLE_MS)).toBe('waiting');
  });

  it('a name gone before the lstat or before the open has vanished', async () => {
    expect(await readinessOf(pending().deps, JOB, SETTLE_MS)).toBe('vanished');
    expect(await readinessOf(pending({ 'job.json': COMPLETE }, { openNoFollow: ['ENOENT'] }).deps, JOB, SETTLE_MS)).toBe('vanished');
  });

  it('an open refused for the file\'s own sake is ready (filed with its reason): ELOOP, ENXIO, EACCES, EPERM', async () => {
    for (const code of ['ELOOP', 'ENXIO', 'EACCES', 'EPERM']) {
      expect(await readinessOf(pending({ 'job.json': '{"trunc' }, { openNoFollow: [code] }).deps, JOB, SETTLE_MS)).toBe('ready');
    }
  });

  it('a failing disk in the lstat or the open propagates', async () => {
    await expect(readinessOf(pending({ 'job.json': COMPLETE }, { lstat: ['EIO'] }).deps, JOB, SETTLE_MS)).rejects.toMatchObject({ code: 'EIO' });
    await expect(readinessOf(pending({ 'job.json': COMPLETE }, { openNoFollow: ['EMFILE'] }).deps, JOB, SETTLE_MS)).rejects.toMatchObject({ code: 'EMFILE' });
  });

  it('a file swapped for something else between the lstat and the open is ready (filed as what it is now)', async () => {
    const w = pending({ 'job.json': '{"trunc' });
    const open = w.deps.fs.openNoFollow;
    w.deps.fs.openNoFollow = async (path): Promise<ReadHandle> => {
      const handle = await open(path);
      return { ...handle, stat: async () => ({ ...(await handle.stat()), kind: 'directory' }) };
    };
    expect(await readinessOf(w.deps, JOB, SETTLE_MS)).toBe('ready');
  });

  it('reads at most one byte past the limit, and closes the file whatever the answer; a failing close changes nothing', async () => {
    const w = pending({ 'job.json': '{"trunc' });
    const open = w.deps.fs.openNoFollow;
    const reads: number[] = [];
    let closes = 0;
    w.deps.fs.openNoFollow = async (path): Promise<ReadHandle> => {
      const handle = await open(path);
      return {
        stat: () => handle.stat(),
        read: (max) => {
          reads.push(max);
          return handle.read(max);
        },
        close: async () => {
          closes += 1;
          await handle.close();
          throw fsError('EIO');
        },
      };
    };
    expect(await readinessOf(w.deps, JOB, SETTLE_MS)).toBe('waiting');
    expect(reads).toEqual([MAX_JOBSPEC_BYTES + 1]);
    expect(closes).toBe(1);
  });

  it('with a memo, a waiting file is read again only when its size or mtime changed, or after a scan that did not see it', async () => {
    const w = pending({ 'job.json': '{"trunc' });
    const open = w.deps.fs.openNoFollow;
    let opens = 0;
    w.deps.fs.openNoFollow = async (path): Promise<ReadHandle> => {
      opens += 1;
      return open(path);
    };
    const memo = new ReadinessMemo();
    const scan = async (): Promise<string> => {
      const readiness = await readinessOf(w.deps, JOB, SETTLE_MS, memo);
      memo.endScan();
      return readiness;
    };
    const seconds = w.clock.now() / 1000;
    expect([await scan(), await scan(), opens]).toEqual(['waiting', 'waiting', 1]);
    w.vol.writeFileSync(JOB, '{"trunc"');
    w.vol.utimesSync(JOB, seconds, seconds);
    expect([await scan(), opens]).toEqual(['waiting', 2]);
    w.vol.utimesSync(JOB, seconds - 1, seconds - 1);
    expect([await scan(), opens]).toEqual(['waiting', 3]);
    memo.endScan(); // a scan that did not see the file
    expect([await scan(), opens]).toEqual(['waiting', 4]);
    w.vol.writeFileSync(JOB, '{"trunc": 1}');
    w.vol.utimesSync(JOB, seconds - 1, seconds - 1);
    expect([await scan(), opens]).toEqual(['ready', 5]);
  });
});
