// Everything that happens before FFmpeg may start (contract sections 5–8): parse, validate, route,
// pick the profile, resolve every output name, prove it is safe and free, and find out how the output
// volume lets outputs be published without clobbering (publish.ts). A failure anywhere here
// means the job is PARTIAL and no process was started.

import { join } from 'node:path';
import type { Deps } from '../ports.ts';
import { DISK_TROUBLE_CODES, fsErrorCode } from '../ports.ts';
import type { JobSpec } from '../jobspec/schema.ts';
import { validateJobSpec } from '../jobspec/validate.ts';
import { buildFfmpegArgv } from '../engine/command.ts';
import type { FfmpegProfile } from '../engine/profiles.ts';
import { routingFailure } from '../engine/routing.ts';
import { selectProfile } from '../engine/select-profile.ts';
import { resolveOutputName, unsafeNameReason } from '../engine/naming.ts';
import { partialPathOf } from './filing-names.ts';
import type { OutputsInFlight } from './outputs-in-flight.ts';
import type { PublishMethod } from './publish.ts';
import { isLeftoverPlaceholder, probePublishing } from './publish.ts';

export interface ClipPlan {
  /** As written in the JobSpec (reported back verbatim). */
  readonly sourcePath: string;
  readonly source: string;
  readonly output: string;
  readonly partial: string;
}

export interface JobPlan {
  readonly spec: JobSpec;
  readonly profile: FfmpegProfile;
  readonly fps: number | null;
  readonly outputDirectory: string;
  readonly clips: readonly ClipPlan[];
  /** How outputs are published in the output directory: found out by a probe before any FFmpeg starts. */
  readonly publishMethod: PublishMethod;
}

export interface PlanFailure {
  readonly reason: string;
  /** `pre-job` for reading, parsing and validation (sections 3–6), `validation` for 7–8. */
  readonly stage: 'pre-job' | 'validation';
  readonly routed: boolean;
  /** The profile name once it was validated, for `proxy_profile_used`. */
  readonly profile: string | null;
}

/** The exact FFmpeg argv of one planned clip: what the job runs and what `validate` shows, from one place. */
export function clipArgv(plan: JobPlan, clip: ClipPlan, ffmpeg: string | null): string[] {
  return buildFfmpegArgv({ ffmpeg: ffmpeg ?? 'ffmpeg', profile: plan.profile, source: clip.source, partialOutput: clip.partial, fps: plan.fps });
}

export type PlanOutcome = { ok: true; plan: JobPlan } | { ok: false; failure: PlanFailure };

const NAMING_PREFIX = 'JobSpec validation failed: ';

function fail(reason: string, stage: PlanFailure['stage'], routed: boolean, profile: string | null = null): PlanOutcome {
  return { ok: false, failure: { reason, stage, routed, profile } };
}

/** Null when nothing is at `path`; otherwise the reason the output cannot be written there. */
async function occupiedReason(deps: Deps, path: string, clip: ClipPlan): Promise<string | null> {
  let entry;
  try {
    entry = await deps.fs.lstat(path);
  } catch (error) {
    const code = fsErrorCode(error);
    if (DISK_TROUBLE_CODES.has(code)) throw error; // a failing disk stops the runner; the job is not to blame
    return code === 'ENOENT' ? null : `${NAMING_PREFIX}Cannot check whether ${path} exists (${code})`;
  }
  // Still not replaced: but the operator is told it is no output, only the trace of an interrupted run.
  if (path === clip.output && (await isLeftoverPlaceholder(deps, clip, entry))) {
    return `${NAMING_PREFIX}Output already exists: ${path} (an empty placeholder left by an interrupted run, beside ${clip.partial})`;
  }
  return `${NAMING_PREFIX}Output already exists: ${path}`;
}

export interface PlanInput {
  readonly deps: Deps;
  readonly jobId: string;
  readonly spec: JobSpec;
  /** When the job started: the instant `{date}` and `{time}` name, so names are fixed before any clip. */
  readonly startedMs: number;
  /**
   * Whether to find out how the output volume publishes (a probe that creates and removes two files).
   * Without it (`validate`, which must change nothing) the plan says `link`, the method a probe would try first.
   */
  readonly probe: boolean;
  /** The outputs other jobs in flight will write (--max-workers); none for `validate` and one worker. */
  readonly inFlight?: OutputsInFlight;
}

export async function planJob({ deps, jobId, spec, startedMs, probe: probing, inFlight }: PlanInput): Promise<PlanOutcome> {
  const validated = await validateJobSpec({ spec, fs: deps.fs, cwd: deps.cwd });
  if (!validated.ok) return fail(validated.reason, 'pre-job', false);

  const routing = routingFailure(spec.sources);
  if (routing !== null) return fail(routing, 'validation', false);
  const selection = selectProfile(spec);
  if (!selection.ok) return fail(selection.reason, 'validation', true);
  const { profile } = selection;

  const clips: ClipPlan[] = [];
  const seen = new Map<string, ClipPlan>();
  for (const [index, sourcePath] of spec.sources.entries()) {
    const name = resolveOutputName({
      template: spec.naming_template,
      sourcePath,
      index,
      jobId,
      codec: spec.codec,
      resolution: spec.resolution,
      atMs: startedMs,
      offsetMinutes: deps.clock.localOffsetMinutes(startedMs),
    });
    const unsafe = unsafeNameReason(name, profile.container);
    if (unsafe !== null) {
      return fail(`${NAMING_PREFIX}Output name '${name}.${profile.container}' for ${sourcePath} is not safe: ${unsafe}.`, 'validation', true, profile.name);
    }
    const output = join(validated.outputDirectory, `${name}.${profile.container}`);
    const clip: ClipPlan = { sourcePath, source: validated.sources[index] ?? sourcePath, output, partial: partialPathOf(output) };
    // Case-insensitive, because the output volume may be (macOS, SMB shares).
    const twin = seen.get(output.toLowerCase());
    if (twin !== undefined) {
      return fail(`${NAMING_PREFIX}Output name collision: ${twin.sourcePath} and ${sourcePath} both resolve to ${twin.output}`, 'validation', true, profile.name);
    }
    seen.set(output.toLowerCase(), clip);
    clips.push(clip);
  }
  for (const clip of clips) {
    // An output a job claimed earlier is still writing: what a serial run would find there once it is done.
    if (inFlight?.isHeld(clip.output) === true) return fail(`${NAMING_PREFIX}Output already exists: ${clip.output}`, 'validation', true, profile.name);
    const reason = (await occupiedReason(deps, clip.output, clip)) ?? (await occupiedReason(deps, clip.partial, clip));
    if (reason !== null) return fail(reason, 'validation', true, profile.name);
  }
  // Every clip writes into the same folder: one probe, with the first clip's names, tells its volume's method.
  const [first] = clips;
  const probe = first === undefined || !probing ? ({ ok: true, method: 'link' } as const) : await probePublishing(deps, first);
  if (!probe.ok) return fail(`${NAMING_PREFIX}${probe.reason}`, 'validation', true, profile.name);
  const fps = spec.fps_mode === 'explicit' && typeof spec.fps_explicit === 'number' ? spec.fps_explicit : null;
  return { ok: true, plan: { spec, profile, fps, outputDirectory: validated.outputDirectory, clips, publishMethod: probe.method } };
}

