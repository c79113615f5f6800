// Startup recovery through recoverInterrupted on memfs, for what the recovery goldens cannot see: which
// jobs it reports (kind, name, status, where), the order it files leftovers in, that removed temps are made durable, names that
// vanish between the listing and the look, a same-named file that is not the leftover, and that it looks
// only where a commit can be (no stats of completed/ and failed/ for a leftover that cannot be committed).

import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../src/runner/layout.ts';
import type { RecoveredJob } from '../../src/runner/recover.ts';
import { recoverInterrupted } from '../../src/runner/recover.ts';
import type { Faults, MemDeps } from '../support/mem-deps.ts';
import { memDeps } from '../support/mem-deps.ts';

const ROOT = '/watch';
const layout = layoutOf(ROOT);
const STARTED = '2026-03-04T05:06:07.000+00:00';
const job = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ jobspec_version: '2.1', job_id: id, ...extra });

function watch(files: Record<string, string> = {}, faults: Faults = {}): MemDeps {
  return memDeps({ dirs: [layout.pending, layout.running, layout.completed, layout.failed, `${ROOT}/other`], files: Object.fromEntries(Object.entries(files).map(([path, text]) => [`${ROOT}/${path}`, text])), faults });
}

const recover = (w: MemDeps): Promise<RecoveredJob[]> => recoverInterrupted({ deps: w.deps, layout, workerStartedAt: STARTED });
/** The calls before the first leftover is filed (settle starts with a look at failed/ itself). */
const beforeFiling = (w: MemDeps): string[] => {
  const end = w.calls.indexOf(`lstat ${layout.failed}`);
  return w.calls.slice(0, end === -1 ? undefined : end);
};
/** The lstats of JobSpec names outside running/ before filing: recovery's search for commits and twins. */
const searched = (w: MemDeps): string[] => beforeFiling(w).filter((c) => c.startsWith('lstat ') && c.endsWith('.json') && !c.includes('/running/'));
/** Each reported job as `<kind> <name>`. A tree with a temp beside a same-stem JobSpec in failed/ is a committed job too. */
const kinds = (jobs: readonly RecoveredJob[]): string[] => jobs.map((j) => `${j.kind} ${j.name}`);
const resultOf = (w: MemDeps, path: string): Record<string, unknown> => JSON.parse(String(w.vol.readFileSync(`${ROOT}/${path}`))) as Record<string, unknown>;

describe('recoverInterrupted', () => {
  it('reports every job it filed, and files them in code-unit order', async () => {
    const w = watch({ 'running/b.json': job('b'), 'running/B.json': job('B'), 'running/a.json': job('a') });
    const readdir = w.deps.fs.readdir;
    w.deps.fs.readdir = async (dir) => (await readdir(dir)).reverse();
    const interrupted = (name: string): RecoveredJob => ({ kind: 'interrupted', name: `${name}.json`, status: 'FAILED', jobId: name, reason: 'runner interrupted', settled: { folder: layout.failed, jobSpecName: `${name}.json`, resultName: `${name}.result.json` } });
    expect(await recover(w)).toEqual([interrupted('B'), interrupted('a'), interrupted('b')]);
    const filedOrder = w.calls.filter((c) => c.startsWith('link ') && c.includes('/failed/') && c.endsWith('.json') && !c.includes('.result')).map((c) => c.split(' ')[1]);
    expect(filedOrder).toEqual([`${layout.running}/B.json`, `${layout.running}/a.json`, `${layout.running}/b.json`]);
    expect(Object.keys(w.files(layout.failed)).sort()).toEqual(['B.json', 'B.result.json', 'a.json', 'a.result.json', 'b.json', 'b.result.json']);
    expect(w.files(layout.running)).toEqual({});
  });

  it('nothing to recover: 0, and completed/ and failed/ are only listed', async () => {
    const w = watch({ 'completed/x.json': job('x'), 'completed/x.result.json': '{}' });
    expect(await recover(w)).toHaveLength(0);
    expect(w.calls.filter((c) => c.includes('/completed') && !c.startsWith('readdir '))).toEqual([]);
  });

  it('the result keeps the file\'s own string jobspec_version, and says 2.1 for any other', async () => {
    const w = watch({ 'running/s.json': job('s', { jobspec_version: '2.0' }), 'running/n.json': job('n', { jobspec_version: 3 }), 'running/m.json': JSON.stringify({ job_id: 'm' }) });
    expect(await recover(w)).toHaveLength(3);
    const version = (name: string) => (resultOf(w, `failed/${name}.result.json`)['_metadata'] as Record<string, unknown>)['jobspec_version'];
    expect([version('s'), version('n'), version('m')]).toEqual(['2.0', '2.1', '2.1']);
    expect(resultOf(w, 'failed/s.result.json')['job_id']).toBe('s');
  });

  it('a leftover that is a directory is filed under job_id "unknown"', async () => {
    const w = watch();
    w.vol.mkdirSync(`${layout.running}/d.json`);
    expect(await recover(w)).toHaveLength(1);
    expect(resultOf(w, 'failed/d.result.json')['job_id']).toBe('unknown');
    expect(w.vol.statSync(`${layout.failed}/d.json`).isDirectory()).toBe(true);
    // A directory (whose link count is 2 or more) is neither a half-durable claim nor a link of a commit.
    expect(searched(w)).toEqual([]);
  });

  it('a single-link leftover is never looked for in completed/ or failed/ (it cannot be committed)', async () => {
    const w = watch({ 'running/a.json': job('a'), 'failed/a.json': job('a'), 'failed/.a.result.tmp': '{}' });
    expect(kinds(await recover(w))).toEqual(['committed a.json', 'interrupted a.json']);
    expect(searched(w)).toEqual([]);
  });

  it('a leftover with another link is compared only with its own filing names that have a temp beside them', async () => {
    const w = watch({ 'other/a.json': job('a'), 'failed/a.json': job('other'), 'failed/a_20260304T050607Z.json': job('other'), 'failed/.a_20260304T050607Z.result.tmp': '{}', 'failed/b.json': job('b'), 'failed/.b.result.tmp': '{}' });
    w.vol.linkSync(`${ROOT}/other/a.json`, `${layout.running}/a.json`);
    expect(kinds(await recover(w))).toEqual(['committed a_20260304T050607Z.json', 'committed b.json', 'interrupted a.json']);
    // …and, not committed, with its own submission's staged name (R4.20), which it is not.
    expect(searched(w)).toEqual([`lstat ${layout.pending}/a.json`, `lstat ${layout.failed}/a_20260304T050607Z.json`, `lstat ${layout.submitting}/a.json`]);
  });

  it('a same-named JobSpec with its temp beside it that is another file: the leftover is filed, not dropped', async () => {
    const w = watch({ 'other/a.json': job('a'), 'failed/a.json': job('a'), 'failed/.a.result.tmp': '{}' });
    w.vol.linkSync(`${ROOT}/other/a.json`, `${layout.running}/a.json`);
    expect(kinds(await recover(w))).toEqual(['committed a.json', 'interrupted a.json']);
    expect(w.files(layout.running)).toEqual({});
    expect(Object.keys(w.files(layout.failed)).filter((n) => n.startsWith('a_'))).toHaveLength(2); // the JobSpec and its result
  });

  it('a temp name that is a directory is no commit: the leftover is filed, and the directory is left alone', async () => {
    const w = watch({ 'failed/a.json': job('a') });
    w.vol.linkSync(`${layout.failed}/a.json`, `${layout.running}/a.json`);
    w.vol.mkdirSync(`${layout.failed}/.a.result.tmp`);
    expect(await recover(w)).toHaveLength(1);
    expect(w.vol.statSync(`${layout.failed}/.a.result.tmp`).isDirectory()).toBe(true);
    expect(w.files(layout.running)).toEqual({});
  });

  it('a committed leftover is unlinked, its temp published, and both folders made durable', async () => {
    const w = watch({ 'failed/a.json': job('a'), 'failed/.a.result.tmp': '{"job_id": "a", "final_status": "PARTIAL"}' });
    w.vol.linkSync(`${layout.failed}/a.json`, `${layout.running}/a.json`);
    expect(await recover(w)).toEqual([{ kind: 'committed', name: 'a.json', status: 'PARTIAL', jobId: 'a', reason: null, settled: { folder: layout.failed, jobSpecName: 'a.json', resultName: 'a.result.json' } }]);
    expect(w.files(layout.failed)).toEqual({ 'a.json': job('a'), 'a.result.json': '{"job_id": "a", "final_status": "PARTIAL"}' });
    const tail = w.calls.slice(w.calls.indexOf(`unlink ${layout.failed}/.a.result.tmp`));
    expect(tail).toContain(`fsyncDir ${layout.failed}`);
  });

  it('reports each committed job whose filing it finished with its result\'s status, committed ones first, never an abandoned temp', async () => {
    const w = watch({
      'completed/c.json': job('c'), 'completed/.c.result.tmp': '{"final_status": "COMPLETED"}',
      'failed/f.json': job('f'), 'failed/.f.result.tmp': '{"final_status": "FAILED"}', 'failed/f.result.json': '{"final_status": "FAILED"}',
      'failed/.gone.result.tmp': '{"final_status": "FAILED"}', 'running/r.json': job('r'),
    });
    const jobs = await recover(w);
    expect(jobs.map(({ kind, name, status }) => [kind, name, status])).toEqual([['committed', 'c.json', 'COMPLETED'], ['committed', 'f.json', 'FAILED'], ['interrupted', 'r.json', 'FAILED']]);
    expect(jobs[0]?.settled).toEqual({ folder: layout.completed, jobSpecName: 'c.json', resultName: 'c.result.json' });
    // The result published before the crash is kept, not linked again; only the temps are gone.
    expect(w.calls).toContain(`link ${layout.completed}/.c.result.tmp ${layout.completed}/c.result.json`);
    expect(w.calls.filter((c) => c.startsWith(`link ${layout.failed}/.f.`))).toEqual([]);
    expect(Object.keys(w.files(layout.failed)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('a committed temp that says no status (not a result of the runner\'s) is taken for what its folder means', async () => {
    for (const [folder, means] of [['completed', 'COMPLETED'], ['failed', 'FAILED']] as const) {
      for (const text of ['{}', '{"final_status": "DONE"}', '[', '']) {
        const w = watch({ [`${folder}/a.json`]: job('a'), [`${folder}/.a.result.tmp`]: text });
        expect((await recover(w)).map((j) => j.status), `${folder} ${text}`).toEqual([means]);
      }
    }
  });

  it('an abandoned temp is removed and its folder made durable; a folder without temps is not synced', async () => {
    const w = watch({ 'completed/.gone.result.tmp': '{}' });
    expect(await recover(w)).toHaveLength(0);
    expect(w.files(layout.completed)).toEqual({});
    const tail = w.calls.slice(w.calls.indexOf(`unlink ${layout.completed}/.gone.result.tmp`));
    expect(tail).toContain(`fsyncDir ${layout.completed}`);
    expect(w.calls).not.toContain(`fsyncDir ${layout.failed}`);
  });

  it('a temp listed but gone on both looks is skipped', async () => {
    const w = watch({ 'completed/.gone.result.tmp': '{}' }, { lstat: ['ENOENT', 'ENOENT'] });
    expect(await recover(w)).toHaveLength(0);
    expect(w.calls).not.toContain(`unlink ${layout.completed}/.gone.result.tmp`);
  });

  it('a leftover listed but gone on both looks (an operator took it) is skipped: nothing filed', async () => {
    const w = watch({ 'running/a.json': job('a') }, { lstat: ['ENOENT', 'ENOENT'] });
    expect(await recover(w)).toHaveLength(0);
    expect(w.files(layout.failed)).toEqual({});
  });

  it('a half-durable claim: the pending/ twin is dropped, and the leftover, now single-link, is filed without a search', async () => {
    const w = watch({ 'pending/a.json': job('a'), 'failed/a.json': job('x'), 'failed/.a.result.tmp': '{}' });
    w.vol.linkSync(`${layout.pending}/a.json`, `${layout.running}/a.json`);
    expect(kinds(await recover(w))).toEqual(['committed a.json', 'interrupted a.json']);
    expect(w.files(layout.pending)).toEqual({});
    expect(searched(w)).toEqual([`lstat ${layout.pending}/a.json`]);
  });

  it('a pending/ twin that is another file is not dropped, and no second look at the leftover is taken', async () => {
    const w = watch({ 'pending/a.json': job('new'), 'other/a.json': job('a') });
    w.vol.linkSync(`${ROOT}/other/a.json`, `${layout.running}/a.json`);
    expect(await recover(w)).toHaveLength(1);
    expect(w.files(layout.pending)).toEqual({ 'a.json': job('new') });
    // One look while searching, one by the read of its identity.
    expect(beforeFiling(w).filter((c) => c === `lstat ${layout.running}/a.json`)).toHaveLength(2);
  });

  it('the leftover gone right after its twin was dropped is skipped', async () => {
    const w = watch({ 'pending/a.json': job('a') });
    w.vol.linkSync(`${layout.pending}/a.json`, `${layout.running}/a.json`);
    const unlink = w.deps.fs.unlink;
    w.deps.fs.unlink = async (path) => {
      await unlink(path);
      if (path === `${layout.pending}/a.json`) w.vol.unlinkSync(`${layout.running}/a.json`);
    };
    expect(await recover(w)).toHaveLength(0);
    expect(w.files(layout.failed)).toEqual({});
  });

  it('a leftover an operator removes while recovery files it: the result is still written, beside nothing', async () => {
    const w = watch({ 'running/a.json': job('a'), 'completed/a.json': job('older') });
    const link = w.deps.fs.link;
    w.deps.fs.link = async (from, to) => {
      if (from === `${layout.running}/a.json`) w.vol.unlinkSync(from);
      await link(from, to);
    };
    expect(await recover(w)).toHaveLength(1);
    expect(Object.keys(w.files(layout.failed))).toEqual(['a.result.json']);
    expect(w.files(layout.completed)).toEqual({ 'a.json': job('older') });
  });

  it('when every filing name is taken (100,000 of them), recovery stops with an error instead of replacing one', async () => {
    const w = watch({ 'running/a.json': job('a') });
    const lstat = w.deps.fs.lstat;
    w.deps.fs.lstat = async (path) => (path.startsWith(`${layout.failed}/`) ? lstat(`${layout.running}/a.json`) : lstat(path));
    await expect(recover(w)).rejects.toThrow(`no free name for a in ${layout.failed}`);
    expect(w.files(layout.failed)).toEqual({});
    expect(Object.keys(w.files(layout.running))).toEqual(['a.json']);
  });

  it('a listed filing name or temp that is gone on both looks is no commit: the leftover is filed', async () => {
    for (const gone of [`${layout.failed}/a.json`, `${layout.failed}/.a.result.tmp`]) {
      const w = watch({ 'other/a.json': job('a'), 'failed/a.json': job('a'), 'failed/.a.result.tmp': '{}' });
      w.vol.linkSync(`${ROOT}/other/a.json`, `${layout.running}/a.json`);
      const lstat = w.deps.fs.lstat;
      let looks = 0;
      w.deps.fs.lstat = async (path) => {
        if (path === gone && looks < 2) {
          looks += 1;
          throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        }
        return lstat(path);
      };
      expect(kinds(await recover(w)).filter((k) => k.startsWith('interrupted'))).toEqual(['interrupted a.json']);
      expect(w.files(layout.running)).toEqual({});
    }
  });
});
