// Turns scenario tree entries into concrete filesystem entries (see scenario.ts for the language),
// with the placeholders replaced: {ROOT} (the scenario's root), {LIVE_PID} and {HOST} (a live process
// on this host, for "another runner holds the lock" scenarios).

import { encodeMedia } from './media.ts';
import type { MediaDescriptor } from './media.ts';
import { isSpecialShaped } from './scenario.ts';

export interface Placeholders {
  readonly root: string;
  readonly livePid: number;
  readonly host: string;
}

export type Materialised =
  | { readonly kind: 'file'; readonly bytes: Uint8Array }
  | { readonly kind: 'directory' }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'hardlink'; readonly to: string };

export function substitute(text: string, p: Placeholders): string {
  return text.replaceAll('{ROOT}', p.root).replaceAll('{LIVE_PID}', String(p.livePid)).replaceAll('{HOST}', p.host);
}

function substituteDeep(value: unknown, p: Placeholders): unknown {
  if (typeof value === 'string') return substitute(value, p);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, p));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, p)]));
  }
  return value;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** JSON files in scenarios are written exactly like this, so content hashes (default job_id) agree. */
export function jsonFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function materialise(entry: unknown, p: Placeholders): Materialised {
  if (typeof entry === 'string') return { kind: 'file', bytes: utf8(substitute(entry, p)) };
  if (isSpecialShaped(entry)) {
    const [key, value] = Object.entries(entry)[0] ?? ['', null];
    switch (key) {
      case '$json':
        return { kind: 'file', bytes: utf8(jsonFileText(substituteDeep(value, p))) };
      case '$media':
        return { kind: 'file', bytes: utf8(encodeMedia(value as MediaDescriptor)) };
      case '$dir':
        return { kind: 'directory' };
      case '$symlink':
        return { kind: 'symlink', target: substitute(String(value), p) };
      case '$hardlink':
        return { kind: 'hardlink', to: String(value) };
      case '$base64':
        return { kind: 'file', bytes: new Uint8Array(Buffer.from(String(value), 'base64')) };
      case '$size':
        return { kind: 'file', bytes: new Uint8Array(Number(value)) };
    }
  }
  return { kind: 'file', bytes: utf8(jsonFileText(substituteDeep(entry, p))) };
}

/** Tree paths in the order they must be created: directories and link targets before what needs them. */
export function creationOrder(tree: Record<string, unknown>): string[] {
  const paths = Object.keys(tree).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const isLink = (path: string): boolean => isSpecialShaped(tree[path]) && '$hardlink' in (tree[path] as object);
  return [...paths.filter((p) => !isLink(p)), ...paths.filter(isLink)];
}
