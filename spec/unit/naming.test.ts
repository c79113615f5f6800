import { describe, it, expect } from 'vitest';
import { KNOWN_TOKENS, resolveOutputName, sourceStem, unsafeNameReason, type NamingInput } from '../../src/engine/naming.ts';
import { partialPathOf } from '../../src/runner/filing-names.ts';

// 2025-12-28T12:00:05.000Z
const NOON = Date.UTC(2025, 11, 28, 12, 0, 5);

const BASE: NamingInput = {
  template: '{source_name}',
  sourcePath: '/media/Clip_A.MOV',
  index: 0,
  jobId: 'job42',
  codec: 'PRORES_PROXY',
  resolution: 'Half',
  atMs: NOON,
  offsetMinutes: 0,
};

const name = (overrides: Partial<NamingInput>): string => resolveOutputName({ ...BASE, ...overrides });

describe('output naming: tokens', () => {
  it('knows exactly the eight contract tokens', () => {
    expect([...KNOWN_TOKENS]).toEqual(['{source_name}', '{source_ext}', '{job_id}', '{date}', '{time}', '{index}', '{codec}', '{resolution}']);
  });

  it('{source_name} is the file name without its last extension', () => {
    expect(name({ template: '{source_name}' })).toBe('Clip_A');
    expect(name({ template: '{source_name}', sourcePath: '/m/archive.tar.mov' })).toBe('archive.tar');
    expect(name({ template: '{source_name}', sourcePath: '/m.d/noext' })).toBe('noext');
  });

  it('{source_ext} is the extension without the dot, in its original case', () => {
    expect(name({ template: '{source_name}.{source_ext}' })).toBe('Clip_A.MOV');
    expect(name({ template: 'x{source_ext}', sourcePath: '/m/a.mXf' })).toBe('xmXf');
  });

  it('{job_id} is the job id', () => {
    expect(name({ template: 'p-{job_id}' })).toBe('p-job42');
  });

  it('{date} is YYYYMMDD and {time} is HHMMSS', () => {
    expect(name({ template: '{date}' })).toBe('20251228');
    expect(name({ template: '{time}' })).toBe('120005');
    expect(name({ template: '{date}T{time}' })).toBe('20251228T120005');
  });

  it('{date}/{time} pad single digits', () => {
    expect(name({ template: '{date}-{time}', atMs: Date.UTC(2026, 0, 2, 3, 4, 5, 999) })).toBe('20260102-030405');
  });

  it('{index} is the 0-based position, three digits', () => {
    expect(name({ template: '{index}', index: 0 })).toBe('000');
    expect(name({ template: '{index}', index: 7 })).toBe('007');
    expect(name({ template: '{index}', index: 42 })).toBe('042');
    expect(name({ template: '{index}', index: 999 })).toBe('999');
    expect(name({ template: '{index}', index: 1000 })).toBe('1000');
  });

  it('{codec} and {resolution} are the raw JobSpec values', () => {
    expect(name({ template: '{codec}-{resolution}' })).toBe('PRORES_PROXY-Half');
    expect(name({ template: '{resolution}', resolution: '1920x1080' })).toBe('1920x1080');
  });

  it('substitutes every occurrence of a token', () => {
    expect(name({ template: '{index}-{index}-{source_name}-{source_name}', index: 3 })).toBe('003-003-Clip_A-Clip_A');
  });

  it('substitutes all eight tokens together', () => {
    expect(
      name({ template: '{source_name}.{source_ext}.{job_id}.{date}.{time}.{index}.{codec}.{resolution}', index: 12 }),
    ).toBe('Clip_A.MOV.job42.20251228.120005.012.PRORES_PROXY.Half');
  });

  it('leaves text without tokens alone', () => {
    expect(name({ template: 'fixed name' })).toBe('fixed name');
  });
});

describe('output naming: {date}/{time} from atMs and the zone offset', () => {
  it('applies a positive offset', () => {
    expect(name({ template: '{date}_{time}', offsetMinutes: 120 })).toBe('20251228_140005');
  });

  it('applies a negative offset', () => {
    expect(name({ template: '{date}_{time}', offsetMinutes: -300 })).toBe('20251228_070005');
  });

  it('rolls over to the next day with +120', () => {
    // 2025-12-28T23:30:15Z is 2025-12-29 01:30:15 at +02:00.
    expect(name({ template: '{date}_{time}', atMs: Date.UTC(2025, 11, 28, 23, 30, 15), offsetMinutes: 120 })).toBe('20251229_013015');
  });

  it('rolls back to the previous day with -300', () => {
    // 2025-12-28T02:10:05Z is 2025-12-27 21:10:05 at -05:00.
    expect(name({ template: '{date}_{time}', atMs: Date.UTC(2025, 11, 28, 2, 10, 5), offsetMinutes: -300 })).toBe('20251227_211005');
  });

  it('rolls over the year with +120 and back over it with -300', () => {
    expect(name({ template: '{date}_{time}', atMs: Date.UTC(2025, 11, 31, 22, 0, 0), offsetMinutes: 120 })).toBe('20260101_000000');
    expect(name({ template: '{date}_{time}', atMs: Date.UTC(2026, 0, 1, 4, 59, 59), offsetMinutes: -300 })).toBe('20251231_235959');
  });

  it('handles a leap day and non-whole-hour offsets', () => {
    expect(name({ template: '{date}_{time}', atMs: Date.UTC(2024, 1, 28, 23, 0, 0), offsetMinutes: 330 })).toBe('20240229_043000');
  });

  it('does not depend on the process time zone (only on offsetMinutes)', () => {
    // vitest runs with TZ=UTC; a different offset must change the result regardless.
    expect(name({ template: '{time}', offsetMinutes: 0 })).toBe('120005');
    expect(name({ template: '{time}', offsetMinutes: 60 })).toBe('130005');
  });
});

describe('output naming: underscores and fallback', () => {
  it('collapses __ to _', () => {
    expect(name({ template: 'a__b' })).toBe('a_b');
  });

  it('collapses repeatedly (three or more underscores end as one)', () => {
    expect(name({ template: 'a___b' })).toBe('a_b');
    expect(name({ template: 'a____b' })).toBe('a_b');
    expect(name({ template: 'a_______b__c' })).toBe('a_b_c');
  });

  it('collapses underscores produced by substitution', () => {
    expect(name({ template: '{source_name}__{index}', sourcePath: '/m/clip__.mov' })).toBe('clip_000');
    expect(name({ template: '{job_id}_{index}', jobId: 'x_' })).toBe('x_000');
  });

  it('strips leading and trailing underscores', () => {
    expect(name({ template: '_a_' })).toBe('a');
    expect(name({ template: '___a_b___' })).toBe('a_b');
    expect(name({ template: '_{source_name}_', sourcePath: '/m/_x_.mov' })).toBe('x');
  });

  it('falls back to the source stem when the result is empty', () => {
    expect(name({ template: '' })).toBe('Clip_A');
    expect(name({ template: '_' })).toBe('Clip_A');
    expect(name({ template: '_____' })).toBe('Clip_A');
    expect(name({ template: '{job_id}', jobId: '__' })).toBe('Clip_A');
  });

  it('the fallback is the raw stem (not itself collapsed or stripped)', () => {
    expect(name({ template: '', sourcePath: '/m/__a__b__.mov' })).toBe('__a__b__');
  });
});

describe('output naming: substitution happens once', () => {
  it('a value containing {index} is not substituted again', () => {
    expect(name({ template: '{source_name}_{index}', sourcePath: '/m/clip{index}.mov', index: 4 })).toBe('clip{index}_004');
  });

  it('a value containing other tokens is not substituted again', () => {
    expect(name({ template: '{job_id}', jobId: '{date}{codec}' })).toBe('{date}{codec}');
    expect(name({ template: '{codec}', codec: '{source_name}' })).toBe('{source_name}');
  });

  it('leaves unknown tokens as written (validation rejects them earlier)', () => {
    expect(name({ template: '{nope}-{index}' })).toBe('{nope}-000');
    expect(name({ template: '{toString}{constructor}{valueOf}' })).toBe('{toString}{constructor}{valueOf}');
    // __ inside an unknown token collapses like any other.
    expect(name({ template: '{__proto__}' })).toBe('{_proto_}');
  });

  it('a token inside extra braces is still substituted', () => {
    expect(name({ template: '{{index}}' })).toBe('{000}');
  });
});

describe('sourceStem', () => {
  it('drops only the last extension', () => {
    expect(sourceStem('/a/b.c.mov')).toBe('b.c');
    expect(sourceStem('/a/b')).toBe('b');
    expect(sourceStem('/a/.hidden')).toBe('.hidden');
    expect(sourceStem('/a/.hidden.mov')).toBe('.hidden');
    expect(sourceStem('rel.MP4')).toBe('rel');
  });
});

describe('output naming: safety (contract section 8)', () => {
  const SEP = 'it contains a path separator';
  const DOTS = 'it is a relative directory name';
  const CTRL = 'it contains a control character';
  const DASH = "it starts with '-', which FFmpeg would read as an option";
  const LONG = 'it is longer than 247 bytes';

  it('accepts ordinary names', () => {
    expect(unsafeNameReason('Clip_A_proxy', 'mov')).toBeNull();
    expect(unsafeNameReason('a b (1) [x] {y}', 'mp4')).toBeNull();
    expect(unsafeNameReason('...', 'mxf')).toBeNull();
    expect(unsafeNameReason('.hidden', 'mov')).toBeNull();
    expect(unsafeNameReason('a-b', 'mov')).toBeNull();
    expect(unsafeNameReason('café_日本_😀', 'mov')).toBeNull();
  });

  it.each(['a/b', '/abs', 'a/', '../x', 'x/..'])('rejects / in %j', (n) => {
    expect(unsafeNameReason(n, 'mov')).toBe(SEP);
  });

  it.each(['a\\b', '\\abs', 'a\\', '..\\x'])('rejects \\ in %j', (n) => {
    expect(unsafeNameReason(n, 'mov')).toBe(SEP);
  });

  it('rejects . and ..', () => {
    expect(unsafeNameReason('.', 'mov')).toBe(DOTS);
    expect(unsafeNameReason('..', 'mov')).toBe(DOTS);
  });

  it.each([
    ['NUL', '\u0000'],
    ['SOH', '\u0001'],
    ['TAB', '\t'],
    ['LF', '\n'],
    ['CR', '\r'],
    ['ESC', '\u001b'],
    ['US', '\u001f'],
    ['DEL', '\u007f'],
  ])('rejects the control character %s anywhere', (_label, c) => {
    expect(unsafeNameReason(`a${c}b`, 'mov')).toBe(CTRL);
    expect(unsafeNameReason(`${c}ab`, 'mov')).toBe(CTRL);
    expect(unsafeNameReason(`ab${c}`, 'mov')).toBe(CTRL);
  });

  // BUG / contract deviation (possible): contract section 8 says "no NUL or other control character". The
  // Unicode control characters (general category Cc) are U+0000–U+001F and U+007F–U+009F, but naming.ts only
  // rejects /[\u0000-\u001f\u007f]/, so C1 controls such as U+0085 (NEL) and U+009B (CSI, a terminal escape
  // introducer) pass. Marked it.fails until the contract or naming.ts settles which set is meant.
  it('rejects C1 control characters (U+0080–U+009F) too', () => {
    expect(unsafeNameReason('a\u0085b', 'mov')).toBe(CTRL);
    expect(unsafeNameReason('a\u009bb', 'mov')).toBe(CTRL);
  });

  it('rejects a leading - (FFmpeg would read it as an option)', () => {
    expect(unsafeNameReason('-i', 'mov')).toBe(DASH);
    expect(unsafeNameReason('-', 'mov')).toBe(DASH);
    expect(unsafeNameReason('--help', 'mp4')).toBe(DASH);
    expect(unsafeNameReason('a-', 'mov')).toBeNull();
  });

  it('a source named like an option resolves to an unsafe name', () => {
    const n = resolveOutputName({ ...BASE, template: '{source_name}', sourcePath: '/m/-y.mov' });
    expect(n).toBe('-y');
    expect(unsafeNameReason(n, 'mov')).toBe(DASH);
  });

  describe('length: <name>.<ext>.partial must fit 255 UTF-8 bytes', () => {
    // "<name>.mov.partial" = name + 12 bytes, so a name may have at most 243 bytes.
    const MAX_ASCII = 255 - '.mov'.length - '.partial'.length;

    it('the arithmetic: 243-byte name + ".mov" + ".partial" is exactly 255 bytes', () => {
      expect(MAX_ASCII).toBe(243);
      expect(Buffer.byteLength(`${'a'.repeat(MAX_ASCII)}.mov.partial`, 'utf8')).toBe(255);
    });

    it('a name of exactly the maximum length passes; one more byte fails', () => {
      expect(unsafeNameReason('a'.repeat(MAX_ASCII), 'mov')).toBeNull();
      expect(unsafeNameReason('a'.repeat(MAX_ASCII + 1), 'mov')).toBe(LONG);
    });

    it('counts the extension', () => {
      // The profile extensions are all three letters; a longer one would shorten the name budget.
      expect(unsafeNameReason('a'.repeat(MAX_ASCII), 'mp4')).toBeNull();
      expect(unsafeNameReason('a'.repeat(MAX_ASCII), 'mxf')).toBeNull();
      expect(unsafeNameReason('a'.repeat(MAX_ASCII - 1), 'webm')).toBeNull();
      expect(unsafeNameReason('a'.repeat(MAX_ASCII), 'webm')).toBe(LONG);
    });

    it('counts UTF-8 bytes, not UTF-16 code units: 2-byte characters', () => {
      // é is 2 bytes: 121 × é + 'a' = 243 bytes (122 code units).
      expect(unsafeNameReason(`${'é'.repeat(121)}a`, 'mov')).toBeNull();
      expect(unsafeNameReason(`${'é'.repeat(121)}ab`, 'mov')).toBe(LONG);
      expect(unsafeNameReason('é'.repeat(122), 'mov')).toBe(LONG);
    });

    it('counts UTF-8 bytes: 3-byte characters', () => {
      // € is 3 bytes: 81 × € = 243 bytes but only 81 code units.
      expect('€'.repeat(81)).toHaveLength(81);
      expect(unsafeNameReason('€'.repeat(81), 'mov')).toBeNull();
      expect(unsafeNameReason(`${'€'.repeat(81)}a`, 'mov')).toBe(LONG);
    });

    it('counts UTF-8 bytes: 4-byte characters (surrogate pairs)', () => {
      // 😀 is 4 bytes and 2 code units: 60 × 😀 + 'abc' = 243 bytes.
      expect(unsafeNameReason(`${'😀'.repeat(60)}abc`, 'mov')).toBeNull();
      expect(unsafeNameReason(`${'😀'.repeat(60)}abcd`, 'mov')).toBe(LONG);
      expect(unsafeNameReason('😀'.repeat(61), 'mov')).toBe(LONG);
    });
  });

  it('partialPathOf appends .partial', () => {
    expect(partialPathOf('/out/a.mov')).toBe('/out/a.mov.partial');
  });
});
