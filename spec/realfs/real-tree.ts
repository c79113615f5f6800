// Helpers for the real-filesystem suite (spec/realfs): what memfs cannot model (FIFOs, symlinks, hard
// links, EXDEV, directories named like JobSpecs, a real runner process killed with SIGKILL) checked through
// the real CLI on a real temporary folder, with the one stand-in `ffmpeg` first on PATH.
//
// The sandbox is spec/e2e's: its stand-in is the conformance suite's, acting out media descriptors with real
// durations, so a test can hold a job mid-clip, make it hang, or have the "FFmpeg" kill its runner at a
// precise point (MEDIA in spec/e2e/stand-in.ts). The invariants of reliability.md section 3 are checked on
// the real tree by comparing a snapshot taken before the runs with one taken after.

import { HANG_MS, waitFor as pollUntil } from '../support/polling.ts';
import { createHash } from 'node:crypto';
import {
  closeSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, readSync,
  rmSync, statSync, utimesSync, writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import Value from 'typebox/value';
import type { JobResult } from '../../src/result.ts';
import { JobResultSchema } from '../../src/result.ts';
import { decodeName, nodePathOf } from '../../src/path-bytes.ts';
import { isFilingStemOf, isJobSpecName, lockTempNameOf, resultNameOf, stemOf } from '../../src/runner/filing-names.ts';
import type { Sandbox } from '../e2e/stand-in.ts';
import { jobSpec, makeSandbox, MEDIA, OK_OUTPUT_BYTES } from '../e2e/stand-in.ts';

export { jobSpec, MEDIA, OK_OUTPUT_BYTES };
export type { Sandbox };

const CLI = join(import.meta.dirname, '../../src/cli.ts');
/** tsx resolved from this repository, so the CLI runs with any working directory. */
const TSX = import.meta.resolve('tsx');

// ---------------------------------------------------------------------------------------------------
// The sandbox.

export interface RealSandbox extends Sandbox {
  /** A folder outside the watch folder and the output directory: symlink targets, other hard-link names. */
  readonly elsewhere: string;
  readonly pending: string;
  readonly running: string;
  readonly completed: string;
  readonly failed: string;
}

/** What a sandbox's test started or made outside the sandbox, so that tests can run concurrently. */
interface Scope {
  readonly processes: Set<ReturnType<typeof execa>>;
  /** Stand-in pids seen in the lock: killed at the end (by pid, and only while still a stand-in). */
  readonly standIns: Set<number>;
  readonly cleanups: Array<() => void>;
}

const scopes = new WeakMap<Sandbox, Scope>();

function scopeOf(sandbox: Sandbox): Scope {
  const scope = scopes.get(sandbox);
  if (scope === undefined) throw new Error('not a sandbox of makeRealSandbox()');
  return scope;
}

/**
 * spec/e2e's sandbox with the four state folders already made (so the trees before and after compare
 * folder for folder) and an `elsewhere/` folder beside them. `onFinished` is the test context's
 * onTestFinished: the sandbox's processes are stopped and its folders removed then.
 */
export function makeRealSandbox(onFinished: (cleanup: () => Promise<void>) => void): RealSandbox {
  const base = makeSandbox();
  const sandbox: RealSandbox = {
    ...base,
    elsewhere: join(base.root, 'elsewhere'),
    pending: join(base.watch, 'pending'),
    running: join(base.watch, 'running'),
    completed: join(base.watch, 'completed'),
    failed: join(base.watch, 'failed'),
  };
  for (const dir of [sandbox.elsewhere, sandbox.pending, sandbox.running, sandbox.completed, sandbox.failed]) mkdirSync(dir);
  const scope: Scope = { processes: new Set(), standIns: new Set(), cleanups: [() => base.cleanup()] };
  scopes.set(sandbox, scope);
  onFinished(() => dispose(scope));
  return sandbox;
}

/** Stops every process the test left running (by pid), then removes its folders. */
async function dispose(scope: Scope): Promise<void> {
  for (const child of scope.processes) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await child.catch(() => undefined);
  }
  for (const pid of scope.standIns) if (isRunning(pid) && isStandIn(pid)) process.kill(pid, 'SIGKILL');
  for (const cleanup of scope.cleanups) cleanup();
}

/** Writes a media file (contents from MEDIA) and returns its name, for jobSpec(). */
export function media(sandbox: Sandbox, name: string, contents: string = MEDIA.ok): string {
  writeFileSync(join(sandbox.media, name), contents);
  return name;
}

export function mkfifo(...paths: string[]): void {
  execFileSync('mkfifo', paths);
}

/** A folder on /dev/shm (tmpfs), removed with the sandbox; call only when shmUnusable() is null. */
export function makeShmDir(sandbox: Sandbox): string {
  const dir = mkdtempSync('/dev/shm/runner-realfs-');
  scopeOf(sandbox).cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Why /dev/shm cannot stand for a second filesystem here, or null when it can. */
export function shmUnusable(): string | null {
  let shm;
  try {
    shm = statSync('/dev/shm');
  } catch {
    return '/dev/shm does not exist';
  }
  if (!shm.isDirectory()) return '/dev/shm is not a directory';
  if (shm.dev === statSync(tmpdir()).dev) return `/dev/shm is on the same device as ${tmpdir()}`;
  try {
    rmSync(mkdtempSync('/dev/shm/runner-realfs-probe-'), { recursive: true });
  } catch (error) {
    return `/dev/shm is not writable (${error instanceof Error ? error.message : String(error)})`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Processes: the runner exactly as an operator starts it, and everything it or the stand-in left running.

/**
 * Starts `node --import tsx src/cli.ts <args>` in the sandbox, with the stand-in first on PATH. Killed
 * with SIGKILL after HANG_MS, so a runner that blocks shows up as `timedOut`, never as a hung suite.
 */
export function startRunner(sandbox: Sandbox, args: readonly string[]) {
  const child = execa(process.execPath, ['--import', TSX, CLI, ...args], {
    reject: false,
    env: { PATH: sandbox.path, TZ: 'UTC' },
    cwd: sandbox.root,
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
  });
  scopeOf(sandbox).processes.add(child);
  return child;
}

export interface Run {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** One `--once` run to completion (or to the SIGKILL after HANG_MS). How long it took is nobody's business. */
export async function runOnce(sandbox: Sandbox, extra: readonly string[] = []): Promise<Run> {
  const done = await startRunner(sandbox, [sandbox.watch, '--once', ...extra]);
  return {
    exitCode: done.exitCode,
    signal: done.signal,
    timedOut: done.timedOut,
    stdout: String(done.stdout),
    stderr: String(done.stderr),
  };
}

/** Whether `pid` runs. A zombie counts as gone: it has exited and merely waits to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/** `/proc/<pid>/comm` and argv[0], or null when the process is gone. */
export function processName(pid: number): { comm: string; argv0: string } | null {
  try {
    return {
      comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(),
      argv0: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '',
    };
  } catch {
    return null;
  }
}

function isStandIn(pid: number): boolean {
  const name = processName(pid);
  return name !== null && (name.comm === 'ffmpeg' || name.argv0 === 'ffmpeg');
}

/** The runner's lock record, or null when there is no lock (or it does not parse). */
export function lockRecord(sandbox: Sandbox): { pid: number; ffmpegPid: number | null } | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(sandbox.watch, '.runner.lock'), 'utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('pid' in value) || typeof value.pid !== 'number') return null;
  const ffmpegPid = 'ffmpeg_pid' in value && typeof value.ffmpeg_pid === 'number' ? value.ffmpeg_pid : null;
  if (ffmpegPid !== null) scopeOf(sandbox).standIns.add(ffmpegPid);
  return { pid: value.pid, ffmpegPid };
}

/**
 * The stand-in the runner recorded, in its lock or in the lock update it was writing when it died
 * (`.runner.lock.<pid>.tmp`, which the next start also reads); null when it recorded none.
 */
export function recordedStandIn(sandbox: Sandbox): number | null {
  const lock = lockRecord(sandbox);
  if (lock === null) return null;
  if (lock.ffmpegPid !== null) return lock.ffmpegPid;
  try {
    const value: unknown = JSON.parse(readFileSync(join(sandbox.watch, lockTempNameOf(lock.pid)), 'utf8'));
    const pid = typeof value === 'object' && value !== null && 'ffmpeg_pid' in value ? value.ffmpeg_pid : null;
    if (typeof pid !== 'number') return null;
    scopeOf(sandbox).standIns.add(pid);
    return pid;
  } catch {
    return null;
  }
}

/**
 * A zombie named `ffmpeg`: the sandbox's stand-in, started in the background by a shell that then execs
 * `sleep 20`, which never reaps it. Returns its pid and start time (field 22 of /proc/<pid>/stat).
 */
export async function zombieNamedFfmpeg(sandbox: Sandbox): Promise<{ pid: number; startTime: string }> {
  const holder = execa('sh', ['-c', `"$0" </dev/null >/dev/null 2>&1 & echo $!; exec sleep 20`, join(sandbox.bin, 'ffmpeg')], {
    reject: false,
    buffer: false,
  });
  scopeOf(sandbox).processes.add(holder);
  const pid = await new Promise<number>((resolve, reject) => {
    holder.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    holder.once('exit', () => reject(new Error('the zombie holder exited')));
  });
  const stat = await waitFor(`pid ${pid} to be a zombie`, () => {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.charAt(text.lastIndexOf(')') + 2) === 'Z' ? text : null;
  });
  const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  if (startTime === undefined || processName(pid)?.comm !== 'ffmpeg') throw new Error(`pid ${pid} is not a zombie named ffmpeg`);
  return { pid, startTime };
}

export { sleep } from '../support/polling.ts';

/** Polls every 20 ms: the crash tests aim kills at steps only milliseconds apart. */
export function waitFor<T>(what: string, check: () => T | null): Promise<T> {
  return pollUntil(what, check, { intervalMs: 20 });
}

/** Resolves once `child` has printed `text` on stdout; rejects when it exits first or after `timeoutMs`. */
export function waitForOutput(child: ReturnType<typeof execa>, text: string, timeoutMs = HANG_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no '${text}' on stdout after ${timeoutMs} ms: ${seen}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (!seen.includes(text)) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the runner exited before printing '${text}': ${seen}`));
    });
  });
}

// A process of its own whose only work is to wait on inotify: the vitest worker's event loop may be busy
// with other tests (or the machine loaded), and a kill sent from there could land well after the step.
const KILLER = `
const { watch } = require('node:fs');
const [dir, entry, nth] = process.argv.slice(1);
let target = null;
let seen = 0;
const watcher = watch(dir, (event, name) => {
  // 'rename': the entry appeared or went away ('change' would be its contents or attributes).
  if (event !== 'rename' || name !== entry || ++seen !== Number(nth)) return;
  if (target !== null) process.kill(target, 'SIGKILL');
  process.stdout.write(target === null ? 'no target\\n' : 'killed\\n');
  watcher.close();
  process.exit(0);
});
process.stdin.on('data', (chunk) => { target = Number(String(chunk).trim()); });
process.stdout.write('ready\\n');
`;

/**
 * Arms a killer that SIGKILLs the runner whose pid is given to `aim` at the `nth` inotify event for
 * `entry` in `dir` (the entry appearing, or going away). Resolves once the watch is in place.
 */
export async function armKiller(sandbox: Sandbox, dir: string, entry: string, nth: number): Promise<{ aim(pid: number | undefined): void }> {
  const killer = execa(process.execPath, ['-e', KILLER, dir, entry, String(nth)], { reject: false, buffer: false, stdin: 'pipe' });
  scopeOf(sandbox).processes.add(killer);
  await new Promise<void>((resolve, reject) => {
    killer.stdout?.once('data', () => resolve());
    killer.once('exit', () => reject(new Error('the killer exited before it was ready')));
  });
  return {
    aim(pid) {
      if (pid === undefined) throw new Error('the runner did not start');
      killer.stdin?.write(`${pid}\n`);
    },
  };
}

/** SIGKILLs the runner alone (not its group: the stand-in survives, as it does under a plain shell). */
export async function killRunner(child: ReturnType<typeof execa>): Promise<{ signal: string | undefined }> {
  if (child.pid === undefined || child.pid <= 0) throw new Error('the runner did not start');
  process.kill(child.pid, 'SIGKILL');
  const done = await child;
  return { signal: done.signal };
}

/** The stand-in the runner recorded in its lock (the runner is working on a clip). */
export function waitForStandIn(sandbox: Sandbox): Promise<number> {
  return waitFor('an ffmpeg pid in the lock', () => lockRecord(sandbox)?.ffmpegPid ?? null);
}

/** Waits until the stand-in running on a MEDIA.wait `source` has read it and waits for `<source>.go`. */
export function waitForWaitingClip(source: string): Promise<true> {
  return waitFor(`${source}.waiting`, () => (existsSync(`${source}.waiting`) ? true : null));
}

// ---------------------------------------------------------------------------------------------------
// Reads that leave no trace, and a probe of whether the runner read a file.

// O_NOATIME (owner or CAP_FOWNER only) keeps the suite's own reads from looking like the runner's.
const READ_QUIETLY = constants.O_RDONLY | (constants.O_NOATIME ?? 0);

function readQuietly(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(nodePathOf(path), READ_QUIETLY);
  } catch {
    fd = openSync(nodePathOf(path), constants.O_RDONLY);
  }
  try {
    const chunks: Buffer[] = [];
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return Buffer.concat(chunks);
      chunks.push(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

const UNREAD_ATIME = new Date('2000-01-01T00:00:00Z');

/** Sets an old access time (mtime kept), so that any later read of the file moves it (relatime). */
export function markUnread(path: string): void {
  utimesSync(path, UNREAD_ATIME, statSync(path).mtime);
}

/** Whether the file's data was read since markUnread(). Meaningful only when atimeTracksReads(). */
export function wasRead(path: string): boolean {
  return statSync(path).atimeMs !== UNREAD_ATIME.getTime();
}

/** Whether this filesystem records reads in atime (not mounted noatime), checked on a scratch file. */
export function atimeTracksReads(dir: string): boolean {
  const probe = join(dir, '.atime-probe');
  writeFileSync(probe, 'x');
  try {
    markUnread(probe);
    readFileSync(probe);
    return wasRead(probe);
  } finally {
    rmSync(probe);
  }
}

/** A result file, checked against the result schema. */
export function readResult(path: string): JobResult {
  const value: unknown = JSON.parse(readFileSync(nodePathOf(path), 'utf8'));
  if (!Value.Check(JobResultSchema, value)) throw new Error(`${path} does not match the result schema`);
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Snapshots of a real tree and the invariants of reliability.md section 3.

export type Kind = 'file' | 'directory' | 'symlink' | 'fifo' | 'other';

export interface Entry {
  readonly kind: Kind;
  readonly ino: number;
  /** Files: modification time; other kinds: 0 (a directory's mtime changes with its entries). */
  readonly mtimeMs: number;
  /** Files: sha256 of the bytes; symlinks: the target; others: ''. */
  readonly content: string;
}

/**
 * Relative path (from the snapshot's root) → entry, depth first, links never followed, FIFOs never opened.
 * Names are read as bytes: one that is not UTF-8 appears with its bytes as U+DC80–U+DCFF (path-bytes.ts).
 */
export type Snapshot = ReadonlyMap<string, Entry>;

function entryOf(path: string): Entry {
  const stat = lstatSync(nodePathOf(path));
  if (stat.isFile()) return { kind: 'file', ino: stat.ino, mtimeMs: stat.mtimeMs, content: createHash('sha256').update(readQuietly(path)).digest('hex') };
  if (stat.isSymbolicLink()) return { kind: 'symlink', ino: stat.ino, mtimeMs: 0, content: decodeName(readlinkSync(nodePathOf(path), { encoding: 'buffer' })) };
  if (stat.isDirectory()) return { kind: 'directory', ino: stat.ino, mtimeMs: 0, content: '' };
  return { kind: stat.isFIFO() ? 'fifo' : 'other', ino: stat.ino, mtimeMs: 0, content: '' };
}

export function snapshot(root: string): Snapshot {
  const entries = new Map<string, Entry>();
  const walk = (dir: string): void => {
    for (const name of namesIn(dir)) {
      const path = join(dir, name);
      const entry = entryOf(path);
      entries.set(relative(root, path), entry);
      if (entry.kind === 'directory') walk(path);
    }
  };
  walk(root);
  return entries;
}

function sameEntry(a: Entry, b: Entry): boolean {
  return a.kind === b.kind && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.content === b.content;
}

function show(entry: Entry | undefined): string {
  return entry === undefined ? 'nothing' : `${entry.kind} ino ${entry.ino}${entry.content === '' ? '' : ` ${entry.content.slice(0, 16)}`}`;
}

/** Entries under `dir/` (not `dir` itself), keyed relative to `dir`. */
function subtree(snap: Snapshot, dir: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const [path, entry] of snap) if (path.startsWith(`${dir}/`)) out.set(path.slice(dir.length + 1), entry);
  return out;
}

const isUnder = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

export type StateFolder = 'pending' | 'completed' | 'failed';

export interface Filed {
  readonly folder: StateFolder;
  /** The JobSpec's name where it is now (a collision suffix may have been added). */
  readonly name: string;
  /** The parsed result beside it; null in pending/. */
  readonly result: JobResult | null;
}

export interface InvariantOptions {
  /** Output directories inside the sandbox where new files may appear (default: the sandbox's out/). */
  readonly outputDirs?: readonly string[];
  /** Pre-existing paths (relative to the sandbox root) the runs may change or remove, e.g. a stale lock. */
  readonly mayChange?: readonly string[];
  /** New paths (relative) that may exist afterwards, e.g. the lock of a runner killed a moment ago. */
  readonly mayAppear?: readonly string[];
}

export interface InvariantReport {
  /** Every violation, one line each: a test expects this to be []. */
  readonly problems: string[];
  /** Where each JobSpec that existed before (by its original name) is now. */
  readonly filed: Map<string, Filed>;
}

/**
 * Reliability section 3 on the real tree, `before` being a snapshot of the sandbox root taken before the
 * runs and no runner being alive now:
 * 1. every JobSpec that was in pending/ or running/ is in exactly one of pending/, completed/, failed/,
 *    the same inode with the same bytes (a directory JobSpec: the same subtree);
 * 2. beside each filed one, exactly one result, which parses, matches the result schema, and whose
 *    final_status agrees with the folder;
 * 3. every other pre-existing entry is unchanged (kind, inode, bytes, mtime, link target);
 * 4. and 5. no other new entry anywhere in the sandbox except inside the output directories: no temp
 *    file, no lock, nothing written beside the watch folder.
 */
export function checkInvariants(sandbox: Sandbox, before: Snapshot, options: InvariantOptions = {}): InvariantReport {
  const root = sandbox.root;
  const after = snapshot(root);
  const problems: string[] = [];
  const filed = new Map<string, Filed>();
  const watch = relative(root, sandbox.watch);
  const outputs = (options.outputDirs ?? [sandbox.out]).map((dir) => relative(root, dir));
  const explained = new Set<string>(); // new paths accounted for
  const moved = new Set<string>(); // pre-existing paths of JobSpecs (and their subtrees), allowed to move

  const jobs = [...before].filter(([path]) => {
    const parts = path.split('/');
    return parts.length === 3 && parts[0] === watch && (parts[1] === 'pending' || parts[1] === 'running') && isJobSpecName(parts[2] ?? '');
  });

  for (const [path, entry] of jobs) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const stem = stemOf(name);
    const settledName = (other: string): boolean => isJobSpecName(other) && isFilingStemOf(stem, stemOf(other));
    moved.add(path);
    for (const inner of subtree(before, path).keys()) moved.add(`${path}/${inner}`);

    const places: Array<{ folder: StateFolder | 'running'; name: string; path: string }> = [];
    for (const folder of ['pending', 'running', 'completed', 'failed'] as const) {
      for (const [other, otherEntry] of after) {
        const parts = other.split('/');
        if (parts.length !== 3 || parts[0] !== watch || parts[1] !== folder || otherEntry.ino !== entry.ino) continue;
        const otherName = parts[2] ?? '';
        const here = folder === 'pending' || folder === 'running' ? otherName === name : settledName(otherName) && !before.has(other);
        if (here) places.push({ folder, name: otherName, path: other });
      }
    }
    if (places.length !== 1) {
      problems.push(`${path}: expected in exactly one of pending/, completed/, failed/, found in [${places.map((p) => p.path).join(', ')}]`);
      continue;
    }
    const [place] = places;
    if (place === undefined) continue;
    if (place.folder === 'running') {
      problems.push(`${path}: left in running/ with no runner alive`);
      continue;
    }
    const now = after.get(place.path);
    if (now === undefined || !sameEntry({ ...entry, mtimeMs: 0 }, { ...now, mtimeMs: 0 }) || (entry.kind === 'file' && entry.mtimeMs !== now.mtimeMs)) {
      problems.push(`${path}: changed on its way to ${place.path} (${show(entry)} -> ${show(now)})`);
    }
    const inside = subtree(after, place.path);
    const insideBefore = subtree(before, path);
    for (const [inner, innerEntry] of insideBefore) {
      const innerNow = inside.get(inner);
      if (innerNow === undefined || !sameEntry(innerEntry, innerNow)) problems.push(`${path}/${inner}: changed (${show(innerEntry)} -> ${show(innerNow)})`);
    }
    for (const inner of inside.keys()) {
      explained.add(`${place.path}/${inner}`);
      if (!insideBefore.has(inner)) problems.push(`${place.path}/${inner}: appeared inside a JobSpec directory`);
    }
    explained.add(place.path);

    let result: JobResult | null = null;
    if (place.folder !== 'pending') {
      const resultPath = `${watch}/${place.folder}/${resultNameOf(stemOf(place.name))}`;
      explained.add(resultPath);
      const resultEntry = after.get(resultPath);
      if (resultEntry?.kind !== 'file' || before.has(resultPath)) {
        problems.push(`${resultPath}: expected a new result file beside ${place.path}, found ${before.has(resultPath) ? 'a pre-existing entry' : show(resultEntry)}`);
      } else {
        try {
          result = readResult(join(root, resultPath));
          const agrees = place.folder === 'completed' ? result.final_status === 'COMPLETED' : result.final_status !== 'COMPLETED';
          if (!agrees) problems.push(`${resultPath}: final_status ${result.final_status} in ${place.folder}/`);
        } catch (error) {
          problems.push(`${resultPath}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    filed.set(name, { folder: place.folder, name: place.name, result });
  }

  const mayChange = new Set(options.mayChange ?? []);
  for (const [path, entry] of before) {
    if (moved.has(path) || mayChange.has(path)) continue;
    const now = after.get(path);
    if (now === undefined || !sameEntry(entry, now)) problems.push(`${path}: pre-existing entry changed (${show(entry)} -> ${show(now)})`);
  }

  const mayAppear = new Set(options.mayAppear ?? []);
  for (const path of after.keys()) {
    if (before.has(path) || explained.has(path) || mayAppear.has(path)) continue;
    if (outputs.some((dir) => isUnder(path, dir) && path !== dir)) continue;
    const where = isUnder(path, watch) ? 'in the watch folder' : 'outside the watch folder and the output directories';
    problems.push(`${path}: unexpected new entry ${where}`);
  }
  return { problems, filed };
}

/** Whether `name` is `<stem>.json` filed under a collision suffix (not under its own name). */
export function isSuffixedFilingOf(stem: string, name: string | undefined): boolean {
  return name !== undefined && isJobSpecName(name) && stemOf(name) !== stem && isFilingStemOf(stem, stemOf(name));
}

/** The names in a folder, sorted; a name that is not UTF-8 with its bytes as U+DC80–U+DCFF. */
export function namesIn(dir: string): string[] {
  return existsSync(nodePathOf(dir)) ? readdirSync(nodePathOf(dir), { encoding: 'buffer' }).map((name) => decodeName(name)).sort() : [];
}
