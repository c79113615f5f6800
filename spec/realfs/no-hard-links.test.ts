// Outputs on volumes without hard links (issue 9.1), on real exFAT and FAT images: the runner finds out
// before any FFmpeg starts how the volume lets it publish without clobbering (link(2) fails with EPERM
// there, so it uses an exclusive placeholder and a rename onto it), completes the job, and leaves neither
// a `.partial` nor a placeholder behind; a volume it cannot write makes the job PARTIAL before FFmpeg; a
// placeholder an interrupted run left is named as such by the preflight and not replaced.

import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { describe, expect, it } from 'vitest';
import type { FatKind, FatVolume } from './fat-volume.ts';
import { fakeOutputBytes } from '../../src/conformance/media.ts';
import { mountFatVolume } from './fat-volume.ts';
import { checkInvariants, jobSpec, makeRealSandbox, media, namesIn, OK_OUTPUT_BYTES, runOnce, snapshot } from './real-tree.ts';

/** Mounts a volume for this test (unmounted when it ends), or skips it with the reason. */
function volumeFor(ctx: TestContext, kind: FatKind, readOnly = false): FatVolume {
  const volume = mountFatVolume(kind, { readOnly });
  if (typeof volume === 'string') return ctx.skip(volume);
  ctx.onTestFinished(() => volume.unmount());
  return volume;
}

/** The errno link(2) gives on the volume: what the test relies on (EPERM on FAT-family filesystems). */
function linkErrno(dir: string): string | null {
  const probe = join(dir, 'link-probe');
  writeFileSync(probe, 'x');
  try {
    linkSync(probe, `${probe}-2`);
    rmSync(`${probe}-2`);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  } finally {
    rmSync(probe);
  }
}

describe('outputs on volumes without hard links (real exFAT and FAT images)', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it.for(['exfat', 'vfat'] as const)('%s: a two-clip job completes, published by placeholder and rename, nothing left behind', async (kind, ctx) => {
    const volume = volumeFor(ctx, kind);
    expect(linkErrno(volume.dir), `link(2) on ${volume.how}`).toBe('EPERM');
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    media(sandbox, 'a.mov');
    media(sandbox, 'b.mov');
    writeFileSync(join(sandbox.pending, 'job.json'), jobSpec(sandbox, ['a.mov', 'b.mov'], { output_directory: volume.dir, naming_template: '{source_name}_{index}' }));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    const result = filed.get('job.json')?.result;
    expect(result?.final_status).toBe('COMPLETED');
    expect(namesIn(volume.dir)).toEqual(['a_000.mov', 'b_001.mov']);
    for (const [i, name] of ['a', 'b'].entries()) {
      const output = join(volume.dir, `${name}_00${i}.mov`);
      expect(readFileSync(output)).toEqual(Buffer.from(fakeOutputBytes(OK_OUTPUT_BYTES)));
      expect(result?.clips[i]?.resolved_output_path).toBe(output);
      expect(result?.clips[i]?.output_size_bytes).toBe(statSync(output).size);
      expect(result?.clips[i]?.partial_output_path).toBeNull();
    }
  });

  it('a read-only exFAT output volume: PARTIAL before any FFmpeg starts, with the reason', async (ctx) => {
    const volume = volumeFor(ctx, 'exfat', true);
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    media(sandbox, 'clip.mov');
    writeFileSync(join(sandbox.pending, 'job.json'), jobSpec(sandbox, ['clip.mov'], { output_directory: volume.dir }));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.exitCode).toBe(1);
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    const result = filed.get('job.json')?.result;
    expect(result?.final_status).toBe('PARTIAL');
    expect(result?.clips).toEqual([]); // no FFmpeg was started
    expect(result?._metadata.failure_reason).toBe(
      `JobSpec validation failed: Cannot publish outputs in ${volume.dir}: creating ${join(volume.dir, 'clip_proxy.mov.partial')} failed (EROFS)`,
    );
    expect(namesIn(volume.dir)).toEqual([]);
  });

  it('exFAT: an empty placeholder beside its .partial (an interrupted publish) is named by the preflight and left alone', async (ctx) => {
    const volume = volumeFor(ctx, 'exfat');
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    media(sandbox, 'clip.mov');
    const output = join(volume.dir, 'clip_proxy.mov');
    writeFileSync(output, '');
    writeFileSync(`${output}.partial`, 'what FFmpeg had written\n');
    writeFileSync(join(sandbox.pending, 'job.json'), jobSpec(sandbox, ['clip.mov'], { output_directory: volume.dir }));

    const run = await runOnce(sandbox);

    expect(run.exitCode).toBe(1);
    const result = JSON.parse(readFileSync(join(sandbox.failed, 'job.result.json'), 'utf8')) as { final_status: string; _metadata: { failure_reason: string } };
    expect(result.final_status).toBe('PARTIAL');
    expect(result._metadata.failure_reason).toBe(
      `JobSpec validation failed: Output already exists: ${output} (an empty placeholder left by an interrupted run, beside ${output}.partial)`,
    );
    expect(readFileSync(output, 'utf8')).toBe('');
    expect(readFileSync(`${output}.partial`, 'utf8')).toBe('what FFmpeg had written\n');
  });
});
