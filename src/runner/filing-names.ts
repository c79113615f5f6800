// Every name the runner gives a file, and the matcher that recognises it again, in this one module: the
// JobSpec and result names, the collision suffix of a destination, the private temp names (the result
// temp, the lock's temp and the lock moved aside) and the `.partial` FFmpeg writes. A rule changes here
// and nowhere else; callers never spell a suffix or a pattern themselves.
//
// Lengths are bytes on disk (path-bytes.ts: a name that is not UTF-8 counts its real bytes). The result
// `<stem>.result.json` is the longest name derived from a stem, and the private temp name is no longer,
// so any stem of at most 255 − 12 bytes is filed under its own name. A longer stem (a JobSpec name may
// have 255 bytes) and any name with a collision suffix that would not fit are shortened: the stem is cut
// at a character boundary to make room for the suffix, so the filed name is the original's beginning
// plus the stamp. The result's `jobspec_path` keeps the full original name.

import { nameByteLength } from '../path-bytes.ts';

const JSON_SUFFIX = '.json';
const RESULT_SUFFIX = '.result.json';
const RESULT_TEMP_PREFIX = '.';
const RESULT_TEMP_SUFFIX = '.result.tmp';
const PARTIAL_SUFFIX = '.partial';

/** The usual limit of one path segment (ext4, XFS, btrfs, tmpfs, NTFS and exFAT in UTF-16 aside). */
export const NAME_MAX_BYTES = 255;

/** The longest stem whose result name (and so every other name derived from it) fits one segment. */
const MAX_STEM_BYTES = NAME_MAX_BYTES - RESULT_SUFFIX.length;

// --- JobSpecs and results -----------------------------------------------------------------------------

/** A JobSpec name: ends in `.json` (case-sensitive) but not in `.result.json`. Dot-files count. */
export function isJobSpecName(name: string): boolean {
  return name.endsWith(JSON_SUFFIX) && !name.endsWith(RESULT_SUFFIX);
}

export function stemOf(jobSpecName: string): string {
  return jobSpecName.slice(0, -JSON_SUFFIX.length);
}

export function jobSpecNameOf(stem: string): string {
  return stem + JSON_SUFFIX;
}

export function resultNameOf(stem: string): string {
  return stem + RESULT_SUFFIX;
}

/** The stem of a result name, or null when `name` is not one. */
export function stemOfResultName(name: string): string | null {
  return name.endsWith(RESULT_SUFFIX) ? name.slice(0, -RESULT_SUFFIX.length) : null;
}

/** The hidden temp name the result of `<stem>.json` is written under before it is published. */
export function resultTempNameOf(stem: string): string {
  return RESULT_TEMP_PREFIX + stem + RESULT_TEMP_SUFFIX;
}

/** The stem whose result a temp file stands for, or null when `name` is not a result temp name. */
export function stemOfResultTemp(name: string): string | null {
  if (name.length < RESULT_TEMP_PREFIX.length + RESULT_TEMP_SUFFIX.length) return null;
  if (!name.startsWith(RESULT_TEMP_PREFIX) || !name.endsWith(RESULT_TEMP_SUFFIX)) return null;
  // The stem may be empty: `.json` is a JobSpec name like any other.
  return name.slice(RESULT_TEMP_PREFIX.length, -RESULT_TEMP_SUFFIX.length);
}

// --- The collision suffix: `_<YYYYMMDDTHHMMSSZ>`, then `_<stamp>_2`, `_<stamp>_3`, … -------------------

const MAX_COUNTER = 99_999;
const STAMP = /_\d{8}T\d{6}Z/g;
const COLLISION_SUFFIX = /^(.*)(_\d{8}T\d{6}Z)(?:_([2-9]|[1-9]\d{1,4}))?$/s;
export const STAMP_MASK = '_<UTCSTAMP>';

/** `stem` cut (never inside a character) to at most `maxBytes` bytes on disk. */
function cutTo(stem: string, maxBytes: number): string {
  if (nameByteLength(stem) <= maxBytes) return stem;
  let cut = '';
  let bytes = 0;
  for (const char of stem) {
    const size = nameByteLength(char);
    if (bytes + size > maxBytes) break;
    cut += char;
    bytes += size;
  }
  return cut;
}

/** `stem` plus `suffix`, the stem shortened as far as needed for the result name to fit. */
function withSuffix(stem: string, suffix: string): string {
  return cutTo(stem, MAX_STEM_BYTES - suffix.length) + suffix;
}

function stampOf(epochMs: number): string {
  return `_${new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}`;
}

/**
 * The stems a JobSpec `<stem>.json` may be filed under, best first: the stem itself (when its result name
 * fits), then with the UTC stamp of `epochMs`, then with the stamp and a counter, each shortened as far as
 * its result name needs. The caller takes the first one that is free.
 */
export function* filingStems(stem: string, epochMs: number): Generator<string> {
  if (nameByteLength(stem) <= MAX_STEM_BYTES) yield stem;
  const stamp = stampOf(epochMs);
  yield withSuffix(stem, stamp);
  for (let n = 2; n <= MAX_COUNTER; n += 1) yield withSuffix(stem, `${stamp}_${n}`);
}

/** Whether `candidate` is one of the stems `filingStems(stem, …)` yields, at any instant. */
export function isFilingStemOf(stem: string, candidate: string): boolean {
  if (candidate === stem) return nameByteLength(stem) <= MAX_STEM_BYTES;
  const match = COLLISION_SUFFIX.exec(candidate);
  if (match === null) return false;
  const suffix = candidate.slice((match[1] ?? '').length);
  return candidate === withSuffix(stem, suffix);
}

/** `text` with every collision stamp replaced by `_<UTCSTAMP>` (goldens compare runs made at other instants). */
export function maskStamps(text: string): string {
  return text.replace(STAMP, STAMP_MASK);
}

// --- Shared runners' ids (--shared: membership.ts names a lease and a folder after one) ------------------

/** The host name as a name part: letters, digits, dots and dashes only. */
function hostPartOf(host: string): string {
  return host.replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
}

/** `<host>-<pid>-<start in base 36>`: what tells the runners of one folder apart (R11.28). */
export function runnerIdOf(host: string, pid: number, startedMs: number): string {
  return `${hostPartOf(host)}-${pid}-${startedMs.toString(36)}`;
}

export const RUNNER_ID_MASK = '<RUNNER>';

/**
 * What replaces the id of every runner of `host` in a text by `<RUNNER>`: its pid and start differ between
 * two correct runs, as a collision stamp does (a runner of another host, say one a scenario's tree names,
 * stays).
 */
export function runnerIdMasker(host: string): (text: string) => string {
  const part = hostPartOf(host).replace(/[.]/g, '\\.');
  const id = new RegExp(`(?<![A-Za-z0-9-])${part}-\\d+-[0-9a-z]+(?![A-Za-z0-9])`, 'g');
  return (text) => text.replace(id, RUNNER_ID_MASK);
}

// --- The lock and its scratch names (all inside the watch folder itself) -------------------------------

export const LOCK_NAME = '.runner.lock';

/** The private temp file a runner writes its lock record to before linking or renaming it into place. */
export function lockTempNameOf(pid: number): string {
  return `${LOCK_NAME}.${pid}.tmp`;
}

/**
 * The temp a --shared runner writes the shared marker to: named by its runner id, since pids of runners on
 * different hosts (or in different PID namespaces: all pid 1) are the same number.
 */
export function sharedLockTempNameOf(runnerId: string): string {
  return `${LOCK_NAME}.${runnerId}.tmp`;
}

/** Where a runner moves a stale lock aside to check that it took the very lock it judged stale. */
export function lockAsideNameOf(pid: number): string {
  return `${LOCK_NAME}.stale.${pid}`;
}

const LOCK_SCRATCH = /^\.runner\.lock\.(?:(\d+)\.tmp|stale\.(\d+))$/;

/** The pid in a lock temp or aside name, or null when `name` is neither. */
export function pidOfLockScratch(name: string): number | null {
  const match = LOCK_SCRATCH.exec(name);
  if (match === null) return null;
  return Number(match[1] ?? match[2]);
}

/** The lock or one of its scratch names: the runner's own business, never a job's. */
export function isLockName(name: string): boolean {
  return name === LOCK_NAME || pidOfLockScratch(name) !== null;
}

// --- FFmpeg's partial output ----------------------------------------------------------------------------

export function partialPathOf(outputPath: string): string {
  return outputPath + PARTIAL_SUFFIX;
}

/** The longest output name (extension included) whose `.partial` still fits one path segment. */
export const MAX_OUTPUT_NAME_BYTES = NAME_MAX_BYTES - PARTIAL_SUFFIX.length;
