// Puts the stand-in `ffmpeg` and `ffprobe` (stand-in/*.mjs) where a runner under test finds them: a bin
// directory placed first on its PATH (the conformance runner's, and the end-to-end and real-filesystem
// suites' sandboxes). For scenarios with `ffmpeg_installed: false` it also builds a PATH on which no `ffmpeg`
// exists at all, while every other program stays where it was.

import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { shellQuote } from './impl-command.ts';

const STAND_IN_DIR = join(import.meta.dirname, 'stand-in');

export interface StandInPaths {
  /** The stand-ins first, then the caller's PATH. */
  readonly withFfmpeg: string;
  /** The stand-in ffprobe first, then the caller's PATH with every `ffmpeg` hidden. */
  readonly withoutFfmpeg: string;
}

export interface StandInBinOptions {
  /** The directory to write the launchers into (made if missing). */
  readonly dir: string;
  /** The node binary that runs the stand-ins (they are plain ESM and need no loader). */
  readonly nodePath: string;
  /** Leave `ffmpeg` out (a machine without FFmpeg still has ffprobe in these scenarios). */
  readonly withoutFfmpeg?: boolean;
  /**
   * The longest real sleep of the stand-in ffmpeg (STAND_IN_MAX_SLEEP_MS; default 200 ms, so that portable
   * scenarios run fast). Suites that stop or kill a runner mid-clip set it high: durations are then real.
   */
  readonly maxSleepMs?: number;
}

/** A tiny sh script that execs node on a stand-in: the stand-in keeps the pid the runner spawned. */
function writeLauncher(binDir: string, name: string, nodePath: string, maxSleepMs: number | undefined): void {
  const path = join(binDir, name);
  const env = maxSleepMs === undefined ? '' : `STAND_IN_MAX_SLEEP_MS=${Math.round(maxSleepMs)} `;
  writeFileSync(path, `#!/bin/sh\n${env}exec ${shellQuote(nodePath)} ${shellQuote(join(STAND_IN_DIR, `${name}.mjs`))} "$@"\n`);
  chmodSync(path, 0o755);
}

/** Writes the stand-in `ffmpeg` and `ffprobe` into `dir`, for a PATH that starts with it; returns `dir`. */
export function installStandInBin({ dir, nodePath, withoutFfmpeg = false, maxSleepMs }: StandInBinOptions): string {
  mkdirSync(dir, { recursive: true });
  if (!withoutFfmpeg) writeLauncher(dir, 'ffmpeg', nodePath, maxSleepMs);
  writeLauncher(dir, 'ffprobe', nodePath, maxSleepMs);
  return dir;
}

export interface StandInOptions {
  /** An empty directory to install into (it holds only what this module writes). */
  readonly dir: string;
  /** The node binary that runs the stand-ins. */
  readonly nodePath: string;
  /** The PATH the implementation would otherwise see. */
  readonly pathEnv: string;
}

/**
 * A copy of `dir` made of symlinks, without `ffmpeg`: it replaces `dir` on the PATH so the lookup order of
 * every other program is unchanged (a directory like /usr/bin holds node as well as ffmpeg).
 */
function mirrorWithoutFfmpeg(dir: string, mirror: string): void {
  mkdirSync(mirror, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name !== 'ffmpeg') symlinkSync(join(dir, name), join(mirror, name));
  }
}

/** The stand-ins for the conformance runner: a PATH with them first, and one on which no ffmpeg exists. */
export function installStandIns({ dir, nodePath, pathEnv }: StandInOptions): StandInPaths {
  const bin = installStandInBin({ dir: join(dir, 'bin'), nodePath });
  const probeOnly = installStandInBin({ dir: join(dir, 'bin-without-ffmpeg'), nodePath, withoutFfmpeg: true });

  const entries = pathEnv.split(delimiter).filter((entry) => entry !== '');
  const hidden = entries.map((entry, index) => {
    if (!isAbsolute(entry) || !existsSync(join(entry, 'ffmpeg'))) return entry;
    const mirror = join(dir, 'path-without-ffmpeg', String(index));
    mirrorWithoutFfmpeg(entry, mirror);
    return mirror;
  });
  return {
    withFfmpeg: [bin, ...entries].join(delimiter),
    withoutFfmpeg: [probeOnly, ...hidden].join(delimiter),
  };
}
