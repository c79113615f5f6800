// The lock record (contract section 11): what a runner writes into `<folder>/.runner.lock` so that the
// next start can tell a live rival from a dead one and find its FFmpeg child. Its format, and reading and
// writing one file of it; how the file gets into place is lock.ts's, whether its holder lives is
// lock-liveness.ts's.

import type { Fs } from '../ports.ts';
import { fsErrorCode, lstatOrNull } from '../ports.ts';
import { parseJsonObject } from '../jobspec/json.ts';

export interface LockRecord {
  readonly pid: number;
  readonly host: string;
  /** The boot the runner started in (Linux boot_id), so a lock from before a reboot reads as stale. */
  readonly boot_id: string | null;
  /** The runner process's own start time, so a reused pid is not taken for the runner. */
  readonly start_time: string | null;
  /**
   * The PID namespace its pid is in (Host.pidNamespace), when known: a holder in another one (another
   * container of this kernel, with this host name) cannot be judged by its pid from here.
   */
  readonly pid_ns?: string;
  readonly started_at: string;
  readonly ffmpeg_pid: number | null;
  readonly ffmpeg_start_time: string | null;
  /** What the holder's FFmpeg is doing, for `status`; absent between clips (and in older records). */
  readonly activity?: LockActivity;
  /**
   * With `--max-workers` above 1: the FFmpeg child and activity of each further worker (worker 1's are
   * the fields above, so a record of one worker reads as it always did). Absent with one worker.
   */
  readonly workers?: readonly WorkerChild[];
  /**
   * In `.runner.lock`: the folder is worked by runners started with --shared (R11.27); a runner without it
   * refuses such a folder. Absent otherwise.
   */
  readonly shared?: true;
  /** In a shared runner's lease file: its id, how many times it renewed, and its lease seconds (R11.28). */
  readonly lease?: LeaseFacts;
}

export interface LeaseFacts {
  readonly id: string;
  readonly beat: number;
  readonly seconds: number;
}

/** One further worker's FFmpeg child and what it encodes. */
export interface WorkerChild {
  /** From 2. */
  readonly worker: number;
  readonly ffmpeg_pid: number | null;
  readonly ffmpeg_start_time: string | null;
  readonly activity?: LockActivity;
}

/** Every FFmpeg child a record names, worker 1's first. */
export function childrenOf(record: LockRecord): { readonly pid: number; readonly startTime: string | null }[] {
  const all = [{ pid: record.ffmpeg_pid, startTime: record.ffmpeg_start_time }, ...(record.workers ?? []).map((w) => ({ pid: w.ffmpeg_pid, startTime: w.ffmpeg_start_time }))];
  return all.flatMap(({ pid, startTime }) => (pid === null ? [] : [{ pid, startTime }]));
}

/** Every activity a record names, worker 1's first. */
export function activitiesOf(record: LockRecord): LockActivity[] {
  return [record.activity, ...(record.workers ?? []).map((w) => w.activity)].filter((a): a is LockActivity => a !== undefined);
}

/** The clip being encoded and how far it is, as the holder last wrote it. */
export interface LockActivity {
  /** The JobSpec's name in running/. */
  readonly job: string;
  readonly job_id: string;
  readonly job_started_at: string;
  /** From 1. */
  readonly clip: number;
  readonly clips: number;
  readonly source: string;
  readonly clip_started_at: string;
  readonly done_seconds: number | null;
  readonly total_seconds: number | null;
  readonly speed: number | null;
  readonly updated_at: string;
}

function encode(record: LockRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record)}\n`);
}

function decode(bytes: Uint8Array): LockRecord | null {
  const v = parseJsonObject(bytes);
  if (v === null) return null;
  const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  const num = (x: unknown): number | null => (typeof x === 'number' ? x : null);
  if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
  const record: LockRecord = {
    pid: v.pid,
    host: v.host,
    boot_id: text(v.boot_id),
    start_time: text(v.start_time),
    started_at: text(v.started_at) ?? '',
    ffmpeg_pid: num(v.ffmpeg_pid),
    ffmpeg_start_time: text(v.ffmpeg_start_time),
  };
  const activity = decodeActivity(v.activity, text, num);
  const workers = Array.isArray(v.workers) ? (v.workers as unknown[]).flatMap((raw) => decodeWorker(raw, text, num)) : [];
  const lease = decodeLease(v.lease, text, num);
  const pidNs = text(v.pid_ns);
  return {
    ...record,
    ...(pidNs === null ? {} : { pid_ns: pidNs }),
    ...(activity === null ? {} : { activity }),
    ...(workers.length === 0 ? {} : { workers }),
    ...(v.shared === true ? { shared: true as const } : {}),
    ...(lease === null ? {} : { lease }),
  };
}

function decodeLease(raw: unknown, text: (x: unknown) => string | null, num: (x: unknown) => number | null): LeaseFacts | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const l = raw as Record<string, unknown>;
  const id = text(l.id);
  const beat = num(l.beat);
  const seconds = num(l.seconds);
  return id === null || beat === null || seconds === null ? null : { id, beat, seconds };
}

function decodeWorker(raw: unknown, text: (x: unknown) => string | null, num: (x: unknown) => number | null): WorkerChild[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const w = raw as Record<string, unknown>;
  const worker = num(w.worker);
  if (worker === null) return [];
  const activity = decodeActivity(w.activity, text, num);
  return [{ worker, ffmpeg_pid: num(w.ffmpeg_pid), ffmpeg_start_time: text(w.ffmpeg_start_time), ...(activity === null ? {} : { activity }) }];
}

/** The activity, when the record carries a whole one: `status` shows nothing rather than something made up. */
function decodeActivity(raw: unknown, text: (x: unknown) => string | null, num: (x: unknown) => number | null): LockActivity | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const a = raw as Record<string, unknown>;
  const job = text(a.job);
  const jobId = text(a.job_id);
  const clip = num(a.clip);
  const clips = num(a.clips);
  const source = text(a.source);
  const started = text(a.clip_started_at);
  const jobStarted = text(a.job_started_at);
  const updated = text(a.updated_at);
  if (job === null || jobId === null || clip === null || clips === null || source === null || started === null || jobStarted === null || updated === null) return null;
  return {
    job,
    job_id: jobId,
    job_started_at: jobStarted,
    clip,
    clips,
    source,
    clip_started_at: started,
    done_seconds: num(a.done_seconds),
    total_seconds: num(a.total_seconds),
    speed: num(a.speed),
    updated_at: updated,
  };
}

/**
 * The record in `path`; null when there is no such file, or when what is there is no record (a lock
 * is only ever linked into place whole and fsynced, so a file that does not decode was never one).
 * Any other error propagates: an EIO or EMFILE says nothing about the holder, and must not read as "dead".
 */
export async function readLockRecord(fs: Fs, path: string): Promise<LockRecord | null> {
  let bytes;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (fsErrorCode(error) === 'ENOENT') return null;
    throw error;
  }
  return decode(bytes);
}

/** Creates `path` exclusively with the record in it, fsynced (a failed write may leave the file behind). */
export async function writeLockRecord(fs: Fs, path: string, record: LockRecord): Promise<void> {
  await fs.writeFileExclusive(path, encode(record));
}

/**
 * Writes `record` to the private `temp` and renames it over `path`. A rename that reports ENOENT while
 * the temp is gone and `path` holds exactly these bytes was done: a network client whose reply was lost
 * sends it again, and the retry finds its source moved. (Anything else is the error it says.)
 */
export async function replaceLockRecord(fs: Fs, temp: string, path: string, record: LockRecord): Promise<void> {
  const bytes = encode(record);
  await fs.writeFileExclusive(temp, bytes);
  try {
    await fs.rename(temp, path);
  } catch (error) {
    if (fsErrorCode(error) !== 'ENOENT' || (await lstatOrNull(fs, temp)) !== null) throw error;
    const now = await fs.readFile(path).catch((readError: unknown) => void fsErrorCode(readError));
    if (now === undefined || now.length !== bytes.length || now.some((byte, i) => byte !== bytes[i])) throw error;
  }
}
