// Two filesystems (reliability section 1): renames and links between them fail with EXDEV, so a watch
// folder whose state folders span two devices is refused at startup (exit 2, one line, nothing moved),
// while an output directory on another device than the watch folder works, because the `.partial` and
// the final output are always in the same directory. /dev/shm (tmpfs) stands for the second filesystem.

import { existsSync, mkdirSync, readFileSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeOutputBytes } from '../../src/conformance/media.ts';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { checkInvariants, jobSpec, makeRealSandbox, makeShmDir, media, MEDIA, namesIn, OK_OUTPUT_BYTES, runOnce, shmUnusable, snapshot } from './real-tree.ts';
import { messageOf } from '../support/silent-log.ts';

const unusable = shmUnusable();
const SKIP_NOTE = `needs /dev/shm on another device than the temp folder: ${unusable ?? ''}`;

describe('EXDEV: /dev/shm against the disk', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('refuses a watch folder whose running/ or failed/ is on another filesystem: exit 2, one line, nothing moved', async (ctx) => {
    ctx.skip(unusable !== null, SKIP_NOTE);
    const sandboxes = (['running', 'failed'] as const).map((folder) => {
      const sandbox = makeRealSandbox(ctx.onTestFinished);
      const shm = makeShmDir(sandbox);
      mkdirSync(join(shm, folder));
      // The sandbox made the folder on disk; put a symlink to the tmpfs one in its place.
      const local = join(sandbox.watch, folder);
      rmEmptyDir(local);
      symlinkSync(join(shm, folder), local);
      media(sandbox, 'clip.mov');
      writeFileSync(join(sandbox.pending, 'job.json'), jobSpec(sandbox, ['clip.mov']));
      return { sandbox, shm, before: snapshot(sandbox.root), shmBefore: snapshot(shm) };
    });

    const runs = await Promise.all(sandboxes.map(({ sandbox }) => runOnce(sandbox)));

    for (const [i, run] of runs.entries()) {
      const setup = sandboxes[i];
      if (setup === undefined) throw new Error('no sandbox');
      expect(run.timedOut).toBe(false);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      expect(messageOf(run.stderr)).toBe(
        `error: The folders pending/, running/, completed/ and failed/ of ${setup.sandbox.watch} must be on one filesystem`,
      );
      // Nothing moved, nothing created (not even the lock), on either filesystem.
      expect(checkInvariants(setup.sandbox, setup.before).problems).toEqual([]);
      expect(namesIn(setup.sandbox.pending)).toEqual(['job.json']);
      expect(snapshot(setup.shm)).toEqual(setup.shmBefore);
      expect(existsSync(join(setup.sandbox.watch, '.runner.lock'))).toBe(false);
    }
  });

  it('an output directory on /dev/shm with the watch folder on disk works: .partial and output side by side', async (ctx) => {
    ctx.skip(unusable !== null, SKIP_NOTE);
    const sandbox = makeRealSandbox(ctx.onTestFinished);
    const shmOut = makeShmDir(sandbox);
    media(sandbox, 'clip.mov');
    media(sandbox, 'broken.mov', MEDIA.truncate);
    writeFileSync(join(sandbox.pending, 'a.json'), jobSpec(sandbox, ['clip.mov'], { output_directory: shmOut }));
    writeFileSync(join(sandbox.pending, 'b.json'), jobSpec(sandbox, ['broken.mov'], { output_directory: shmOut }));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Scan complete: 1 completed, 1 failed, 0 partial, 0 waiting');
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    expect(filed.get('a.json')?.folder).toBe('completed');
    const [done] = filed.get('a.json')?.result?.clips ?? [];
    expect(done?.ffmpeg_command.at(-1)).toBe(join(shmOut, 'clip_proxy.mov.partial'));
    expect(done?.resolved_output_path).toBe(join(shmOut, 'clip_proxy.mov'));
    expect(readFileSync(join(shmOut, 'clip_proxy.mov'))).toEqual(Buffer.from(fakeOutputBytes(OK_OUTPUT_BYTES)));
    // The failed clip's truncated .partial stays on /dev/shm as evidence, named in the result.
    const [failed] = filed.get('b.json')?.result?.clips ?? [];
    expect(filed.get('b.json')?.result?.final_status).toBe('FAILED');
    expect(failed?.partial_output_path).toBe(join(shmOut, 'broken_proxy.mov.partial'));
    expect(namesIn(shmOut)).toEqual(['broken_proxy.mov.partial', 'clip_proxy.mov']);
  });
});

function rmEmptyDir(path: string): void {
  // rmdir semantics: refuses a non-empty folder, so nothing the test made is lost by accident.
  if (namesIn(path).length > 0) throw new Error(`${path} is not empty`);
  rmdirSync(path);
}
