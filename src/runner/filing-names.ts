// Every name the runner gives a file, and the matcher that recognises it again, in this one module: the
// JobSpec and result names, the collision suffix of a destination, the private temp names (the result
// temp, the lock's temp and the lock moved aside) and the `.partial` FFmpeg writes. A rule changes here
// and nowhere else; callers never spell a suffix or a pattern themselves.

const JSON_SUFFIX = '.json';
const RESULT_SUFFIX = '.result.json';
const RESULT_TEMP_PREFIX = '.';
const RESULT_TEMP_SUFFIX = '.result.json.tmp';
const PARTIAL_SUFFIX = '.partial';

/** The usual limit of one path segment (ext4, XFS, btrfs, tmpfs, NTFS and exFAT in UTF-16 aside). */
export const NAME_MAX_BYTES = 255;

const byteLength = (name: string): number => Buffer.byteLength(name, 'utf8');

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

/**
 * The longest stem (in UTF-8 bytes) whose derived names all fit the usual 255-byte limit: the hidden
 * result temp file with a collision suffix, `.<stem>_YYYYMMDDTHHMMSSZ_NNNNN.result.json.tmp`.
 */
export const MAX_STEM_BYTES = NAME_MAX_BYTES - RESULT_TEMP_PREFIX.length - '_YYYYMMDDTHHMMSSZ'.length - `_${MAX_COUNTER}`.length - RESULT_TEMP_SUFFIX.length;

/** Whether a JobSpec of this name can be filed with its result beside it under every possible suffix. */
export function isFileableName(jobSpecName: string): boolean {
  return byteLength(stemOf(jobSpecName)) <= MAX_STEM_BYTES;
}

function stampOf(epochMs: number): string {
  return `_${new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}`;
}

/**
 * The stems a JobSpec `<stem>.json` may be filed under, best first: the stem itself, then with the UTC
 * stamp of `epochMs`, then with the stamp and a counter. The caller takes the first one that is free.
 */
export function* filingStems(stem: string, epochMs: number): Generator<string> {
  yield stem;
  const stamp = stampOf(epochMs);
  yield stem + stamp;
  for (let n = 2; n <= MAX_COUNTER; n += 1) yield `${stem}${stamp}_${n}`;
}

/** Whether `candidate` is one of the stems `filingStems(stem, …)` yields, at any instant. */
export function isFilingStemOf(stem: string, candidate: string): boolean {
  if (candidate === stem) return true;
  const match = COLLISION_SUFFIX.exec(candidate);
  return match !== null && match[1] === stem;
}

/** `text` with every collision stamp replaced by `_<UTCSTAMP>` (goldens compare runs made at other instants). */
export function maskStamps(text: string): string {
  return text.replace(STAMP, STAMP_MASK);
}

// --- The lock and its scratch names (all inside the watch folder itself) -------------------------------

export const LOCK_NAME = '.runner.lock';

/** The private temp file a runner writes its lock record to before linking or renaming it into place. */
export function lockTempNameOf(pid: number): string {
  return `${LOCK_NAME}.${pid}.tmp`;
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
