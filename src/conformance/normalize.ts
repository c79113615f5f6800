// The one normalisation every comparison uses (design section 2): what differs between two correct runs
// (time, the temp root, where FFmpeg lives) is replaced by a placeholder; everything else is kept.

import { createHash } from 'node:crypto';
import { isLockName, maskStamps } from '../runner/filing-names.ts';

export type TreeEntry = string | { $bytes: number; $sha256: string } | { $symlink: string } | { $dir: true } | NormalisedJson;
export type NormalisedJson = null | boolean | number | string | NormalisedJson[] | { [key: string]: NormalisedJson };
export type Tree = Record<string, TreeEntry>;

const TIME_KEYS = new Set(['started_at', 'completed_at', 'result_written_at', 'worker_started_at', 'recovered_at']);
const DURATION_KEYS = new Set(['duration_seconds']);

export interface NormaliseContext {
  readonly root: string;
  /** Masks the ids of shared runners of the host the scenario ran on (filing-names.ts's runnerIdMasker). */
  readonly maskRunnerIds?: (text: string) => string;
  /** Keep destination suffixes as they are (fault tests that must tell two stamped copies apart). */
  readonly keepStamps?: boolean;
}

export function normaliseString(text: string, ctx: NormaliseContext): string {
  // Ids first: a root that is a prefix of the host name (`/scenario`, `scenario-host`) must not split one.
  const rooted = (ctx.maskRunnerIds?.(text) ?? text).replaceAll(ctx.root, '{ROOT}');
  return ctx.keepStamps === true ? rooted : maskStamps(rooted);
}

/** Normalises a parsed result file. */
export function normaliseResult(value: unknown, ctx: NormaliseContext, key = ''): NormalisedJson {
  if (typeof value === 'string') return TIME_KEYS.has(key) ? '<TIME>' : normaliseString(value, ctx);
  if (typeof value === 'number') return DURATION_KEYS.has(key) ? '<DURATION>' : value;
  if (Array.isArray(value)) {
    const items = value.map((v) => normaliseResult(v, ctx));
    if (key === 'ffmpeg_command' && items.length > 0) items[0] = '<FFMPEG>';
    return items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseResult(v, ctx, k)]));
  }
  return value as NormalisedJson;
}

const TEXT_LIMIT = 64 * 1024;

/** Result files are the tree entries compared as parsed JSON (and, at `core`, only in part). */
export function isResultFile(path: string): boolean {
  return path.endsWith('.result.json');
}

/** One file's content as a tree entry: result files as normalised JSON, text as text, else a digest. */
export function normaliseFile(path: string, bytes: Uint8Array, ctx: NormaliseContext): TreeEntry {
  const isResult = isResultFile(path);
  let text: string | null = null;
  try {
    // Result files are always decoded: a large stderr tail must not turn one into an opaque digest.
    text = bytes.length <= TEXT_LIMIT || isResult ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : null;
  } catch {
    text = null;
  }
  if (text !== null && isResult) {
    try {
      return normaliseResult(JSON.parse(text), ctx);
    } catch {
      // An unparsable result file is itself a finding: show its text.
    }
  }
  if (text !== null && !text.includes('\u0000') && bytes.length <= TEXT_LIMIT) return normaliseString(text, ctx);
  return { $bytes: bytes.length, $sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Files the runner keeps for itself and that no other implementation is expected to mirror. */
export function isPrivateRunnerFile(relativePath: string): boolean {
  // The lock, the private temp file it is written through, and a stale lock being moved aside.
  const [folder, name, ...deeper] = relativePath.split('/');
  return folder === 'watch' && name !== undefined && deeper.length === 0 && isLockName(name);
}
