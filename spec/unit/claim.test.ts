// The claim step of contract section 4.1 in the one case scenarios cannot reach (startup recovery empties
// running/ first): a name already present in running/ is never replaced, and the pending file stays.

import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { createMemFs } from '../harness/mem-fs.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeHost } from '../harness/fake-host.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { processJob } from '../../src/runner/job.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import { RunnerKilled } from '../../src/ports.ts';

function setup() {
  const vol = new Volume();
  for (const d of ['pending', 'running', 'completed', 'failed']) vol.mkdirSync(`/w/${d}`, { recursive: true });
  const fs = createMemFs(vol);
  const clock = createFakeClock();
  const deps = {
    fs,
    clock,
    transcoder: createFakeTranscoder({ fs, clock, ffmpegPath: '/usr/bin/ffmpeg', killRunner: (why) => { throw new RunnerKilled(why); } }),
    host: createFakeHost(),
    log: { info: () => undefined, error: () => undefined },
    cwd: '/',
  };
  const ctx = {
    deps,
    layout: layoutOf('/w'),
    workerStartedAt: 'now',
    stop: new AbortController().signal,
    clipTimeoutMs: 1000,
    lock: { recordChild: async () => undefined, release: async () => undefined },
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
});
