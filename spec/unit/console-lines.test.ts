// The console lines of a scan (SPEC.md R12.2, R12.3, R12.4), which goldens do not hold: one line per
// candidate with its status, where it was filed and why, the waiting ones, the summary, control
// characters escaped, and continuous mode quiet while pending/ is empty; and what startup recovery's
// line counts (R12.1). Through runApp on memfs.

import { describe, expect, it } from 'vitest';
import { baseJobSpec, withFields } from '../generated/base.ts';
import { runTree } from '../support/run-tree.ts';

const job = (id: string, clip: string): Record<string, unknown> => withFields(baseJobSpec(), { job_id: id, sources: [`{ROOT}/media/${clip}`] });

describe("startup recovery's lines", () => {
  it('name each job recovery filed or finished, with its status and where it went (R12.2)', async () => {
    const committed = { 'watch/completed/done.json': job('done0001', 'done.mov'), 'watch/completed/.done.result.tmp': '{"final_status": "COMPLETED"}' };
    const both = await runTree({ ...committed, 'watch/running/left.json': job('left0001', 'left.mov'), out: { $dir: true } });
    expect(both.lines.filter((line) => line.startsWith('Recovered'))).toEqual([
      'Recovered done.json: its filing, committed by a runner that stopped, was finished: COMPLETED -> completed/done.json',
      'Recovered left.json: left in running/ by a runner that stopped: FAILED -> failed/left.json (runner interrupted)',
    ]);
    expect(both.exit).toBe(1); // the interrupted job is FAILED (R11.6)

    const alone = await runTree({ ...committed, out: { $dir: true } });
    expect(alone.lines.filter((line) => line.startsWith('Recovered'))).toHaveLength(1);
    expect(alone.exit).toBe(0); // a COMPLETED job recovery finished is no failure
    expect(alone.tree['watch/completed/done.result.json']).toBeDefined();
  });
});

describe('the console of a scan', () => {
  it('says per candidate what became of it, clip by clip, and sums the scan up', async () => {
    const run = await runTree({
      'watch/pending/a.json': job('job0000a', 'a.mov'),
      'watch/pending/b.json': job('job0000b', 'b.mov'),
      'watch/pending/c.json': '{"jobspec_version": "2.1", ',
      'watch/pending/d.json': withFields(baseJobSpec(), { codec: 'nope' }),
      'watch/completed/a.json': 'an older a.json',
      'media/a.mov': { $media: { duration_ms: 0 } },
      'media/b.mov': { $media: { exit: 1, duration_ms: 0 } },
      out: { $dir: true },
    });

    const scan = run.lines.slice(1);
    expect(scan).toEqual([
      'Claimed a.json: moved to running/',
      'Clip 1/1 of a.json: /scenario/media/a.mov -> /scenario/out/a_proxy.mp4',
      'Clip 1/1 of a.json COMPLETED: 1024 bytes',
      expect.stringMatching(/^COMPLETED: a\.json -> completed\/a_\d{8}T\d{6}Z\.json$/),
      'Claimed b.json: moved to running/',
      'Clip 1/1 of b.json: /scenario/media/b.mov -> /scenario/out/b_proxy.mp4',
      'Clip 1/1 of b.json FAILED: FFmpeg exited with code 1',
      'FAILED: b.json -> failed/b.json (FFmpeg exited with code 1)',
      'Waiting: c.json is not complete yet (not a complete JSON object or array, modified within the settle window)',
      'Claimed d.json: moved to running/',
      expect.stringMatching(/^PARTIAL: d\.json -> failed\/d\.json \(JobSpec contract violation: Invalid codec 'nope'/),
      'Scan complete: 1 completed, 1 failed, 1 partial, 1 waiting',
    ]);
  });

  it('prints a reason of several lines as one line', async () => {
    const run = await runTree({ 'watch/pending/m.json': withFields(baseJobSpec(), { output_directory: '{ROOT}/nowhere' }), 'media/clip.mov': { $media: {} } });

    const filed = run.lines.find((line) => line.startsWith('PARTIAL: m.json'));
    expect(filed).toMatch(/^PARTIAL: m\.json -> failed\/m\.json \(JobSpec validation failed: Path validation failed with 1 error\(s\): - \S/);
    expect(filed).not.toContain('\\u000a');
  });

  it('says once, not at every poll, that a file is waiting, and sums up only scans with news', async () => {
    const run = await runTree(
      { 'watch/pending/w.json': '{"jobspec_version": ' },
      { steps: [{ run: ['--poll-seconds', '1', '--settle-seconds', '60'], stop_after_seconds: 7 }] },
    );

    expect(run.lines.filter((line) => line.startsWith('Waiting: w.json'))).toHaveLength(1);
    expect(run.lines.filter((line) => line.startsWith('Scan complete'))).toEqual(['Scan complete: 0 completed, 0 failed, 0 partial, 1 waiting']);
  });

  it('escapes control characters of names in its lines', async () => {
    const run = await runTree({ 'watch/pending/e\u0007.json': job('job0000e', 'e.mov'), 'media/e.mov': { $media: {} }, out: { $dir: true } });

    expect(run.lines).toContain('COMPLETED: e\\u0007.json -> completed/e\\u0007.json');
  });

  it('says where the result went when the JobSpec left running/ during the job', async () => {
    const run = await runTree({
      'watch/pending/f.json': job('job0000f', 'f.mov'),
      'media/f.mov': { $media: { meanwhile: [{ remove: 'watch/running/f.json' }] } },
      out: { $dir: true },
    });

    expect(run.lines).toContain('COMPLETED: f.json -> completed/f.result.json (the JobSpec left running/ during the job)');
  });

  it('stays quiet in continuous mode while pending/ is empty, and sums up a scan that found something', async () => {
    const run = await runTree(
      { 'watch/pending': { $dir: true } },
      { steps: [{ run: ['--poll-seconds', '1'], stop_after_seconds: 3 }] },
    );
    expect(run.lines.filter((line) => line.startsWith('Scan complete'))).toEqual([]);

    const busy = await runTree(
      { 'watch/pending/g.json': job('job0000g', 'g.mov'), 'media/g.mov': { $media: {} }, out: { $dir: true } },
      { steps: [{ run: ['--poll-seconds', '1'], stop_after_seconds: 3 }] },
    );
    expect(busy.lines.filter((line) => line.startsWith('Scan complete'))).toEqual(['Scan complete: 1 completed, 0 failed, 0 partial, 0 waiting']);
  });

  it('sums up a single scan even when it found nothing', async () => {
    const run = await runTree({ 'watch/pending': { $dir: true } });

    expect(run.lines.slice(1)).toEqual(['Scan complete: 0 completed, 0 failed, 0 partial, 0 waiting']);
  });

  it('says on stderr why a candidate whose claim was refused stays in pending/', async () => {
    const run = await runTree(
      { 'watch/pending/h.json': job('job0000h', 'h.mov'), 'media/h.mov': { $media: {} }, out: { $dir: true } },
      { steps: [{ run: ['--once'], fail_fs_op: { op: 'rename watch/pending/h.json', code: 'EACCES' } }] },
    );

    expect(run.lines.filter((line) => line.startsWith('Skipped: h.json stays in pending/: cannot move it to running/ (EACCES)'))).toHaveLength(1);
    expect(run.lines).toContain('Scan complete: 0 completed, 0 failed, 0 partial, 0 waiting');
  });

  it('says nothing of a candidate that another process took between the look and the claim', async () => {
    const run = await runTree(
      { 'watch/pending/i.json': job('job0000i', 'i.mov'), 'media/i.mov': { $media: {} }, out: { $dir: true } },
      { steps: [{ run: ['--once'], fail_fs_op: { op: 'rename watch/pending/i.json', code: 'ENOENT' } }] },
    );

    expect(run.lines.slice(1)).toEqual(['Scan complete: 0 completed, 0 failed, 0 partial, 0 waiting']);
  });

  it('says on stdout, once, that a candidate whose running/ name is taken stays in pending/', async () => {
    const run = await runTree(
      { 'watch/pending/k.json': job('job0000k', 'k.mov'), 'media/k.mov': { $media: {} }, out: { $dir: true } },
      {
        // running/k.json appears to be there when the claim looks (recovery, which lists running/, saw it empty).
        wrapFs: (fs) => ({ ...fs, lstat: async (path) => fs.lstat(path.endsWith('/watch/running/k.json') ? path.replace('/running/', '/pending/') : path) }),
      },
    );

    expect(run.lines.slice(1)).toEqual(['Skipped: k.json stays in pending/ because running/k.json already exists', 'Scan complete: 0 completed, 0 failed, 0 partial, 0 waiting']);
  });
});
