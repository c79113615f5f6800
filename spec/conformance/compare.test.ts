// The two comparison levels, on real goldens altered the way other implementations differ: `strict` sees
// every byte; `core` sees exactly its rules (exit, paths without the watch folder's dot-files, the bytes of
// every file but result files, the essentials of each result, `_recovery` for recovered jobs).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Level } from '../../src/conformance/compare.ts';
import { compareWithGolden, readablePath, reasonCategory, skipReason } from '../../src/conformance/compare.ts';
import type { ExternalRunOutcome } from '../../src/conformance/external-run.ts';
import type { Golden } from '../../src/conformance/golden.ts';

const goldenOf = (id: string): Golden => JSON.parse(readFileSync(join(import.meta.dirname, `../../golden/${id}.json`), 'utf8')) as Golden;
const FAILED = goldenOf('execution/exit-code');
const RECOVERED = goldenOf('recovery/kill-runner-mid-clip-then-recovered');
const RESULT = 'watch/failed/job.result.json';

type Entry = Record<string, unknown> & { clips: Record<string, unknown>[]; _metadata: Record<string, unknown>; _recovery?: Record<string, unknown> };
type Mutable = { runs: { exit: ExternalRunOutcome['exit']; tree: Record<string, unknown> }[] };

/** A deep copy of a golden's runs, changed by `alter`. */
function altered(golden: Golden, alter: (doc: Mutable) => void): ExternalRunOutcome[] {
  const doc = JSON.parse(JSON.stringify(golden)) as Mutable;
  alter(doc);
  return doc.runs as ExternalRunOutcome[];
}

const resultOf = (doc: Mutable, run = 0): Entry => doc.runs[run]?.tree[RESULT] as Entry;
const clipOf = (doc: Mutable): Record<string, unknown> => resultOf(doc).clips[0] ?? {};
const treeOf = (doc: Mutable, run = 0): Record<string, unknown> => doc.runs[run]?.tree ?? {};

/** Where the differences are, as `[file, at]`. */
function where(golden: Golden, level: Level, alter: (doc: Mutable) => void): [string | null, string][] {
  return compareWithGolden(golden, altered(golden, alter), level).map((d) => [d.file, d.at]);
}

describe('both levels', () => {
  it('find nothing when the runs are the golden', () => {
    for (const level of ['strict', 'core'] as const) {
      expect(compareWithGolden(FAILED, altered(FAILED, () => undefined), level)).toEqual([]);
      expect(compareWithGolden(RECOVERED, altered(RECOVERED, () => undefined), level)).toEqual([]);
    }
  });

  it('report every difference, in the order of the golden, each with both values, a readable place and its JSON pointer', () => {
    const differences = compareWithGolden(
      FAILED,
      altered(FAILED, (doc) => {
        clipOf(doc).status = 'COMPLETED';
        resultOf(doc).final_status = 'COMPLETED';
        doc.runs[0] = { exit: 0, tree: treeOf(doc) };
      }),
      'core',
    );
    expect(differences).toEqual([
      { run: 0, file: null, at: 'exit', pointer: '/runs/0/exit', expected: 1, actual: 0, keyOrder: false },
      { run: 0, file: RESULT, at: 'final_status', pointer: '/runs/0/tree/watch~1failed~1job.result.json/final_status', expected: 'FAILED', actual: 'COMPLETED', keyOrder: false },
      { run: 0, file: RESULT, at: 'clips[0].status', pointer: '/runs/0/tree/watch~1failed~1job.result.json/clips/0/status', expected: 'FAILED', actual: 'COMPLETED', keyOrder: false },
    ]);
  });

  it('report "killed" and "timeout" exits like any other value', () => {
    expect(compareWithGolden(FAILED, altered(FAILED, (doc) => void (doc.runs[0] = { exit: 'timeout', tree: treeOf(doc) })), 'core')).toEqual([
      expect.objectContaining({ at: 'exit', expected: 1, actual: 'timeout' }),
    ]);
    expect(where(RECOVERED, 'core', (doc) => void (doc.runs[0] = { exit: 0, tree: treeOf(doc) }))).toEqual([[null, 'exit']]);
  });
});

describe('strict', () => {
  it('sees any difference: stderr, the command, sizes, the reason text after its category, key order', () => {
    expect(where(FAILED, 'strict', (doc) => void (clipOf(doc).stderr_tail = 'other words'))).toEqual([[RESULT, 'clips[0].stderr_tail']]);
    expect(where(FAILED, 'strict', (doc) => void (clipOf(doc).failure_reason = 'FFmpeg exited with code 1: details'))).toEqual([[RESULT, 'clips[0].failure_reason']]);
    const reordered = compareWithGolden(
      FAILED,
      altered(FAILED, (doc) => {
        const { job_id, final_status, ...rest } = resultOf(doc);
        treeOf(doc)[RESULT] = { final_status, job_id, ...rest };
      }),
      'strict',
    );
    expect(reordered).toEqual([expect.objectContaining({ file: RESULT, at: '', keyOrder: true, pointer: '/runs/0/tree/watch~1failed~1job.result.json (key order)' })]);
    expect(reordered[0]?.expected).toEqual(Object.keys(FAILED.runs[0]?.tree[RESULT] as object));
  });

  it('sees the watch folder dot-files that core leaves to each runner', () => {
    expect(where(FAILED, 'strict', (doc) => void (treeOf(doc)['watch/.my-runner.lock'] = '1234\n'))).toEqual([['watch/.my-runner.lock', '']]);
  });
});

describe('core', () => {
  it('ignores stderr, the command, sizes, times, summaries, key order and the reason after its category', () => {
    const runs = altered(FAILED, (doc) => {
      const r = resultOf(doc);
      Object.assign(clipOf(doc), { stderr_tail: 'other words', ffmpeg_command: ['<FFMPEG>', '-y'], output_size_bytes: 7, failure_reason: 'FFmpeg exited with code 1: see the log' });
      r._metadata = { failure_reason: 'FFmpeg exited with code 1: see the log' };
      r.source_files = [];
      delete r.total_clips;
      const { job_id, final_status, ...rest } = r;
      treeOf(doc)[RESULT] = { final_status, job_id, ...rest };
    });
    expect(compareWithGolden(FAILED, runs, 'core')).toEqual([]);
  });

  it('compares job_id, final_status, the clip count and each clip status, exit code, output flag, output path and reason category', () => {
    expect(where(FAILED, 'core', (doc) => void (resultOf(doc).job_id = 'abc'))).toEqual([[RESULT, 'job_id']]);
    expect(where(FAILED, 'core', (doc) => void (resultOf(doc).final_status = 'PARTIAL'))).toEqual([[RESULT, 'final_status']]);
    expect(where(FAILED, 'core', (doc) => void (clipOf(doc).exit_code = -1))).toEqual([[RESULT, 'clips[0].exit_code']]);
    expect(where(FAILED, 'core', (doc) => void (clipOf(doc).output_exists = true))).toEqual([[RESULT, 'clips[0].output_exists']]);
    expect(where(FAILED, 'core', (doc) => void (clipOf(doc).resolved_output_path = '{ROOT}/out/other.mp4'))).toEqual([[RESULT, 'clips[0].resolved_output_path']]);
    expect(where(FAILED, 'core', (doc) => void (clipOf(doc).failure_reason = 'Output file does not exist or has zero size'))).toEqual([
      [RESULT, 'clips[0].failure_reason (category)'],
    ]);
    expect(where(FAILED, 'core', (doc) => void delete clipOf(doc).status)).toEqual([[RESULT, 'clips[0].status']]);
    expect(where(FAILED, 'core', (doc) => void resultOf(doc).clips.pop())).toEqual([
      [RESULT, 'clips (count)'],
      [RESULT, 'clips[0]'],
    ]);
  });

  it('compares the category of _metadata.failure_reason', () => {
    expect(where(FAILED, 'core', (doc) => void (resultOf(doc)._metadata.failure_reason = 'runner interrupted'))).toEqual([
      [RESULT, '_metadata.failure_reason (category)'],
    ]);
    expect(where(FAILED, 'core', (doc) => void delete resultOf(doc)._metadata.failure_reason)).toEqual([[RESULT, '_metadata.failure_reason (category)']]);
  });

  it('compares a recovered job on its _recovery reason and original path, not on _metadata', () => {
    // As the user's own recovery example: no _metadata at all, a _recovery block with its own time.
    const asInTheExample = altered(RECOVERED, (doc) => {
      const r = resultOf(doc, 1);
      delete (r as Partial<Entry>)._metadata;
      r._recovery = { reason: 'runner interrupted', recovered_at: '2025-12-28T12:00:00+00:00', original_path: '{ROOT}/watch/running/job.json' };
    });
    expect(compareWithGolden(RECOVERED, asInTheExample, 'core')).toEqual([]);
    expect(where(RECOVERED, 'core', (doc) => void ((resultOf(doc, 1)._recovery ?? {}).reason = 'crashed'))).toEqual([[RESULT, '_recovery.reason']]);
    expect(where(RECOVERED, 'core', (doc) => void ((resultOf(doc, 1)._recovery ?? {}).original_path = '/elsewhere/job.json'))).toEqual([[RESULT, '_recovery.original_path']]);
    // Without a _recovery block the job is not recognisably recovered: that is a difference.
    expect(where(RECOVERED, 'core', (doc) => void delete resultOf(doc, 1)._recovery)).toEqual([
      [RESULT, '_recovery'],
      [RESULT, '_metadata'],
    ]);
  });

  it('compares which paths exist, leaving dot-files directly in the watch folder (and inside dot-folders there) aside', () => {
    const moved = (doc: Mutable): void => {
      const tree = treeOf(doc);
      tree['watch/running/job.json'] = tree['watch/failed/job.json'];
      delete tree['watch/failed/job.json'];
    };
    expect(where(FAILED, 'core', moved)).toEqual([
      ['watch/failed/job.json', ''],
      ['watch/running/job.json', ''],
    ]);
    const privateFiles = (doc: Mutable): void => {
      Object.assign(treeOf(doc), { 'watch/.lock': '{"pid": 1}', 'watch/.state/queue.db': { $bytes: 3, $sha256: 'abc' }, 'watch/.empty': { $dir: true } });
    };
    expect(where(FAILED, 'core', privateFiles)).toEqual([]);
    // Only directly in the watch folder: a dot-file anywhere else is an ordinary path.
    expect(where(FAILED, 'core', (doc) => void (treeOf(doc)['watch/failed/.job.result.json.tmp'] = ''))).toEqual([['watch/failed/.job.result.json.tmp', '']]);
    expect(where(FAILED, 'core', (doc) => void (treeOf(doc)['out/.hidden'] = ''))).toEqual([['out/.hidden', '']]);
  });

  it('compares every file that is not a result file byte for byte: JobSpecs, media, outputs', () => {
    const tree = (doc: Mutable): Record<string, unknown> => treeOf(doc);
    expect(where(FAILED, 'core', (doc) => void (tree(doc)['watch/failed/job.json'] = String(tree(doc)['watch/failed/job.json']).replace('\n}', '}')))).toEqual([
      ['watch/failed/job.json', ''],
    ]);
    expect(where(FAILED, 'core', (doc) => void (tree(doc)['out/clip_proxy.mp4.partial'] = { $bytes: 512, $sha256: '00' }))).toEqual([['out/clip_proxy.mp4.partial', '$sha256']]);
    expect(where(FAILED, 'core', (doc) => void (tree(doc)['media/clip.mov'] = 'FAKEMEDIA {}\n'))).toEqual([['media/clip.mov', '']]);
    expect(where(FAILED, 'core', (doc) => void (tree(doc)['watch/completed'] = { $symlink: '../failed' }))).toEqual([
      ['watch/completed', '$dir'],
      ['watch/completed', '$symlink'],
    ]);
  });

  it('reports a result file that is not a JSON object as one difference', () => {
    expect(where(FAILED, 'core', (doc) => void (treeOf(doc)[RESULT] = 'not json'))).toEqual([[RESULT, '']]);
  });
});

describe('skipReason', () => {
  it('skips scenarios tagged reference at core only', () => {
    expect(skipReason(['portable', 'reference'], 'core')).toMatch(/^tagged reference/);
    expect(skipReason(['portable', 'reference'], 'strict')).toBeNull();
    expect(skipReason(['portable', 'recovery'], 'core')).toBeNull();
  });
});

describe('helpers', () => {
  it('reasonCategory is the text up to the first colon', () => {
    expect(reasonCategory('JobSpec contract violation: Unknown fields in JobSpec: [x]')).toBe('JobSpec contract violation');
    expect(reasonCategory('runner interrupted')).toBe('runner interrupted');
    expect(reasonCategory(null)).toBeNull();
  });

  it('readablePath writes indexes in brackets, plain keys with dots, other keys quoted', () => {
    expect(readablePath(['clips', 0, 'failure_reason (category)'])).toBe('clips[0].failure_reason (category)');
    expect(readablePath(['resolved_tokens', 'a b', '$x'])).toBe('resolved_tokens["a b"].$x');
    expect(readablePath([])).toBe('');
  });
});
