// File names as the runner's strings, losslessly. Linux names are bytes, and SMB shares and old tools
// write names that are not valid UTF-8; decoding those the usual way (U+FFFD) names no file at all. So a
// byte that is not part of valid UTF-8 is carried as the lone surrogate U+DC80–U+DCFF (Python's
// "surrogateescape", PEP 383): a valid UTF-8 name decodes to itself, every other name to a string that
// encodes back to exactly its bytes, and a lone surrogate can only have come from such a byte. In JSON
// (result files, goldens) such a byte reads `\udcNN`, where NN is the byte in hex.

const ESCAPE_BASE = 0xdc00;

/** The length of the UTF-8 sequence a lead byte starts, and the smallest code point it may encode. */
function sequenceOf(lead: number): { length: number; min: number } | null {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, min: 0x80 };
  if (lead >= 0xe0 && lead <= 0xef) return { length: 3, min: 0x800 };
  if (lead >= 0xf0 && lead <= 0xf4) return { length: 4, min: 0x10000 };
  return null;
}

/** The code point of a well-formed sequence at `at`, or null (overlong, surrogate, beyond U+10FFFF, cut short). */
function codePointAt(bytes: Uint8Array, at: number, length: number, min: number): number | null {
  const lead = bytes[at] ?? 0;
  let cp = lead & (0xff >> (length + 1));
  for (let i = 1; i < length; i += 1) {
    const next = bytes[at + i];
    if (next === undefined || (next & 0xc0) !== 0x80) return null;
    cp = (cp << 6) | (next & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return cp;
}

/** A file name's bytes as a string: UTF-8, with each byte outside a valid sequence as U+DC80–U+DCFF. */
export function decodeName(bytes: Uint8Array): string {
  let out = '';
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at] ?? 0;
    if (lead < 0x80) {
      out += String.fromCharCode(lead);
      at += 1;
      continue;
    }
    const sequence = sequenceOf(lead);
    const cp = sequence === null ? null : codePointAt(bytes, at, sequence.length, sequence.min);
    if (sequence === null || cp === null) {
      out += String.fromCharCode(ESCAPE_BASE + lead);
      at += 1;
    } else {
      out += String.fromCodePoint(cp);
      at += sequence.length;
    }
  }
  return out;
}

const utf8 = new TextEncoder();

/** The bytes a name (or path) stands for: the inverse of decodeName. */
export function encodeName(text: string): Uint8Array {
  if (text.isWellFormed()) return utf8.encode(text);
  const parts: number[] = [];
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= ESCAPE_BASE + 0x80 && unit <= ESCAPE_BASE + 0xff) parts.push(unit - ESCAPE_BASE);
    // Any other lone surrogate never came from decodeName; it is written the way Node would (U+FFFD).
    else parts.push(...utf8.encode(char));
  }
  return Uint8Array.from(parts);
}

/** Whether `text` carries bytes that are not UTF-8 (and so needs encodeName to reach the disk intact). */
export function hasEscapedBytes(text: string): boolean {
  return !text.isWellFormed();
}

/** The path to hand node:fs: the string itself, or a Buffer of its exact bytes when it carries escaped ones. */
export function nodePathOf(path: string): string | Buffer {
  return hasEscapedBytes(path) ? Buffer.from(encodeName(path)) : path;
}

/** The length in bytes of a name on disk. */
export function nameByteLength(text: string): number {
  return hasEscapedBytes(text) ? encodeName(text).length : Buffer.byteLength(text, 'utf8');
}
