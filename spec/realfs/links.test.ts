// Symbolic and hard links on the real filesystem (contract section 4.2, reliability section 5). A JobSpec
// that is a link is filed unread and its target (or its other name) is never read, moved or changed; an
// output path that is a symlink is "already exists", never written through; a source that is a symlink
// to a real file is an ordinary source. "Never read" is checked on the file's atime where the filesystem
// records reads (not mounted noatime); the suite's own reads use O_NOATIME.

import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeOutputBytes } from '../../src/conformance/media.ts';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import {
  atimeTracksReads, checkInvariants, jobSpec, makeRealSandbox, markUnread, media, namesIn, OK_OUTPUT_BYTES, runOnce, snapshot, wasRead,
} from './real-tree.ts';

const SYMLINK = 'Invalid JobSpec file: symbolic link';

describe('symbolic links', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('JobSpec symlinks (to /etc/passwd, a directory, a valid JobSpec, nowhere) are filed unread; output symlinks are PARTIAL; a source symlink is followed', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    const { elsewhere, pending, out } = sandbox;
    const passwd = { bytes: readFileSync('/etc/passwd'), ino: statSync('/etc/passwd').ino };

    // JobSpecs that are symlinks.
    mkdirSync(join(elsewhere, 'dir'));
    writeFileSync(join(elsewhere, 'dir', 'inside.json'), '{}');
    media(sandbox, 'target.mov');
    const target = join(elsewhere, 'target-job.json');
    writeFileSync(target, jobSpec(sandbox, ['target.mov'], { job_id: 'target001' }));
    symlinkSync('/etc/passwd', join(pending, 'passwd.json'));
    symlinkSync(join(elsewhere, 'dir'), join(pending, 'todir.json'));
    symlinkSync(target, join(pending, 'tojob.json'));
    symlinkSync(join(elsewhere, 'missing.json'), join(pending, 'dangling.json'));
    // Outputs that are symlinks: to a file that must not be overwritten, and a dangling .partial that
    // must not be created through.
    media(sandbox, 'over.mov');
    media(sandbox, 'through.mov');
    writeFileSync(join(elsewhere, 'victim.mov'), 'victim bytes');
    symlinkSync(join(elsewhere, 'victim.mov'), join(out, 'over_proxy.mov'));
    symlinkSync(join(elsewhere, 'created-through-link.mov'), join(out, 'through_proxy.mov.partial'));
    writeFileSync(join(pending, 'output-link.json'), jobSpec(sandbox, ['over.mov']));
    writeFileSync(join(pending, 'partial-link.json'), jobSpec(sandbox, ['through.mov']));
    // A source that is a symlink to a real file.
    media(sandbox, 'real.mov');
    symlinkSync(join(sandbox.media, 'real.mov'), join(sandbox.media, 'alias.mov'));
    writeFileSync(join(pending, 'source-link.json'), jobSpec(sandbox, ['alias.mov']));

    const tracksReads = atimeTracksReads(elsewhere);
    markUnread(target);
    markUnread(join(elsewhere, 'victim.mov'));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Scan complete: 1 completed, 0 failed, 6 partial, 0 waiting');
    // Covers: each symlink moved as itself (same inode, same target), its target unchanged (bytes, inode,
    // mtime), nothing created through the dangling links, no output beside the one completed job.
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    for (const name of ['passwd.json', 'todir.json', 'tojob.json', 'dangling.json']) {
      expect(filed.get(name)).toMatchObject({ folder: 'failed', name });
      expect(filed.get(name)?.result?.final_status).toBe('PARTIAL');
      expect(filed.get(name)?.result?._metadata.validation_error).toBe(SYMLINK);
      expect(filed.get(name)?.result?.job_id).toBe('unknown');
      expect(lstatSync(join(sandbox.failed, name)).isSymbolicLink()).toBe(true);
    }
    expect(readlinkSync(join(sandbox.failed, 'passwd.json'))).toBe('/etc/passwd');
    expect(readFileSync('/etc/passwd')).toEqual(passwd.bytes);
    expect(statSync('/etc/passwd').ino).toBe(passwd.ino);
    expect(existsSync(join(elsewhere, 'missing.json'))).toBe(false);
    expect(existsSync(join(out, 'target_proxy.mov'))).toBe(false);
    if (tracksReads) expect(wasRead(target)).toBe(false);

    for (const name of ['output-link.json', 'partial-link.json']) {
      expect(filed.get(name)?.result?.final_status).toBe('PARTIAL');
      expect(filed.get(name)?.result?.clips).toEqual([]);
    }
    expect(filed.get('output-link.json')?.result?._metadata.validation_error).toBe(
      `JobSpec validation failed: Output already exists: ${join(out, 'over_proxy.mov')}`,
    );
    expect(filed.get('partial-link.json')?.result?._metadata.validation_error).toBe(
      `JobSpec validation failed: Output already exists: ${join(out, 'through_proxy.mov.partial')}`,
    );
    expect(readlinkSync(join(out, 'over_proxy.mov'))).toBe(join(elsewhere, 'victim.mov'));
    // atime first: our own readFileSync below would move it.
    if (tracksReads) expect(wasRead(join(elsewhere, 'victim.mov'))).toBe(false);
    expect(readFileSync(join(elsewhere, 'victim.mov'), 'utf8')).toBe('victim bytes');
    expect(existsSync(join(elsewhere, 'created-through-link.mov'))).toBe(false);

    expect(filed.get('source-link.json')?.folder).toBe('completed');
    // The stand-in's output for a source named by its symlink: the runner passed the link's own path.
    expect(readFileSync(join(out, 'alias_proxy.mov'))).toEqual(Buffer.from(fakeOutputBytes(OK_OUTPUT_BYTES)));
    expect(filed.get('source-link.json')?.result?.clips[0]?.ffmpeg_command).toContain(`file:${join(sandbox.media, 'alias.mov')}`);
    expect(namesIn(out)).toEqual(['alias_proxy.mov', 'over_proxy.mov', 'through_proxy.mov.partial']);
  });
});

describe('symbolic links between state folders', { timeout: REAL_PROCESS_TEST_MS }, () => {
  // Found by this suite and fixed: the startup check compared devices only, so pending/ as a symlink to
  // completed/ passed and every settled JobSpec was run and filed again. app.ts now also refuses two state
  // folders that are one directory (same dev:ino), with exit 2.
  it('refuses a watch folder whose pending/ is a symlink to its completed/: exit 2, nothing moved', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    media(sandbox, 'a.mov');
    writeFileSync(join(sandbox.completed, 'a.json'), jobSpec(sandbox, ['a.mov'], { job_id: 'a001' }));
    writeFileSync(join(sandbox.completed, 'a.result.json'), '{"job_id":"a001","final_status":"COMPLETED"}\n');
    rmdirSync(sandbox.pending);
    symlinkSync(sandbox.completed, sandbox.pending);
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(checkInvariants(sandbox, before).problems).toEqual([]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('must be four different folders');
  });
});

describe('hard links', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('a JobSpec with link count 2 is filed unread (job_id "unknown"); its other name is untouched', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    const { elsewhere, pending, completed } = sandbox;
    for (const name of ['hl.mov', 'twin.mov', 'old.mov', 'plain.mov']) media(sandbox, name);
    // The other name outside the watch folder.
    const other = join(elsewhere, 'hl-other.json');
    writeFileSync(other, jobSpec(sandbox, ['hl.mov'], { job_id: 'hl001' }));
    linkSync(other, join(pending, 'hl.json'));
    // Both names in pending/: the second is still linked twice when its turn comes.
    writeFileSync(join(pending, 'twin-a.json'), jobSpec(sandbox, ['twin.mov'], { job_id: 'twin001' }));
    linkSync(join(pending, 'twin-a.json'), join(pending, 'twin-b.json'));
    // A "resubmission" by hard link of a JobSpec already settled in completed/ (with its result).
    writeFileSync(join(completed, 'old.json'), jobSpec(sandbox, ['old.mov'], { job_id: 'old001' }));
    writeFileSync(join(completed, 'old.result.json'), '{"job_id":"old001","final_status":"COMPLETED"}\n');
    linkSync(join(completed, 'old.json'), join(pending, 'old.json'));
    writeFileSync(join(pending, 'plain.json'), jobSpec(sandbox, ['plain.mov']));

    const tracksReads = atimeTracksReads(elsewhere);
    markUnread(other);
    markUnread(join(pending, 'twin-a.json'));
    markUnread(join(completed, 'old.json'));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Scan complete: 1 completed, 0 failed, 4 partial, 0 waiting');
    // Covers: the other names (elsewhere/hl-other.json, completed/old.json and its result) unchanged,
    // same inode and bytes; each JobSpec moved as the same inode.
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    for (const name of ['hl.json', 'twin-a.json', 'twin-b.json', 'old.json']) {
      expect(filed.get(name)).toMatchObject({ folder: 'failed', name });
      const result = filed.get(name)?.result;
      expect(result?.final_status).toBe('PARTIAL');
      expect(result?.job_id).toBe('unknown');
      expect(result?._metadata.validation_error).toBe('Invalid JobSpec file: hard link (link count 2)');
    }
    expect(statSync(join(sandbox.failed, 'hl.json')).ino).toBe(statSync(other).ino);
    expect(statSync(other).nlink).toBe(2);
    if (tracksReads) {
      expect(wasRead(other)).toBe(false);
      expect(wasRead(join(sandbox.failed, 'twin-a.json'))).toBe(false);
      expect(wasRead(join(completed, 'old.json'))).toBe(false);
    }
    expect(filed.get('plain.json')?.folder).toBe('completed');
    expect(namesIn(sandbox.out)).toEqual(['plain_proxy.mov']);
  });

  // Found by this suite and fixed: recovery took a claimed hard-linked JobSpec for a committed one. A
  // JobSpec resubmitted as a hard link of one already settled (`ln completed/old.json pending/old.json`) is
  // filed unread when the runner gets through it (test above). But if the runner died after claiming it and
  // before committing it (crash-points.test.ts shows that a SIGKILL right after a claim lands there), the
  // next start found running/old.json with the same inode as completed/old.json, which is also what a crash
  // between commit and unlink leaves, and silently unlinked it: no result, no "Recovered" line. settle.ts
  // now drops the result temp only after the running/ name, and recovery takes a same-inode twin for a
  // commit only while that temp is beside it.
  it('a hard-linked resubmission left in running/ by a crash is recovered into failed/, not dropped', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    media(sandbox, 'old.mov');
    writeFileSync(join(sandbox.completed, 'old.json'), jobSpec(sandbox, ['old.mov'], { job_id: 'old001' }));
    writeFileSync(join(sandbox.completed, 'old.result.json'), '{"job_id":"old001","final_status":"COMPLETED"}\n');
    // What a SIGKILL right after the claim of pending/old.json (a hard link of completed/old.json) leaves.
    linkSync(join(sandbox.completed, 'old.json'), join(sandbox.running, 'old.json'));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1); // the resubmission is filed FAILED as interrupted, which --once reports (R11.6)
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    expect(run.stdout).toMatch(/ INFO  Recovered \S+: left in running\/ by a runner that stopped: FAILED -> failed\//);
    expect(filed.get('old.json')?.folder).toBe('failed');
  });
});
