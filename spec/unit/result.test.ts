import { describe, it, expect } from 'vitest';
import {
  ClipResultSchema,
  JobResultSchema,
  RecoverySchema,
  ResultMetadataSchema,
  durationSeconds,
  formatTimestamp,
  serializeResult,
  type ClipResult,
  type JobResult,
} from '../../src/result.ts';

// Contract section 10, copied from the prose: the test's independent statement of the key order.
const JOB_KEYS = [
  'job_id', 'final_status', 'clips', 'started_at', 'completed_at', 'duration_seconds', 'total_clips',
  'completed_clips', 'failed_clips', 'source_files', 'source_extensions', '_metadata', '_recovery',
];
const METADATA_KEYS = [
  'jobspec_version', 'validation_error', 'validation_stage', 'engine_used', 'resolve_preset_used',
  'proxy_profile_used', 'resolve_edition_detected', 'resolve_version_detected', 'jobspec_path',
  'result_written_at', 'failure_reason', 'worker_id', 'worker_started_at',
];
const CLIP_KEYS = [
  'source_path', 'resolved_output_path', 'ffmpeg_command', 'exit_code', 'output_exists', 'output_size_bytes',
  'status', 'failure_reason', 'validation_stage', 'engine_used', 'proxy_profile_used', 'resolve_preset_used',
  'started_at', 'completed_at', 'duration_seconds', 'stderr_tail', 'partial_output_path',
];
const RECOVERY_KEYS = ['reason', 'recovered_at', 'original_path'];

const T0 = '2025-12-28T12:00:00.000+00:00';
const T1 = '2025-12-28T12:00:05.000+00:00';

/** Rebuilds an object with its keys in reverse order (values unchanged). */
function reversed<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).reverse()) as T;
}

function clip(overrides: Partial<ClipResult> = {}): ClipResult {
  return reversed({
    source_path: 'media/a.mov',
    resolved_output_path: '/out/a_proxy.mp4',
    ffmpeg_command: ['ffmpeg', '-hide_banner', '-i', 'file:/media/a.mov', '/out/a_proxy.mp4.partial'],
    exit_code: 0,
    output_exists: true,
    output_size_bytes: 1234,
    status: 'COMPLETED',
    failure_reason: null,
    validation_stage: null,
    engine_used: 'ffmpeg',
    proxy_profile_used: 'proxy_h264_low',
    resolve_preset_used: null,
    started_at: T0,
    completed_at: T1,
    duration_seconds: 5,
    stderr_tail: '',
    partial_output_path: null,
    ...overrides,
  } satisfies ClipResult);
}

function job(overrides: Partial<JobResult> = {}, metadata: Partial<JobResult['_metadata']> = {}): JobResult {
  return reversed({
    job_id: 'abcd1234',
    final_status: 'COMPLETED',
    clips: [clip()],
    started_at: T0,
    completed_at: T1,
    duration_seconds: 5,
    total_clips: 1,
    completed_clips: 1,
    failed_clips: 0,
    source_files: ['a.mov'],
    source_extensions: ['.mov'],
    _metadata: reversed({
      jobspec_version: '2.1',
      validation_error: null,
      validation_stage: null,
      engine_used: 'ffmpeg',
      resolve_preset_used: null,
      proxy_profile_used: 'proxy_h264_low',
      resolve_edition_detected: null,
      resolve_version_detected: null,
      jobspec_path: '/watch/running/j.json',
      result_written_at: T1,
      worker_id: 1,
      worker_started_at: T0,
      ...metadata,
    } satisfies JobResult['_metadata']),
    ...overrides,
  } satisfies JobResult);
}

const parse = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
const keysOf = (v: unknown): string[] => Object.keys(v as object);

describe('result file schema', () => {
  it('JobResultSchema lists the job keys in contract order', () => {
    expect(Object.keys(JobResultSchema.properties)).toEqual(JOB_KEYS);
  });

  it('ResultMetadataSchema lists the _metadata keys in contract order', () => {
    expect(Object.keys(ResultMetadataSchema.properties)).toEqual(METADATA_KEYS);
  });

  it('ClipResultSchema lists the clip keys in contract order', () => {
    expect(Object.keys(ClipResultSchema.properties)).toEqual(CLIP_KEYS);
  });

  it('RecoverySchema lists the _recovery keys in contract order', () => {
    expect(Object.keys(RecoverySchema.properties)).toEqual(RECOVERY_KEYS);
  });
});

describe('serializeResult', () => {
  it('the test inputs really are out of order', () => {
    expect(Object.keys(job())).not.toEqual(JOB_KEYS.filter((k) => k !== '_recovery'));
    expect(Object.keys(job())[0]).toBe('_metadata');
    expect(Object.keys(clip())[0]).toBe('partial_output_path');
  });

  it('emits job keys in contract order (without _recovery when absent)', () => {
    expect(keysOf(parse(serializeResult(job())))).toEqual(JOB_KEYS.filter((k) => k !== '_recovery'));
  });

  it('emits _metadata keys in contract order, omitting failure_reason when undefined', () => {
    const out = parse(serializeResult(job()));
    expect(keysOf(out._metadata)).toEqual(METADATA_KEYS.filter((k) => k !== 'failure_reason'));
    expect(serializeResult(job())).not.toContain('"failure_reason": undefined');
  });

  it('emits _metadata.failure_reason in its place when set', () => {
    const out = parse(serializeResult(job({ final_status: 'FAILED' }, { failure_reason: 'FFmpeg exited with code 1' })));
    expect(keysOf(out._metadata)).toEqual(METADATA_KEYS);
    expect((out._metadata as Record<string, unknown>).failure_reason).toBe('FFmpeg exited with code 1');
  });

  it('an explicitly undefined failure_reason is omitted too', () => {
    const out = parse(serializeResult(job({}, { failure_reason: undefined })));
    expect(keysOf(out._metadata)).not.toContain('failure_reason');
  });

  it('emits clip keys in contract order for every clip, keeping null failure_reason', () => {
    const failed = clip({ status: 'FAILED', failure_reason: 'FFmpeg exited with code 1', exit_code: 1, validation_stage: 'execution', output_exists: false, output_size_bytes: null, partial_output_path: '/out/a_proxy.mp4.partial' });
    const out = parse(serializeResult(job({ clips: [clip(), failed], total_clips: 2 })));
    const clips = out.clips as Array<Record<string, unknown>>;
    expect(clips).toHaveLength(2);
    for (const c of clips) expect(keysOf(c)).toEqual(CLIP_KEYS);
    expect(clips[0]?.failure_reason).toBeNull();
    expect(clips[0]?.partial_output_path).toBeNull();
    expect(clips[1]?.failure_reason).toBe('FFmpeg exited with code 1');
  });

  it('keeps the ffmpeg_command array in argv order', () => {
    const out = parse(serializeResult(job()));
    expect((out.clips as Array<Record<string, unknown>>)[0]?.ffmpeg_command).toEqual([
      'ffmpeg', '-hide_banner', '-i', 'file:/media/a.mov', '/out/a_proxy.mp4.partial',
    ]);
  });

  it('emits _recovery last, with its keys in contract order', () => {
    const r = job({
      final_status: 'FAILED',
      clips: [],
      total_clips: 0,
      completed_clips: 0,
      _recovery: reversed({ reason: 'runner interrupted', recovered_at: T1, original_path: '/watch/running/j.json' } as const),
    });
    expect(keysOf(r)[0]).toBe('_recovery');
    const out = parse(serializeResult(r));
    expect(keysOf(out)).toEqual(JOB_KEYS);
    expect(keysOf(out._recovery)).toEqual(RECOVERY_KEYS);
    expect(out._recovery).toEqual({ reason: 'runner interrupted', recovered_at: T1, original_path: '/watch/running/j.json' });
    expect(out.clips).toEqual([]);
  });

  it('uses 2-space indentation and ends with exactly one newline', () => {
    const text = serializeResult(job());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    const lines = text.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines[1]).toBe('  "job_id": "abcd1234",');
    expect(lines[2]).toBe('  "final_status": "COMPLETED",');
    expect(lines[3]).toBe('  "clips": [');
    expect(lines[4]).toBe('    {');
    expect(lines[5]).toBe('      "source_path": "media/a.mov",');
    expect(text).toContain('\n  "_metadata": {\n    "jobspec_version": "2.1",\n');
    expect(text).not.toContain('\t');
  });

  it('is exactly the canonical text for a small completed job', () => {
    const expected = `{
  "job_id": "abcd1234",
  "final_status": "PARTIAL",
  "clips": [],
  "started_at": "${T0}",
  "completed_at": "${T1}",
  "duration_seconds": 5,
  "total_clips": 0,
  "completed_clips": 0,
  "failed_clips": 0,
  "source_files": [],
  "source_extensions": [],
  "_metadata": {
    "jobspec_version": "2.1",
    "validation_error": "Engine routing failed: x",
    "validation_stage": "validation",
    "engine_used": null,
    "resolve_preset_used": null,
    "proxy_profile_used": null,
    "resolve_edition_detected": null,
    "resolve_version_detected": null,
    "jobspec_path": "/watch/running/j.json",
    "result_written_at": "${T1}",
    "worker_id": 1,
    "worker_started_at": "${T0}"
  }
}
`;
    const r = job(
      { final_status: 'PARTIAL', clips: [], total_clips: 0, completed_clips: 0, source_files: [], source_extensions: [] },
      { validation_error: 'Engine routing failed: x', validation_stage: 'validation', engine_used: null, proxy_profile_used: null },
    );
    expect(serializeResult(r)).toBe(expected);
  });

  it('does not mutate its input', () => {
    const r = job();
    const before = JSON.stringify(r);
    serializeResult(r);
    expect(JSON.stringify(r)).toBe(before);
  });
});

describe('timestamps and durations', () => {
  it('formatTimestamp is UTC ISO 8601 with milliseconds and +00:00', () => {
    expect(formatTimestamp(Date.UTC(2025, 11, 28, 12, 0, 5))).toBe('2025-12-28T12:00:05.000+00:00');
    expect(formatTimestamp(Date.UTC(2025, 11, 28, 12, 0, 5, 7))).toBe('2025-12-28T12:00:05.007+00:00');
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00.000+00:00');
  });

  it('durationSeconds is seconds as a number, never negative', () => {
    expect(durationSeconds(1000, 6500)).toBe(5.5);
    expect(durationSeconds(1000, 1000)).toBe(0);
    expect(durationSeconds(2000, 1000)).toBe(0);
  });
});
