import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeName, encodeName, hasEscapedBytes, nameByteLength, nodePathOf } from '../../src/path-bytes.ts';

describe('names as strings, losslessly (surrogateescape)', () => {
  it('valid UTF-8 decodes to itself, with no escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(decodeName(bytes)).toBe(text);
        expect(hasEscapedBytes(decodeName(bytes))).toBe(false);
      }),
    );
  });

  it('any bytes decode to a string that encodes back to exactly those bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const name = decodeName(bytes);
        expect(encodeName(name)).toEqual(Uint8Array.from(bytes));
        expect(nameByteLength(name)).toBe(bytes.length);
      }),
    );
  });

  it('each byte outside a valid sequence becomes U+DC80–U+DCFF: Latin-1, stray continuations, overlongs, encoded surrogates, cut sequences', () => {
    expect(decodeName(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]))).toBe('caf\udce9');
    expect(decodeName(Uint8Array.from([0x80, 0x41]))).toBe('\udc80A');
    expect(decodeName(Uint8Array.from([0xc0, 0xaf]))).toBe('\udcc0\udcaf'); // overlong '/'
    expect(decodeName(Uint8Array.from([0xed, 0xb3, 0xbf]))).toBe('\udced\udcb3\udcbf'); // U+DCFF itself, encoded
    expect(decodeName(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe('\udcf4\udc90\udc80\udc80'); // beyond U+10FFFF
    expect(decodeName(Uint8Array.from([0xe2, 0x82]))).toBe('\udce2\udc82'); // '€' cut short
    expect(decodeName(Uint8Array.from([0xe2, 0x82, 0xac, 0xff]))).toBe('€\udcff');
  });

  it('a lone surrogate that no byte stands for is written as U+FFFD, as Node would', () => {
    expect(encodeName('a\ud800b')).toEqual(Uint8Array.from([0x61, 0xef, 0xbf, 0xbd, 0x62]));
    expect(encodeName('\udc41')).toEqual(Uint8Array.from([0xef, 0xbf, 0xbd]));
  });

  it('node:fs gets the string for a valid name and the exact bytes otherwise', () => {
    expect(nodePathOf('/w/pending/café.json')).toBe('/w/pending/café.json');
    expect(nodePathOf('/w/caf\udce9')).toEqual(Buffer.from([0x2f, 0x77, 0x2f, 0x63, 0x61, 0x66, 0xe9]));
  });
});
