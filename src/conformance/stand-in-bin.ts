// Puts the stand-in `ffmpeg` and `ffprobe` (stand-in/*.mjs) where an implementation under test finds them:
// a bin directory placed first on its PATH. For scenarios with `ffmpeg_installed: false` it also builds a
// PATH on which no `ffmpeg` exists at all, while every other program stays where it was.

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

export interface StandInOptions {
  /** An empty directory to install into (it holds only what this module writes). */
  readonly dir: string;
  /** The node binary that runs the stand-ins (they are plain ESM and need no loader). */
  readonly nodePath: string;
  /** The PATH the implementation would otherwise see. */
  readonly pathEnv: string;
}

/** A tiny sh script that execs node on a stand-in: the stand-in keeps the pid the runner spawned. */
function writeLauncher(binDir: string, name: string, nodePath: string): void {
  const path = join(binDir, name);
  writeFileSync(path, `#!/bin/sh\nexec ${shellQuote(nodePath)} ${shellQuote(join(STAND_IN_DIR, `${name}.mjs`))} "$@"\n`);
  chmodSync(path, 0o755);
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

export function installStandIns({ dir, nodePath, pathEnv }: StandInOptions): StandInPaths {
  const bin = join(dir, 'bin');
  const probeOnly = join(dir, 'bin-without-ffmpeg');
  mkdirSync(bin, { recursive: true });
  mkdirSync(probeOnly, { recursive: true });
  writeLauncher(bin, 'ffmpeg', nodePath);
  writeLauncher(bin, 'ffprobe', nodePath);
  writeLauncher(probeOnly, 'ffprobe', nodePath);

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
