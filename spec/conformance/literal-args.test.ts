// Issue 8, "How it is checked": a runner that follows the original contract's FFmpeg arguments to the
// letter (./literal-args/build.ts: our runner with that literal argv) but is otherwise ours must pass `core`, and at `strict` differ from the goldens only in
// `ffmpeg_command`. (Its argv breaks R7.12 and R7.17 in ways only a real FFmpeg shows: the stand-in
// ignores encoder arguments, so no portable scenario can tell.)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceRun, ReportedScenario } from './conformance-cli.ts';
import { compiledImpl, runConformance } from './conformance-cli.ts';
import { bundleLiteralArgsRunner } from './literal-args/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'literal-args-'));
const mutant = compiledImpl(join(dir, 'cli.js'));
beforeAll(() => bundleLiteralArgsRunner(join(dir, 'cli.js')), 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The strict run, shared by both tests (and made once, whichever of them runs first or alone). */
let strict: Promise<ConformanceRun> | undefined;
const strictRun = (): Promise<ConformanceRun> => (strict ??= runConformance(mutant, ['--level', 'strict']));

/** Scenarios that ran and did not pass (at core, those tagged reference are reported as skipped, not run). */
const failing = (run: ConformanceRun): ReportedScenario[] => run.scenarios.filter((s) => s.outcome !== 'pass' && s.outcome !== 'skip');
/** A difference inside a clip's argv, whether the report writes it as a JSON pointer or a readable path. */
const IN_FFMPEG_COMMAND = /\bclips\b.*\bffmpeg_command\b/;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a runner with the original contract\'s literal FFmpeg arguments', () => {
  it('fails strict only where ffmpeg_command differs', async () => {
    const run = await strictRun();
    const failures = failing(run);
    console.log(`literal-arguments mutant at strict: ${failures.length} of ${run.scenarios.length} portable scenarios differ`);

    // The mutant must differ somewhere, or the swap did not take and the next test proves nothing.
    expect(failures.length).toBeGreaterThan(0);
    // The report names only each scenario's first difference; what could hide behind it (statuses, exit
    // codes, which files exist, reason categories) is what the core run below compares.
    expect(failures.filter((s) => !IN_FFMPEG_COMMAND.test(s.first_difference ?? '')).map((s) => `${s.id}: ${s.first_difference ?? s.error}`)).toEqual([]);
    expect(run.exitCode).toBe(1);
  }, 900_000);

  // Only the scenarios it failed at strict run again: a strict pass already compares everything core does.
  it('passes core', async () => {
    const failures = failing(await strictRun());
    expect(failures.length).toBeGreaterThan(0);
    const run = await runConformance(mutant, ['--level', 'core', ...failures.flatMap((s) => ['--filter', `^${escapeRegExp(s.id)}$`])]);

    expect(failing(run).map((s) => `${s.id}: ${s.first_difference ?? s.error}`)).toEqual([]);
    expect(run.scenarios.length).toBe(failures.length);
    expect(run.scenarios.filter((s) => s.outcome === 'pass').length).toBeGreaterThan(0);
    expect(run.exitCode).toBe(0);
  }, 900_000);
});
