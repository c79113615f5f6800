// The tree-entry language of scenario files (spec/README.md, "Tree entries") and the one writer of it.
// Every entry reduces to its exact form first: JSON values and media descriptors become the exact text of
// their file, which is how suite/ stores them (any language can reproduce those bytes without mimicking
// JavaScript's JSON.stringify). Then the placeholders {ROOT}, {LIVE_PID} and {HOST} are replaced in that
// text, and each filesystem (memfs in the harness, the real disk in the conformance runner) only creates
// the entries, in the order and with the mtime given here.

import { dirname, join } from 'node:path';
import { encodeMedia } from './media.ts';
import type { MediaDescriptor } from './media.ts';

export interface Placeholders {
  readonly root: string;
  readonly livePid: number;
  readonly host: string;
}

/** A tree entry as suite/ stores it: a file's exact text, or an entry that is not JSON text. */
export type ExactEntry =
  | string
  | { readonly $base64: string }
  | { readonly $size: number }
  | { readonly $dir: true }
  | { readonly $symlink: string }
  | { readonly $hardlink: string };

export type Materialised =
  | { readonly kind: 'file'; readonly bytes: Uint8Array }
  | { readonly kind: 'directory' }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'hardlink'; readonly to: string };

/** True for an object with a single key that starts with `$` (the special-entry shape). */
export function isSpecialShaped(entry: unknown): entry is Record<string, unknown> {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return false;
  const keys = Object.keys(entry);
  return keys.length === 1 && (keys[0] ?? '').startsWith('$');
}

export function substitute(text: string, p: Placeholders): string {
  return text.replaceAll('{ROOT}', p.root).replaceAll('{LIVE_PID}', String(p.livePid)).replaceAll('{HOST}', p.host);
}

/** JSON files in scenarios are written exactly like this, so content hashes (default job_id) agree. */
export function jsonFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The `$` entries that are not JSON text, so they keep their shape in the exact form. */
const NON_TEXT_KEYS: readonly string[] = ['$base64', '$size', '$dir', '$symlink', '$hardlink'];

/** The exact form of an entry: `$json`, `$media` and any other JSON value as the text of their file. */
export function exactEntry(entry: unknown): ExactEntry {
  if (typeof entry === 'string') return entry;
  if (isSpecialShaped(entry) && '$json' in entry) return jsonFileText(entry.$json);
  if (isSpecialShaped(entry) && '$media' in entry) return encodeMedia(entry.$media as MediaDescriptor);
  // scenarioProblems has checked these shapes against SpecialEntrySchema.
  if (isSpecialShaped(entry) && NON_TEXT_KEYS.some((key) => key in entry)) return entry as ExactEntry;
  return jsonFileText(entry);
}

/** Every entry of a tree (or of a `write` step) in its exact form, keys in their order. */
export function exactEntries(entries: Readonly<Record<string, unknown>>): Record<string, ExactEntry> {
  return Object.fromEntries(Object.entries(entries).map(([path, entry]) => [path, exactEntry(entry)]));
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function materialise(entry: unknown, p: Placeholders): Materialised {
  const exact = exactEntry(entry);
  if (typeof exact === 'string') return { kind: 'file', bytes: utf8(substitute(exact, p)) };
  if ('$dir' in exact) return { kind: 'directory' };
  if ('$symlink' in exact) return { kind: 'symlink', target: substitute(exact.$symlink, p) };
  if ('$hardlink' in exact) return { kind: 'hardlink', to: exact.$hardlink };
  if ('$base64' in exact) return { kind: 'file', bytes: new Uint8Array(Buffer.from(exact.$base64, 'base64')) };
  return { kind: 'file', bytes: new Uint8Array(exact.$size) };
}

/** Tree paths in the order they must be created: directories and link targets before what needs them. */
export function creationOrder(tree: Readonly<Record<string, unknown>>): string[] {
  const paths = Object.keys(tree).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const isLink = (path: string): boolean => isSpecialShaped(tree[path]) && '$hardlink' in (tree[path] as object);
  return [...paths.filter((p) => !isLink(p)), ...paths.filter(isLink)];
}

/** One entry ready to be created: its path relative to the scenario root and what it becomes. */
export interface PlacedEntry {
  readonly path: string;
  readonly made: Materialised;
}

/** Entries materialised once, in creation order. */
export function placeEntries(entries: Readonly<Record<string, unknown>>, p: Placeholders): PlacedEntry[] {
  return creationOrder(entries).map((path) => ({ path, made: materialise(entries[path], p) }));
}

/** The five calls that create entries, as node:fs and a memfs volume both name them. */
export interface EntryMaker {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  writeFileSync(path: string, data: Uint8Array): void;
  symlinkSync(target: string, path: string): void;
  linkSync(existingPath: string, newPath: string): void;
  utimesSync(path: string, atime: number, mtime: number): void;
}

/** Creates placed entries under `root`; every entry but a symlink gets the mtime `mtimeSeconds`. */
export function createEntries(maker: EntryMaker, root: string, placed: readonly PlacedEntry[], mtimeSeconds: number): void {
  for (const { path: relative, made } of placed) {
    const path = join(root, relative);
    maker.mkdirSync(made.kind === 'directory' ? path : dirname(path), { recursive: true });
    if (made.kind === 'file') maker.writeFileSync(path, made.bytes);
    if (made.kind === 'symlink') maker.symlinkSync(made.target, path);
    if (made.kind === 'hardlink') maker.linkSync(join(root, made.to), path);
    if (made.kind !== 'symlink') maker.utimesSync(path, mtimeSeconds, mtimeSeconds);
  }
}
