// The claim step of contract section 4.1 through processJob: a name already present in running/ is never
// replaced and the pending file stays (scenarios cannot reach it: startup recovery empties running/ first);
// running/ removed meanwhile is created again; each answer of the rename: vanished, refused, a failing disk.

import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { createMemFs } from '../harness/mem-fs.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeHost } from '../harness/fake-host.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { processJob } from '../../src/runner/job.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import type { Fs } from '../../src/ports.ts';
import { RunnerKilled } from '../../src/ports.ts';
import { createFakeHooks } from '../harness/fake-hooks.ts';
import { keptLog } from '../support/silent-log.ts';
import { OutputsInFlight } from '../../src/runner/outputs-in-flight.ts';

const fsError = (code: string): Error => Object.assign(new Error(`${code}: injected`), { code });

function setup(wrap: (fs: Fs) => Fs = (fs) => fs) {
  const vol = new Volume();
  for (const d of ['pending', 'running', 'completed', 'failed']) vol.mkdirSync(`/w/${d}`, { recursive: true });
  const fs = wrap(createMemFs(vol));
  const clock = createFakeClock();
  const deps = {
    fs,
    clock,
    transcoder: createFakeTranscoder({ fs, clock, ffmpegPath: '/usr/bin/ffmpeg', killRunner: (why) => { throw new RunnerKilled(why); } }),
    host: createFakeHost(),
    hooks: createFakeHooks(),
    log: keptLog(),
    cwd: '/',
  };
  const ctx = {
    deps,
    layout: layoutOf('/w'),
    workerStartedAt: 'now',
    stop: new AbortController().signal,
    clipTimeoutMs: 1000,
    progressMs: 0,
    running: new Set<string>(),
    worker: 1,
    inFlight: new OutputsInFlight(),
    lock: { recordChild: async () => undefined, recordActivity: async () => undefined, release: async () => undefined },
  };
  return { vol, ctx };
}

describe('claiming a JobSpec', () => {
  it('leaves the file in pending/ and running/ untouched when running/<name> already exists', async () => {
    const { vol, ctx } = setup();
    vol.writeFileSync('/w/pending/job.json', 'new');
    vol.writeFileSync('/w/running/job.json', 'in flight');

    const outcome = await processJob(ctx, 'job.json');

    expect(outcome).toEqual({ kind: 'not-claimed', why: 'running-taken', detail: 'running/job.json already exists' });
    expect(vol.readFileSync('/w/pending/job.json', 'utf8')).toBe('new');
    expect(vol.readFileSync('/w/running/job.json', 'utf8')).toBe('in flight');
    expect(vol.readdirSync('/w/failed')).toEqual([]);
  });

  it('skips a file that vanished before the claim (another process took it)', async () => {
    const { vol, ctx } = setup();

    const outcome = await processJob(ctx, 'gone.json');

    expect(outcome).toMatchObject({ kind: 'not-claimed', why: 'vanished' });
    expect(vol.readdirSync('/w/running')).toEqual([]);
  });

  it('running/ removed meanwhile: created again, and the JobSpec is claimed and filed', async () => {
    const { vol, ctx } = setup();
    vol.writeFileSync('/w/pending/job.json', '{"jobspec_version": "2.1"}');
    vol.rmdirSync('/w/running');

    const outcome = await processJob(ctx, 'job.json');

    expect(outcome).toMatchObject({ kind: 'settled', status: 'PARTIAL' }); // invalid: stopped before any FFmpeg
    expect(vol.readdirSync('/w/running')).toEqual([]);
    expect(vol.readdirSync('/w/failed')).toEqual(['job.json', 'job.result.json']);
  });

  it('a rename that says ENOENT while running/ is there: vanished, taken by another process', async () => {
    const { vol, ctx } = setup((fs) => ({ ...fs, rename: async () => { throw fsError('ENOENT'); } }));
    vol.writeFileSync('/w/pending/job.json', '{}');

    expect(await processJob(ctx, 'job.json')).toEqual({ kind: 'not-claimed', why: 'vanished', detail: 'taken by another process' });
    expect(vol.readdirSync('/w/pending')).toEqual(['job.json']);
  });

  it('a rename the volume refuses: not claimed, with the code; the JobSpec stays in pending/', async () => {
    const { vol, ctx } = setup((fs) => ({ ...fs, rename: async () => { throw fsError('EACCES'); } }));
    vol.writeFileSync('/w/pending/job.json', '{}');

    expect(await processJob(ctx, 'job.json')).toEqual({ kind: 'not-claimed', why: 'claim-failed', detail: 'cannot move it to running/ (EACCES)' });
    expect(vol.readdirSync('/w/pending')).toEqual(['job.json']);
  });

  it('a failing disk in the rename or in the look at running/ stops the runner instead', async () => {
    const renaming = setup((fs) => ({ ...fs, rename: async () => { throw fsError('EIO'); } }));
    renaming.vol.writeFileSync('/w/pending/job.json', '{}');
    await expect(processJob(renaming.ctx, 'job.json')).rejects.toMatchObject({ code: 'EIO' });
    const looking = setup((fs) => ({ ...fs, lstat: async () => { throw fsError('EIO'); } }));
    looking.vol.writeFileSync('/w/pending/job.json', '{}');
    await expect(processJob(looking.ctx, 'job.json')).rejects.toMatchObject({ code: 'EIO' });
    expect(looking.vol.readdirSync('/w/pending')).toEqual(['job.json']);
  });

  it('a settled job reports the reason that failed it', async () => {
    const { vol, ctx } = setup();
    vol.writeFileSync('/w/pending/job.json', '{"jobspec_version": "9"}');

    const outcome = await processJob(ctx, 'job.json');

    expect(outcome).toMatchObject({ kind: 'settled', status: 'PARTIAL', reason: expect.stringContaining('JobSpec version mismatch') });
  });
});
