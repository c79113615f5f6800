// The two comparison levels of design section 4, on a real golden altered the way other implementations differ.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithGolden, reasonCategory, valueAt } from '../../src/conformance/compare.ts';
import type { ExternalRunOutcome } from '../../src/conformance/external-run.ts';
import type { Golden } from '../../src/conformance/golden.ts';

const GOLDEN = JSON.parse(readFileSync(join(import.meta.dirname, '../../golden/execution/exit-code.json'), 'utf8')) as Golden;
const RESULT = 'watch/failed/job.result.json';
const AT_RESULT = '/runs/0/tree/watch~1failed~1job.result.json';

type Mutable = { runs: { exit: ExternalRunOutcome['exit']; tree: Record<string, unknown> }[] };

/** A deep copy of the golden's runs, changed by `alter`. */
function altered(alter: (doc: Mutable) => void): ExternalRunOutcome[] {
  const doc = JSON.parse(JSON.stringify(GOLDEN)) as Mutable;
  alter(doc);
  return doc.runs as ExternalRunOutcome[];
}

function result(doc: Mutable): Record<string, unknown> & { clips: Record<string, unknown>[]; _metadata: Record<string, unknown> } {
  return doc.runs[0]?.tree[RESULT] as Record<string, unknown> & { clips: Record<string, unknown>[]; _metadata: Record<string, unknown> };
}

describe('compareWithGolden', () => {
  it('finds nothing when the runs are the golden', () => {
    expect(compareWithGolden(GOLDEN, altered(() => undefined), 'strict')).toBeNull();
    expect(compareWithGolden(GOLDEN, altered(() => undefined), 'core')).toBeNull();
  });

  it('strict sees any difference; core ignores stderr, sizes, commands and the reason after its category', () => {
    const runs = altered((doc) => {
      const r = result(doc);
      const clip = r.clips[0] ?? {};
      clip.stderr_tail = 'other words';
      clip.ffmpeg_command = ['<FFMPEG>', '-y'];
      clip.failure_reason = 'FFmpeg exited with code 1';
      r._metadata.failure_reason = 'FFmpeg exited with code 1';
      r.source_files = [];
    });
    expect(compareWithGolden(GOLDEN, runs, 'strict')).toEqual({
      pointer: `${AT_RESULT}/clips/0/ffmpeg_command/1`,
      expected: '-hide_banner',
      actual: '-y',
    });
    expect(compareWithGolden(GOLDEN, runs, 'core')).toBeNull();
  });

  it('core sees final_status, job_id, clip status and exit code, output and where the files are', () => {
    const at = (alter: (doc: Mutable) => void): string | undefined => compareWithGolden(GOLDEN, altered(alter), 'core')?.pointer;
    expect(at((doc) => void (result(doc).final_status = 'PARTIAL'))).toBe(`${AT_RESULT}/final_status`);
    expect(at((doc) => void (result(doc).job_id = 'abc'))).toBe(`${AT_RESULT}/job_id`);
    expect(at((doc) => void ((result(doc).clips[0] ?? {}).exit_code = -1))).toBe(`${AT_RESULT}/clips/0/exit_code`);
    expect(at((doc) => void ((result(doc).clips[0] ?? {}).failure_reason = 'Output file does not exist or has zero size'))).toBe(`${AT_RESULT}/clips/0/failure_category`);
    expect(at((doc) => void result(doc).clips.pop())).toBe(`${AT_RESULT}/clip_count`);
    expect(at((doc) => void (doc.runs[0] = { exit: 0, tree: doc.runs[0]?.tree ?? {} }))).toBe('/runs/0/exit');
    expect(
      at((doc) => {
        const tree = doc.runs[0]?.tree ?? {};
        tree['watch/running/job.json'] = tree['watch/failed/job.json'];
        delete tree['watch/failed/job.json'];
      }),
    ).toBe('/runs/0/tree/watch~1failed~1job.json');
  });

  it('reports "killed" and "timeout" exits like any other value', () => {
    expect(compareWithGolden(GOLDEN, altered((doc) => void (doc.runs[0] = { exit: 'timeout', tree: {} })), 'core')).toMatchObject({ pointer: '/runs/0/exit', expected: 1, actual: 'timeout' });
  });
});

describe('helpers', () => {
  it('reasonCategory is the text up to the first colon', () => {
    expect(reasonCategory('JobSpec contract violation: Unknown fields in JobSpec: [x]')).toBe('JobSpec contract violation');
    expect(reasonCategory('runner interrupted')).toBe('runner interrupted');
    expect(reasonCategory(null)).toBeNull();
  });

  it('valueAt follows escaped JSON pointers and ignores the key-order note', () => {
    const doc = { a: { 'b/c': [1, { '~d': 2 }] } };
    expect(valueAt(doc, '/a/b~1c/1/~0d')).toBe(2);
    expect(valueAt(doc, '/a (key order)')).toEqual(doc.a);
    expect(valueAt(doc, '/x/y')).toBeUndefined();
  });
});
