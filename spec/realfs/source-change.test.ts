// A source that changes while FFmpeg reads it (issue 9.6): a copy still being written grows, a copy tool
// touches or replaces it. Exit 0 and a non-empty output prove nothing then, so the runner compares the
// source's identity, size and modification time before and after the encode, on the real disk, and fails
// the clip with the reason; the output is not published and the `.partial` is kept as the artifact.

import { appendFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import type { RealSandbox } from './real-tree.ts';
import { checkInvariants, jobSpec, makeRealSandbox, media, MEDIA, namesIn, snapshot, startRunner, waitForStandIn, waitForWaitingClip } from './real-tree.ts';

/** Runs one job whose clip waits; `meanwhile` acts on the disk while it encodes. */
async function encodeWhile(sandbox: RealSandbox, meanwhile: (source: string) => void) {
  const source = join(sandbox.media, media(sandbox, 'clip.mov', MEDIA.wait));
  writeFileSync(join(sandbox.pending, 'job.json'), jobSpec(sandbox, ['clip.mov']));
  const before = snapshot(sandbox.root);
  const child = startRunner(sandbox, [sandbox.watch, '--once']);
  await waitForStandIn(sandbox);
  await waitForWaitingClip(source);
  meanwhile(source);
  writeFileSync(`${source}.go`, '');
  const run = await child;
  // The source (and its go-file) are the test's own changes, not the runner's.
  const { problems, filed } = checkInvariants(sandbox, before, { mayChange: ['media/clip.mov'], mayAppear: ['media/clip.mov.go'] });
  return { run, problems, result: filed.get('job.json')?.result ?? null, filed: filed.get('job.json') };
}

describe('the source changes during its encode (real disk)', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('a source that grows: FAILED with both sizes, nothing published, the .partial kept', async (ctx) => {
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const { run, problems, result, filed } = await encodeWhile(sandbox, (source) => appendFileSync(source, 'more\n'));

    expect(run.exitCode).toBe(1);
    expect(problems).toEqual([]);
    expect(filed?.folder).toBe('failed');
    const [clip] = result?.clips ?? [];
    expect(clip?.failure_reason).toBe(`Source changed during encode: ${join(sandbox.media, 'clip.mov')} (size ${Buffer.byteLength(MEDIA.wait)} → ${Buffer.byteLength(MEDIA.wait) + 5} bytes)`);
    expect(clip?.output_exists).toBe(false);
    expect(clip?.partial_output_path).toBe(join(sandbox.out, 'clip_proxy.mov.partial'));
    expect(namesIn(sandbox.out)).toEqual(['clip_proxy.mov.partial']);
  });

  it('a source touched (same size, new modification time): FAILED, nothing published', async (ctx) => {
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const { run, problems, result } = await encodeWhile(sandbox, (source) => {
      const later = new Date(statSync(source).mtimeMs + 60_000);
      utimesSync(source, later, later);
    });

    expect(run.exitCode).toBe(1);
    expect(problems).toEqual([]);
    expect(result?.clips[0]?.failure_reason).toBe(`Source changed during encode: ${join(sandbox.media, 'clip.mov')} (modified during the encode, size unchanged)`);
    expect(namesIn(sandbox.out)).toEqual(['clip_proxy.mov.partial']);
  });

  it('a source replaced by a rename over its name: FAILED, nothing published', async (ctx) => {
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const { run, problems, result } = await encodeWhile(sandbox, (source) => {
      writeFileSync(`${source}.tmp`, MEDIA.wait);
      renameSync(`${source}.tmp`, source);
    });

    expect(run.exitCode).toBe(1);
    expect(problems).toEqual([]);
    expect(result?.clips[0]?.failure_reason).toBe(`Source changed during encode: ${join(sandbox.media, 'clip.mov')} (it was replaced by another file)`);
    expect(namesIn(sandbox.out)).toEqual(['clip_proxy.mov.partial']);
  });

  it('a source left alone while the clip waits: COMPLETED (the check itself does not fail clips)', async (ctx) => {
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const { run, problems, result } = await encodeWhile(sandbox, () => undefined);

    expect(run.exitCode).toBe(0);
    expect(problems).toEqual([]);
    expect(result?.final_status).toBe('COMPLETED');
    expect(namesIn(sandbox.out)).toEqual(['clip_proxy.mov']);
  });
});
