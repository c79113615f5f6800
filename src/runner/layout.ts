// Where things live inside a watch folder. One place, so no module spells a folder name itself.

import { join } from 'node:path';

export interface Layout {
  readonly root: string;
  readonly pending: string;
  readonly running: string;
  readonly completed: string;
  readonly failed: string;
  readonly lock: string;
}

export const STATE_FOLDERS = ['pending', 'running', 'completed', 'failed'] as const;

export function layoutOf(root: string): Layout {
  return {
    root,
    pending: join(root, 'pending'),
    running: join(root, 'running'),
    completed: join(root, 'completed'),
    failed: join(root, 'failed'),
    lock: join(root, '.runner.lock'),
  };
}

const JSON_SUFFIX = '.json';
const RESULT_SUFFIX = '.result.json';

/** A JobSpec name: ends in `.json` (case-sensitive) but not in `.result.json`. Dot-files count. */
export function isJobSpecName(name: string): boolean {
  return name.endsWith(JSON_SUFFIX) && !name.endsWith(RESULT_SUFFIX);
}

/**
 * The longest stem (in UTF-8 bytes) whose derived names all fit the usual 255-byte limit: the hidden
 * result temp file with a collision suffix, `.<stem>_YYYYMMDDTHHMMSSZ_NNNNN.result.json.tmp`.
 */
export const MAX_STEM_BYTES = 255 - '.'.length - '_YYYYMMDDTHHMMSSZ'.length - '_NNNNN'.length - '.result.json'.length - '.tmp'.length;

/** Whether a JobSpec of this name can be filed with its result beside it under every possible suffix. */
export function isFileableName(jobSpecName: string): boolean {
  return Buffer.byteLength(stemOf(jobSpecName), 'utf8') <= MAX_STEM_BYTES;
}

export function stemOf(jobSpecName: string): string {
  return jobSpecName.slice(0, -JSON_SUFFIX.length);
}

export function resultNameOf(stem: string): string {
  return stem + RESULT_SUFFIX;
}

/** UTF-16 code-unit order (plain `<`), never locale order: `10.json` < `9.json` < `B.json` < `a.json`. */
export { compareCodeUnits as byCodeUnits } from '../jobspec/schema.ts';
