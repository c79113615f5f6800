// The operating-system facts for the single-instance lock and orphan cleanup (contract §11). Pids come
// from a lock file on disk, which may be stale, corrupt or hostile: every entry point checks the pid first,
// because kill(0, …) signals our own process group and kill(-1, …) every process we may signal.
import { readFileSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Host } from '../ports.ts';

export function createNodeHost(): Host {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    bootId: readBootId(),
    pidNamespace: readPidNamespace(),
    isAlive,
    startTimeOf,
    isFfmpeg,
    kill(pid, signal) {
      if (!isValidPid(pid)) throw new RangeError(`refusing to signal pid ${pid}`);
      try {
        process.kill(pid, signal);
      } catch (error) {
        // Already gone is the outcome we wanted.
        if (errorCode(error) !== 'ESRCH') throw error;
      }
    },
  };
}

function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null; // not Linux: pid liveness alone decides
  }
}

function readPidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid') || null;
  } catch {
    return null; // not Linux, or /proc not mounted: host and boot alone decide
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), read after the `)` of comm. */
async function startTimeOf(pid: number): Promise<string | null> {
  if (!isValidPid(pid)) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function isValidPid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 0;
}

/** Signal 0 checks existence without signalling; EPERM means it exists but belongs to someone else. */
function isAlive(pid: number): boolean {
  if (!isValidPid(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A zombie (state Z, or X while being reaped) has exited but still answers signal 0 until its parent
 * reaps it: an orphaned FFmpeg that already finished must not be "terminated" with a 5 s wait, and a
 * dead runner must not look like it still holds the lock.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false; // no /proc (not Linux) or gone meanwhile: signal 0 decided
  }
}

/**
 * Whether `pid` is an FFmpeg process, so a pid reused by something else is never killed. `comm` is the
 * executable's name (for a script, the script's); `cmdline`'s argv[0] covers an ffmpeg started through a
 * renamed or versioned binary's symlink. Any failure (gone, no /proc, not ours) means "no".
 */
async function isFfmpeg(pid: number): Promise<boolean> {
  if (!isValidPid(pid)) return false;
  try {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8');
    if (comm.trim() === 'ffmpeg') return true;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    const argv0 = cmdline.split('\0')[0] ?? '';
    return path.basename(argv0) === 'ffmpeg';
  } catch {
    return false;
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
