import { describe, expect, it } from 'vitest';
import { createTailBuffer } from '../../../src/adapters/stderr-tail.ts';

const LIMIT = 64 * 1024;

describe('createTailBuffer', () => {
  it('keeps exactly the last 64 KiB of 10 MB pushed in odd-sized chunks', () => {
    const total = 10 * 1024 * 1024;
    // ASCII so bytes and characters coincide; position-dependent so any misplaced byte shows.
    const source = new Uint8Array(total).map((_, i) => 0x21 + ((i * 7 + (i >> 9)) % 94));
    const tail = createTailBuffer();
    const sizes = [1, 7, 4093, 65_535, 65_536, 65_537, 131_071, 13];
    let at = 0;
    for (let i = 0; at < total; i += 1) {
      const size = sizes[i % sizes.length] ?? 1;
      tail.push(source.subarray(at, Math.min(total, at + size)));
      at += size;
    }
    const expected = new TextDecoder().decode(source.subarray(total - LIMIT));
    const got = tail.text();
    expect(got.length).toBe(LIMIT);
    expect(got === expected).toBe(true);
  });

  it('returns everything while under the limit, and empty when nothing was pushed', () => {
    const tail = createTailBuffer(16);
    expect(tail.text()).toBe('');
    tail.push(new TextEncoder().encode('héllo '));
    tail.push(new Uint8Array(0));
    tail.push(new TextEncoder().encode('wörld'));
    expect(tail.text()).toBe('héllo wörld');
  });

  it('drops a character cut in half by the limit instead of starting with U+FFFD', () => {
    // '€' is 3 bytes (e2 82 ac); a limit of 5 keeps "82 ac" + "abc" of "€abc" preceded by "x".
    const tail = createTailBuffer(5);
    tail.push(new TextEncoder().encode('x€'));
    tail.push(new TextEncoder().encode('abc'));
    expect(tail.text()).toBe('abc');
    // A 4-byte character cut after its lead byte: three continuation bytes dropped.
    const emoji = createTailBuffer(4);
    emoji.push(new TextEncoder().encode('😀z'));
    expect(emoji.text()).toBe('z');
  });

  it('keeps a whole multibyte character that exactly fits at the front', () => {
    // 'aa€abc' is 8 bytes; the last 6 are exactly '€abc'.
    const tail = createTailBuffer(6);
    tail.push(new TextEncoder().encode('aa€abc'));
    expect(tail.text()).toBe('€abc');
    // Truncated to exactly the lead byte of a multibyte character: nothing to drop.
    const lead = createTailBuffer(7);
    lead.push(new TextEncoder().encode('yz€abc'));
    expect(lead.text()).toBe('z€abc');
  });

  it('handles one chunk far larger than the limit', () => {
    const tail = createTailBuffer(8);
    tail.push(new TextEncoder().encode('0123'));
    tail.push(new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz'));
    expect(tail.text()).toBe('stuvwxyz');
    tail.push(new TextEncoder().encode('12'));
    expect(tail.text()).toBe('uvwxyz12');
  });

  it('rejects a non-positive limit', () => {
    expect(() => createTailBuffer(0)).toThrow(RangeError);
  });
});
