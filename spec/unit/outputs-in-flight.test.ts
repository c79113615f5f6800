// The outputs of the jobs in flight (--max-workers): held per job, compared case-insensitively, and
// released per job, so that one job's end frees only its own outputs.

import { describe, expect, it } from 'vitest';
import { OutputsInFlight } from '../../src/runner/outputs-in-flight.ts';

describe('OutputsInFlight', () => {
  it('holds each job’s outputs until that job is released, whatever the case of a later name', () => {
    const inFlight = new OutputsInFlight();
    inFlight.hold('a.json', ['/out/A_proxy.mp4', '/out/B_proxy.mp4']);
    inFlight.hold('c.json', ['/out/C_proxy.mp4']);

    expect(inFlight.isHeld('/out/a_PROXY.mp4')).toBe(true);
    inFlight.release('a.json');
    expect([inFlight.isHeld('/out/A_proxy.mp4'), inFlight.isHeld('/out/B_proxy.mp4'), inFlight.isHeld('/out/C_proxy.mp4')]).toEqual([false, false, true]);
    inFlight.release('c.json');
    expect(inFlight.isHeld('/out/C_proxy.mp4')).toBe(false);
  });
});
