// FIFOs on the real filesystem (reliability sections 1 and 5): a `readFile` of a FIFO blocks forever and
// four blocked reads stall every later fs call, so FIFOs named like JobSpecs must be filed unread, and a
// FIFO where the runner keeps its own files (the lock, result names, temp names, running/) must not hang it.
// Every run has a SIGKILL deadline: a blocked runner fails the test instead of hanging the suite.

import { closeSync, constants, existsSync, lstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { resultTempNameOf } from '../../src/runner/filing-names.ts';
import { checkInvariants, isSuffixedFilingOf, jobSpec, makeRealSandbox, media, mkfifo, namesIn, runOnce, snapshot } from './real-tree.ts';

const NOT_REGULAR = 'Invalid JobSpec file: not a regular file (FIFO, socket or device)';

/** A FIFO holding `bytes` in its pipe buffer (through our own read-write descriptor); returns that fd. */
function primedFifo(path: string, bytes: string): number {
  mkfifo(path);
  // O_RDWR on a FIFO opens at once on Linux; O_NONBLOCK so our own read below can never block either.
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  writeFileSync(fd, bytes);
  return fd;
}

/** What is still in the pipe: every byte if nobody read from it. */
function drain(fd: number): string {
  const buffer = Buffer.alloc(64 * 1024);
  try {
    return buffer.subarray(0, readSync(fd, buffer)).toString();
  } catch {
    return ''; // EAGAIN: empty, someone read it
  } finally {
    closeSync(fd);
  }
}

describe('FIFOs', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('files several FIFOs named *.json unread in failed/, and the valid job after them completes in the same scan', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    const fifos = ['a.json', 'b.json', 'c.json', 'd.json', 'e.json', '.hidden.json'];
    mkfifo(...fifos.map((name) => join(sandbox.pending, name)));
    // One FIFO holds a complete, valid JobSpec: if the runner read it, it would run a job with an output.
    media(sandbox, 'bait.mov');
    const bait = jobSpec(sandbox, ['bait.mov']);
    const baitFd = primedFifo(join(sandbox.pending, 'f.json'), bait);
    media(sandbox, 'clip.mov');
    writeFileSync(join(sandbox.pending, 'z.json'), jobSpec(sandbox, ['clip.mov']));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);
    const leftInPipe = drain(baitFd);

    // A blocked read never returns: the run would end at runOnce's SIGKILL deadline instead.
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Scan complete: 1 completed, 0 failed, 7 partial, 0 waiting');
    expect(leftInPipe).toBe(bait);
    expect(existsSync(join(sandbox.out, 'bait_proxy.mov'))).toBe(false);
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    for (const name of [...fifos, 'f.json']) {
      expect(filed.get(name)).toMatchObject({ folder: 'failed', name });
      const result = filed.get(name)?.result;
      expect(result?.final_status).toBe('PARTIAL');
      expect(result?.job_id).toBe('unknown');
      expect(result?._metadata.validation_error).toBe(NOT_REGULAR);
      expect(lstatSync(join(sandbox.failed, name)).isFIFO()).toBe(true);
    }
    expect(filed.get('z.json')).toMatchObject({ folder: 'completed', name: 'z.json' });
    expect(namesIn(sandbox.out)).toEqual(['clip_proxy.mov']);
  });

  it('a FIFO as .runner.lock, in running/, and squatting result, temp and output names does not hang the runner', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    mkfifo(
      join(sandbox.watch, '.runner.lock'),
      // Left in running/ by a "crash": recovery files it unread.
      join(sandbox.running, 'stuck.json'),
      // The names job.json would settle under: it must take the collision suffix, reading nothing.
      join(sandbox.completed, 'job.result.json'),
      join(sandbox.completed, resultTempNameOf('job')),
      // A result temp name recovery looks at: not a regular file, so not the runner's own, left alone.
      join(sandbox.failed, resultTempNameOf('other')),
      // The output and the .partial of two more jobs: preflight must see them taken (PARTIAL), not open them.
      join(sandbox.out, 'taken_proxy.mov'),
      join(sandbox.out, 'busy_proxy.mov.partial'),
    );
    for (const name of ['clip.mov', 'taken.mov', 'busy.mov']) media(sandbox, name);
    writeFileSync(join(sandbox.pending, 'job.json'), jobSpec(sandbox, ['clip.mov']));
    writeFileSync(join(sandbox.pending, 'taken.json'), jobSpec(sandbox, ['taken.mov']));
    writeFileSync(join(sandbox.pending, 'busy.json'), jobSpec(sandbox, ['busy.mov']));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    // A blocked read never returns: the run would end at runOnce's SIGKILL deadline instead.
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/ INFO  Recovered \S+: left in running\/ by a runner that stopped: FAILED -> failed\//);
    expect(run.stdout).toContain('Scan complete: 1 completed, 0 failed, 2 partial, 0 waiting');
    // The FIFO at the lock path holds no record: it is a stale lock, replaced, and our own lock released.
    const { problems, filed } = checkInvariants(sandbox, before, { mayChange: ['watch/.runner.lock'] });
    expect(problems).toEqual([]);
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
    const stuck = filed.get('stuck.json');
    expect(stuck).toMatchObject({ folder: 'failed', name: 'stuck.json' });
    expect(stuck?.result?._recovery?.reason).toBe('runner interrupted');
    expect(stuck?.result?.job_id).toBe('unknown');
    const job = filed.get('job.json');
    expect(job?.folder).toBe('completed');
    expect(isSuffixedFilingOf('job', job?.name)).toBe(true);
    for (const name of ['taken.json', 'busy.json']) {
      expect(filed.get(name)?.result?.final_status).toBe('PARTIAL');
      expect(filed.get(name)?.result?._metadata.validation_error).toMatch(/^JobSpec validation failed: Output already exists: /);
    }
  });
});
