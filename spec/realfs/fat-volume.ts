// Real FAT-family volumes for the real-filesystem suite (issue 9.1): a small image file formatted as exFAT
// (Debian's exfatprogs) or FAT (dosfstools) and mounted, so outputs land on a filesystem without hard
// links exactly as on a shuttle drive. The kernel's own driver is used where it exists (`mount -o loop`);
// kernels built without it get the FUSE drivers (exfat-fuse on a loop device, fusefat). Mounting needs
// root and those packages (.ci/run installs them): without them the caller skips, saying why.

import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FatKind = 'exfat' | 'vfat';

export interface FatVolume {
  /** The mount point: an empty folder on the new volume. */
  readonly dir: string;
  /** How it was mounted (kernel driver or which FUSE driver), for failure messages. */
  readonly how: string;
  unmount(): void;
}

const MKFS: Record<FatKind, string> = { exfat: 'mkfs.exfat', vfat: 'mkfs.vfat' };

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function attempt(command: string, args: readonly string[]): string | null {
  try {
    run(command, args);
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    return `${command}: ${typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim().split('\n')[0] : error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Formats a 64 MiB image as `kind` and mounts it (read-only when asked); returns the volume, or the reason
 * it cannot be done here (to skip with).
 */
export function mountFatVolume(kind: FatKind, options: { readOnly?: boolean } = {}): FatVolume | string {
  if (process.getuid?.() !== 0) return 'mounting a loop image needs root';
  const base = mkdtempSync(join(tmpdir(), `runner-${kind}-`));
  const image = join(base, `${kind}.img`);
  const dir = join(base, 'mnt');
  mkdirSync(dir);
  const fd = openSync(image, 'w');
  ftruncateSync(fd, 64 * 1024 * 1024);
  closeSync(fd);
  const removeBase = (): void => rmSync(base, { recursive: true, force: true });
  const formatted = attempt(MKFS[kind], [image]);
  if (formatted !== null) {
    removeBase();
    return `cannot format an ${kind} image (${formatted}; install ${kind === 'exfat' ? 'exfatprogs' : 'dosfstools'})`;
  }
  const ro = options.readOnly === true;
  const problems: string[] = [];
  let loop: string | null = null;
  const cleanup = (): void => {
    if (attempt('umount', [dir]) !== null) attempt('umount', ['-l', dir]);
    if (loop !== null) attempt('losetup', ['-d', loop]);
    removeBase();
  };
  const kernel = attempt('mount', ['-t', kind, '-o', ro ? 'loop,ro' : 'loop', image, dir]);
  if (kernel === null) return { dir, how: `kernel ${kind}`, unmount: cleanup };
  problems.push(kernel);
  if (kind === 'exfat') {
    try {
      loop = run('losetup', ['-f', '--show', image]);
      const fuse = attempt('mount.exfat-fuse', [...(ro ? ['-o', 'ro'] : []), loop, dir]);
      if (fuse === null) return { dir, how: 'exfat-fuse', unmount: cleanup };
      problems.push(fuse);
    } catch (error) {
      problems.push(`losetup: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    const fuse = attempt('fusefat', ['-o', ro ? 'ro' : 'rw+', image, dir]);
    if (fuse === null) return { dir, how: 'fusefat', unmount: cleanup };
    problems.push(fuse);
  }
  cleanup();
  return `cannot mount an ${kind} image here (${problems.join('; ')}; install ${kind === 'exfat' ? 'exfat-fuse' : 'fusefat'} or use a kernel with ${kind})`;
}
