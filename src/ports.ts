// The capabilities the runner core is given. Nothing of the runner (src/ apart from src/conformance, the
// separate conformance tool) except src/cli.ts and the adapters it wires may touch process, the real
// clock, node:fs or child processes: everything goes through these ports, so the same core runs on the
// real disk, on memfs, and under fault injection.

import type { LogEventName } from './log-events.ts';

/** What kind of directory entry a path names. `other` covers FIFOs, sockets and devices. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface FileStat {
  readonly kind: EntryKind;
  readonly size: number;
  readonly mtimeMs: number;
  readonly nlink: number;
  readonly ino: number;
  readonly dev: number;
}

/** An error from an Fs operation. The core branches only on `code` (ENOENT, EEXIST, EXDEV, ENOSPC, …). */
export interface FsError extends Error {
  readonly code: string;
}

/** A JobSpec opened for reading: opened without following links and without blocking on FIFOs. */
export interface ReadHandle {
  /** The stat of the opened entry itself (fstat). */
  stat(): Promise<FileStat>;
  /** Reads from the start, at most `maxBytes` bytes. */
  read(maxBytes: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Exactly the filesystem operations the runner needs, named as in node:fs/promises. Every call is one
 * countable operation (the fault injector relies on that). Errors carry a Node-style `code`.
 */
export interface Fs {
  readdir(dir: string): Promise<string[]>;
  /** Stat without following a final symlink. */
  lstat(path: string): Promise<FileStat>;
  /** Stat following symlinks (used for media sources and output directories, never for JobSpecs). */
  stat(path: string): Promise<FileStat>;
  /** Open read-only with O_NOFOLLOW | O_NONBLOCK; a symlink fails with ELOOP. */
  openNoFollow(path: string): Promise<ReadHandle>;
  /** Reads a whole small file the runner itself manages (the lock file) or a media descriptor. */
  readFile(path: string): Promise<Uint8Array>;
  /** Creates `path` exclusively (EEXIST if it exists), writes `data`, fsyncs and closes it. */
  writeFileExclusive(path: string, data: Uint8Array): Promise<void>;
  /** rename(2): atomic, but replaces an existing destination: callers check first where that matters. */
  rename(from: string, to: string): Promise<void>;
  /** link(2): the no-clobber primitive (EEXIST when `to` exists). Does not follow a symlink `from`. */
  link(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes an empty directory (ENOTEMPTY when it holds anything). */
  rmdir(path: string): Promise<void>;
  /** Creates one directory (not recursive); EEXIST if anything exists at `path`. */
  mkdir(path: string): Promise<void>;
  /** Makes a file's data durable. */
  fsyncFile(path: string): Promise<void>;
  /** Makes a directory's entries (renames, links, unlinks inside it) durable. */
  fsyncDir(path: string): Promise<void>;
}

export interface Clock {
  /** Wall-clock time in epoch milliseconds. */
  now(): number;
  /** Offset of the runner's local time zone from UTC at `epochMs`, in minutes (UTC+2 → 120). */
  localOffsetMinutes(epochMs: number): number;
  /** Waits `ms`; resolves early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Lets whatever is pending run (a stop signal's handler, above all), then resolves: the next turn of the
   * event loop. The filesystem port may answer at once (the real adapter's calls are synchronous), so a
   * scan of many jobs that start no FFmpeg would otherwise never give a SIGTERM the chance to be seen.
   */
  yieldToEvents(): Promise<void>;
}

export interface TranscodeRequest {
  /** Full argv; argv[0] is the resolved FFmpeg executable. Never passed through a shell. */
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  /** Aborts when the runner is asked to stop: the transcoder terminates the child (TERM, then KILL). */
  readonly signal: AbortSignal;
  /** Called once the child exists, so its pid can be recorded for orphan cleanup after a crash. */
  readonly onSpawn?: (pid: number) => Promise<void>;
  /** Called each time FFmpeg reports how far it is (its stats line on stderr). */
  readonly onProgress?: (progress: EncodeProgress) => void;
}

/** How far an encode is, as FFmpeg itself says: no probe and no extra process. */
export interface EncodeProgress {
  /** Media time encoded so far (FFmpeg's `time=`). */
  readonly doneSeconds: number;
  /** The input's duration (FFmpeg's `Duration:`), or null when it has not said (a stream, say). */
  readonly totalSeconds: number | null;
  /** Encoding speed relative to real time (FFmpeg's `speed=`), or null. */
  readonly speed: number | null;
}

export interface TranscodeOutcome {
  /**
   * Exit code when the process exited; null when killed by a signal or never started. FFmpeg handles
   * SIGTERM itself, so a stopped or timed-out FFmpeg usually reports 255 here, not a signal.
   */
  readonly exitCode: number | null;
  /** Name of the signal that ended it (SIGTERM, SIGKILL, …) or null. */
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** The last ≤ 64 KiB of stderr, decoded as UTF-8. */
  readonly stderrTail: string;
}

export interface Transcoder {
  /** The absolute path of the FFmpeg executable to use, or null when none is installed. */
  locate(): Promise<string | null>;
  /** Runs one FFmpeg process to completion. Never throws for a failed process. */
  run(request: TranscodeRequest): Promise<TranscodeOutcome>;
}

export interface HookRequest {
  /** The program to run, directly (never through a shell). */
  readonly program: string;
  readonly args: readonly string[];
  /** Added to the runner's own environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface HookOutcome {
  /** Exit code when the program exited; null when a signal ended it or it never started. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** The last few KiB of its stderr, decoded as UTF-8. */
  readonly stderrTail: string;
  /** Why it could not be started (ENOENT, EACCES, …), or null when it ran. */
  readonly startFailure: string | null;
}

/** Runs the operator's `--on-filed` program. Never throws for a failed program. */
export interface HookRunner {
  run(request: HookRequest): Promise<HookOutcome>;
}

/** The operating-system facts the single-instance lock and orphan cleanup need. */
export interface Host {
  readonly pid: number;
  readonly hostname: string;
  /** Identifies the current boot (Linux: /proc/sys/kernel/random/boot_id), or null when unknown. */
  readonly bootId: string | null;
  /**
   * Identifies the PID namespace this process sees pids in (Linux: the link /proc/self/ns/pid), or null
   * when unknown: containers of one kernel share its boot, and may share a host name, but not their pids.
   */
  readonly pidNamespace: string | null;
  isAlive(pid: number): boolean;
  /** An opaque start time of process `pid`, so a reused pid can be told apart; null when unknown. */
  startTimeOf(pid: number): Promise<string | null>;
  /** True when `pid` is alive and is an FFmpeg process (so a reused pid is never killed). */
  isFfmpeg(pid: number): Promise<boolean>;
  kill(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void;
}

/** Where console lines go: the process's stdout and stderr (console-log.ts), or a test's array. */
export interface Console {
  out(line: string): void;
  err(line: string): void;
}

export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

/** The runner's log (log.ts): timed, levelled events, as text or JSON lines. */
export interface Log {
  /** One event: its level comes from its declaration (log-events.ts); `message` is what a person reads. */
  event(name: LogEventName, message: string, fields?: LogFields): void;
  /** A command's own answer (usage, version, a validate or status report): printed as it is, on stdout. */
  print(text: string): void;
}

/**
 * Says that a directory's entries changed (inotify, through fs.watch), so that continuous mode can scan at
 * once instead of at its next poll. A hint only: network shares deliver no events for other clients'
 * changes, so polling stays the safety net, and a volume that cannot watch simply never calls back.
 */
export interface DirectoryEvents {
  /** Calls `onChange` after changes of `dir`'s entries until the returned function is called. */
  watch(dir: string, onChange: () => void): () => void;
}

export interface Deps {
  readonly fs: Fs;
  readonly clock: Clock;
  readonly transcoder: Transcoder;
  readonly host: Host;
  readonly hooks: HookRunner;
  readonly log: Log;
  /** The directory relative JobSpec paths (sources, output_directory) are resolved against. */
  readonly cwd: string;
  /** Filesystem events for prompt pickup; absent, continuous mode only polls (the in-memory harness). */
  readonly events?: DirectoryEvents;
}

/**
 * Thrown by a test double to model the runner process dying on the spot (SIGKILL, power cut).
 * No runner code may catch it: catch blocks only handle errors that carry an fs `code`.
 */
export class RunnerKilled extends Error {
  constructor(why: string) {
    super(`runner killed: ${why}`);
    this.name = 'RunnerKilled';
  }
}

export function isFsError(error: unknown): error is FsError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && !(error instanceof RunnerKilled);
}

/**
 * Codes that say the disk or the runner itself is in trouble (I/O error, no space, no file descriptors or
 * memory), never that a JobSpec or a path in it is wrong. The core lets them propagate wherever it could
 * otherwise blame a job: the runner stops (exit 70) instead of filing a good JobSpec as failed or going on
 * to claim jobs it cannot file (reliability section 4: pending/ is never drained into failed/).
 */
export const DISK_TROUBLE_CODES: ReadonlySet<string> = new Set(['EIO', 'ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'ENOMEM']);

/** The errno code of an fs error; anything else (a bug, or RunnerKilled) is rethrown untouched. */
export function fsErrorCode(error: unknown): string {
  if (isFsError(error)) return error.code;
  throw error;
}

/** Awaits `operation`, an unlink say, for which ENOENT means "already done"; any other error propagates. */
export async function ignoreMissing(operation: Promise<void>): Promise<void> {
  await operation.catch((error: unknown) => {
    if (fsErrorCode(error) !== 'ENOENT') throw error;
  });
}

/** What is at `path` (not following a link), or null when nothing is; any other error propagates. */
export async function lstatOrNull(fs: Fs, path: string): Promise<FileStat | null> {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/** The names in `dir`, or null when there is no such folder; any other error propagates. */
export async function readdirOrNull(fs: Fs, dir: string): Promise<string[] | null> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The stat of a name that a listing has just returned, or null when a second lstat agrees that it is gone.
 * One ENOENT that contradicts the listing is asked once more: recovery decides from these stats whether a
 * JobSpec was already filed, and one wrong answer (a network share's hiccup, an injected fault) must not
 * make it file the same JobSpec a second time. A name an operator really removed is gone on both looks.
 */
export async function lstatOfListed(fs: Fs, path: string): Promise<FileStat | null> {
  return (await lstatOrNull(fs, path)) ?? (await lstatOrNull(fs, path));
}

/** Whether two stats are of one file: the same inode on the same device (an inode number alone is not). */
export function sameFile(a: Pick<FileStat, 'ino' | 'dev'>, b: Pick<FileStat, 'ino' | 'dev'>): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

/**
 * link(2), which never replaces `path`, knowing its own success when the answer says otherwise: an NFS
 * client whose reply was lost sends the link again, and the retry fails with EEXIST on the very name the
 * first one made. So an EEXIST is checked the classic NFS-safe way, by looking at both names afterwards:
 * one file means the link is made; anything else is the EEXIST it says. (Every caller links a name it
 * has just found free, or a private temp of its own, so the same file there can only be its own link.)
 */
export async function linkNoReplace(fs: Fs, existing: string, path: string): Promise<void> {
  try {
    await fs.link(existing, path);
  } catch (error) {
    if (fsErrorCode(error) !== 'EEXIST') throw error;
    const [one, two] = [await lstatOrNull(fs, existing), await lstatOrNull(fs, path)];
    if (one === null || two === null || !sameFile(one, two)) throw error;
  }
}
