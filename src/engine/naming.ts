// Output naming (contract section 8): plain token substitution, then the safety rules that keep every
// output a single, harmless path segment inside the output directory. Pure: time comes in as numbers.

import { KNOWN_TOKENS } from '../jobspec/schema.ts';
import { MAX_OUTPUT_NAME_BYTES } from '../runner/filing-names.ts';
import { baseName, extensionOf } from './routing.ts';

export { KNOWN_TOKENS };


export interface NamingInput {
  readonly template: string;
  readonly sourcePath: string;
  readonly index: number;
  readonly jobId: string;
  readonly codec: string;
  readonly resolution: string;
  /** The instant names are resolved for, epoch ms, and the local zone's offset then, in minutes. */
  readonly atMs: number;
  readonly offsetMinutes: number;
}

/** Source file name without its last extension. */
export function sourceStem(path: string): string {
  const name = baseName(path);
  const ext = extensionOf(path);
  return ext === '' ? name : name.slice(0, name.length - ext.length - 1);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function localStamp(atMs: number, offsetMinutes: number): { date: string; time: string } {
  const local = new Date(atMs + offsetMinutes * 60_000);
  return {
    date: `${pad(local.getUTCFullYear(), 4)}${pad(local.getUTCMonth() + 1, 2)}${pad(local.getUTCDate(), 2)}`,
    time: `${pad(local.getUTCHours(), 2)}${pad(local.getUTCMinutes(), 2)}${pad(local.getUTCSeconds(), 2)}`,
  };
}

/** The output base name (without extension) for one clip. */
export function resolveOutputName(input: NamingInput): string {
  const { date, time } = localStamp(input.atMs, input.offsetMinutes);
  const values: Record<(typeof KNOWN_TOKENS)[number], string> = {
    '{source_name}': sourceStem(input.sourcePath),
    '{source_ext}': extensionOf(input.sourcePath),
    '{job_id}': input.jobId,
    '{date}': date,
    '{time}': time,
    '{index}': pad(input.index, 3),
    '{codec}': input.codec,
    '{resolution}': input.resolution,
  };
  // Substitute in one pass so a value that happens to contain "{index}" is not substituted again.
  let name = input.template.replace(/\{[^{}]*\}/g, (token) => (token in values ? values[token as keyof typeof values] : token));
  while (name.includes('__')) name = name.replaceAll('__', '_');
  name = name.replace(/^_+|_+$/g, '');
  return name === '' ? sourceStem(input.sourcePath) : name;
}

/**
 * Why `<name>.<extension>` is not a safe single path segment, or null when it is. The `.partial` name
 * FFmpeg writes first must fit the 255-byte limit too, or the clip would fail half-way instead of here.
 */
export function unsafeNameReason(name: string, extension: string): string | null {
  const file = `${name}.${extension}`;
  if (name === '.' || name === '..') return 'it is a relative directory name';
  if (/[/\\]/.test(file)) return 'it contains a path separator';
  // \p{Cc} covers C0, DEL and C1 (U+0080–U+009F: U+009B starts a terminal escape sequence).
  if (/\p{Cc}/u.test(file)) return 'it contains a control character';
  // A lone surrogate cannot be written as a file name: the disk would get U+FFFD, not this name.
  if (!file.isWellFormed()) return 'it is not valid Unicode';
  if (file.startsWith('-')) return "it starts with '-', which FFmpeg would read as an option";
  if (Buffer.byteLength(file, 'utf8') > MAX_OUTPUT_NAME_BYTES) return `it is longer than ${MAX_OUTPUT_NAME_BYTES} bytes`;
  return null;
}
