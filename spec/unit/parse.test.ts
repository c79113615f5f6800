import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  jsonTypeName,
  normalizedCodec,
  normalizedContainer,
  normalizedResolution,
  parseJobSpec,
  type JobSpecParse,
} from '../../src/jobspec/parse.ts';

const C = 'JobSpec contract violation: ';
const KNOWN =
  'created_at, fps_explicit, fps_mode, job_id, jobspec_version, lut_applied, lut_engine, lut_id, ' +
  'naming_template, output_directory, proxy_profile, requires_resolve_edition, resolution, resolve_preset, ' +
  'resolved_tokens, sources, container, codec';
// The 18 known keys, sorted by code unit.
const KNOWN_SORTED = KNOWN.split(', ').sort().join(', ');

const BASE = {
  jobspec_version: '2.1',
  sources: ['/media/a.mov'],
  output_directory: '/out',
  codec: 'prores_proxy',
  container: 'mov',
  resolution: 'same',
  naming_template: '{source_name}_proxy',
};

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const hashId = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 8);

function parseText(text: string): JobSpecParse {
  return parseJobSpec(bytesOf(text));
}

function reasonFor(input: unknown): string {
  const result = parseText(JSON.stringify(input));
  if (result.ok) throw new Error('expected a failure');
  return result.reason;
}

function reasonOfBytes(bytes: Uint8Array): string {
  const result = parseJobSpec(bytes);
  return result.ok ? '' : result.reason;
}

const withFields = (fields: Record<string, unknown>): Record<string, unknown> => ({ ...BASE, ...fields });

describe('parseJobSpec: check 0, bytes and JSON', () => {
  it('rejects a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf(JSON.stringify(BASE))]);
    expect(parseJobSpec(bytes)).toEqual({
      ok: false,
      reason: 'Invalid JSON: file starts with a UTF-8 byte order mark',
      jobId: hashId(bytes),
    });
  });

  it('calls only the whole three-byte mark a byte order mark: a file that merely starts with 0xEF is invalid UTF-8', () => {
    for (const raw of [[0xef, 0x7b, 0x7d], [0x7b, 0xbb, 0x7d], [0x7b, 0x7d, 0xbf], [0xef, 0xbb, 0x7d]]) {
      expect(reasonOfBytes(new Uint8Array(raw)), raw.join(' ')).toBe('Invalid JSON: file is not valid UTF-8');
    }
  });

  it.each([
    ['a lone continuation byte', [0x7b, 0x80, 0x7d]],
    ['a truncated sequence', [0x22, 0xc3, 0x22]],
    ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
    ['an encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['0xff', [0xff]],
  ])('rejects invalid UTF-8: %s', (_name, raw) => {
    const bytes = new Uint8Array(raw);
    expect(parseJobSpec(bytes)).toEqual({ ok: false, reason: 'Invalid JSON: file is not valid UTF-8', jobId: hashId(bytes) });
  });

  it.each([
    ['', 'Invalid JSON: Unexpected end of input at line 1 column 1'],
    [' \n\t', 'Invalid JSON: Unexpected end of input at line 2 column 2'],
    ['\u0000\u0000', 'Invalid JSON: Unexpected character U+0000 at line 1 column 1'],
    ['{"a": 1} trailing', "Invalid JSON: Unexpected character 't' at line 1 column 10"],
    ['{"job_id": "x", "job_id": "y"}', "Invalid JSON: duplicate key 'job_id'"],
    ['['.repeat(100_000), 'Invalid JSON: nesting deeper than 64 levels'],
    ['{"fps_explicit": 1e400}', "Invalid JSON: number out of range '1e400' at line 1 column 18"],
  ])('reports the parser message for %j', (text, reason) => {
    const bytes = bytesOf(text);
    expect(parseJobSpec(bytes)).toEqual({ ok: false, reason, jobId: hashId(bytes) });
  });

  it('BOM wins over invalid UTF-8 (the BOM is checked first)', () => {
    const result = parseJobSpec(new Uint8Array([0xef, 0xbb, 0xbf, 0xff]));
    expect(result.ok ? '' : result.reason).toBe('Invalid JSON: file starts with a UTF-8 byte order mark');
  });
});

describe('parseJobSpec: checks 1–11 and their messages', () => {
  it.each([
    ['[]', 'array'],
    ['"x"', 'string'],
    ['2.1', 'number'],
    ['false', 'boolean'],
    ['null', 'null'],
  ])('1: %s is not an object', (text, type) => {
    const result = parseText(text);
    expect(result).toEqual({ ok: false, reason: `${C}JobSpec must be a JSON object, got ${type}`, jobId: hashId(bytesOf(text)) });
  });

  it('2: jobspec_version missing', () => {
    const { jobspec_version: _omitted, ...rest } = BASE;
    expect(reasonFor(rest)).toBe(
      `${C}Missing required field 'jobspec_version'. JobSpec contract requires explicit versioning. Expected version: 2.1`,
    );
  });

  it.each([
    [2.1, '2.1'],
    ['2.0', '"2.0"'],
    [null, 'null'],
    [['2.1'], '["2.1"]'],
    ['2.1 ', '"2.1 "'],
  ])('3: version %j is reported as its JSON text', (version, shown) => {
    expect(reasonFor(withFields({ jobspec_version: version }))).toBe(
      `${C}JobSpec version mismatch. Got version ${shown}, expected '2.1'. Version mismatches are hard failures to ` +
        'prevent silent incompatibility. If upgrading, regenerate the JobSpec with the current engine version.',
    );
  });

  it('4: unknown keys, sorted by code unit, with the 18 known keys', () => {
    expect(reasonFor(withFields({ zeta: 1, Alpha: 2, beta: 3 }))).toBe(
      `${C}Unknown fields in JobSpec: [Alpha, beta, zeta]. JobSpec contract does not allow unknown fields. ` +
        `Known fields are: [${KNOWN_SORTED}]`,
    );
  });

  it('4: __proto__ and constructor are unknown keys, and Object.prototype stays untouched', () => {
    const text = JSON.stringify(BASE).replace(/^\{/, '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}},');
    const result = parseText(text);
    expect(result.ok ? '' : result.reason).toMatch(
      new RegExp(`^${C}Unknown fields in JobSpec: \\[__proto__, constructor\\]\\. `),
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('5: missing required keys, sorted', () => {
    const { sources: _s, codec: _c, naming_template: _n, ...rest } = BASE;
    expect(reasonFor(rest)).toBe(`${C}Missing required fields in JobSpec: [codec, naming_template, sources]`);
  });

  it.each([
    ['sources', 'x', "expected array of strings, got string"],
    ['sources', ['a', 2, null], 'expected array of strings, got array containing number'],
    ['sources', [['a']], 'expected array of strings, got array containing array'],
    ['sources', [{}], 'expected array of strings, got array containing object'],
    ['codec', null, 'expected string, got null'],
    ['job_id', 7, 'expected string, got number'],
    ['fps_explicit', '24', 'expected number or null, got string'],
    ['proxy_profile', true, 'expected string or null, got boolean'],
    ['resolved_tokens', [], 'expected object, got array'],
    ['resolved_tokens', null, 'expected object, got null'],
    ['lut_applied', 'false', 'expected boolean, got string'],
    ['lut_engine', {}, 'expected string or null, got object'],
  ])('6: %s = %j', (key, value, text) => {
    expect(reasonFor(withFields({ [key]: value }))).toBe(`${C}Invalid type for field '${key}': ${text}`);
  });

  it('6: types are checked in sorted key order', () => {
    expect(reasonFor(withFields({ sources: 1, codec: 1, lut_applied: 1 }))).toBe(
      `${C}Invalid type for field 'codec': expected string, got number`,
    );
  });

  it('7: codec', () => {
    expect(reasonFor(withFields({ codec: 'ProRes' }))).toBe(
      `${C}Invalid codec 'ProRes'. Allowed values are: [av1, dnxhd, dnxhr, h264, h265, hevc, prores_4444, prores_hq, ` +
        'prores_lt, prores_proxy, prores_standard, vp9]',
    );
  });

  it.each(['avi', '..mov', 'mov.', ''])('8: container %j', (container) => {
    expect(reasonFor(withFields({ container }))).toBe(
      `${C}Invalid container '${container}'. Allowed values are: [mkv, mov, mp4, mxf, webm]`,
    );
  });

  it.each(['Explicit', 'same_as_source'])('9: fps_mode %j (case-sensitive)', (fps_mode) => {
    expect(reasonFor(withFields({ fps_mode }))).toBe(
      `${C}Invalid fps_mode '${fps_mode}'. Allowed values are: [explicit, same-as-source]`,
    );
  });

  it.each(['full', '1920x', '1920x1080p', '1920 x 1080', '-1x2'])('10: resolution %j', (resolution) => {
    expect(reasonFor(withFields({ resolution }))).toBe(
      `${C}Invalid resolution '${resolution}'. Must be one of [half, quarter, same] or explicit WIDTHxHEIGHT ` +
        "(e.g., '1920x1080')",
    );
  });

  it.each(['Free', 'pro'])('11: requires_resolve_edition %j (case-sensitive)', (edition) => {
    expect(reasonFor(withFields({ requires_resolve_edition: edition }))).toBe(
      `${C}Invalid requires_resolve_edition '${edition}'. Allowed values are: [either, free, studio]`,
    );
  });
});

describe('parseJobSpec: the first failing check wins', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['version beats unknown keys', { jobspec_version: '2.0', extra: 1 }, 'JobSpec version mismatch'],
    ['unknown keys beat missing keys', { extra: 1, codec: undefined }, 'Unknown fields in JobSpec'],
    ['missing keys beat types', { codec: undefined, sources: 'x' }, 'Missing required fields'],
    ['types beat enums', { codec: 'nope', sources: 'x' }, "Invalid type for field 'sources'"],
    ['codec beats container', { codec: 'nope', container: 'nope' }, 'Invalid codec'],
    ['container beats fps_mode', { container: 'nope', fps_mode: 'nope' }, 'Invalid container'],
    ['fps_mode beats resolution', { fps_mode: 'nope', resolution: 'nope' }, 'Invalid fps_mode'],
    ['resolution beats edition', { resolution: 'nope', requires_resolve_edition: 'nope' }, 'Invalid resolution'],
  ];
  it.each(cases)('%s', (_name, fields, start) => {
    // JSON.stringify drops undefined values, which is how a case removes a required key.
    expect(reasonFor(withFields(fields))).toMatch(new RegExp(`^${C}${start}`));
  });

  it('a non-object with two faults reports check 1', () => {
    expect(reasonFor([{ jobspec_version: '2.0' }])).toBe(`${C}JobSpec must be a JSON object, got array`);
  });
});

describe('parseJobSpec: accepted specs', () => {
  it('accepts the minimal spec, keeping raw spelling, with the hash job_id', () => {
    const text = JSON.stringify(withFields({ codec: 'PRORES_PROXY', container: '.MOV', resolution: '1920X1080' }));
    const result = parseText(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.jobId).toBe(hashId(bytesOf(text)));
    expect(result.jobId).toMatch(/^[0-9a-f]{8}$/);
    expect(result.spec.codec).toBe('PRORES_PROXY');
    expect(normalizedCodec(result.spec)).toBe('prores_proxy');
    expect(normalizedContainer(result.spec)).toBe('mov');
    expect(normalizedResolution(result.spec)).toBe('1920x1080');
  });

  it('accepts every optional field with its base type', () => {
    const full = withFields({
      job_id: 'job-1',
      fps_mode: 'explicit',
      fps_explicit: 23.976,
      proxy_profile: 'proxy_prores_proxy',
      resolve_preset: null,
      requires_resolve_edition: 'either',
      resolved_tokens: { a: 'b' },
      created_at: '2025-01-01T00:00:00Z',
      lut_id: null,
      lut_applied: false,
      lut_engine: null,
    });
    expect(parseText(JSON.stringify(full))).toMatchObject({ ok: true, jobId: 'job-1' });
  });

  it('rejects fps_explicit 2^53 + 1 as Invalid JSON instead of rounding it', () => {
    const text = JSON.stringify(withFields({ fps_mode: 'explicit', fps_explicit: 0 })).replace('"fps_explicit":0', '"fps_explicit":9007199254740993');
    expect(parseText(text)).toMatchObject({ ok: false, reason: expect.stringMatching(/^Invalid JSON: number '9007199254740993' cannot be represented exactly at line 1 column \d+$/) });
  });

  it.each([
    ['-0', '-0'],
    ['a negative rate', '-5'],
  ])('parses fps_explicit %s without a crash (section 6 judges the value)', (_name, literal) => {
    const text = JSON.stringify(withFields({ fps_mode: 'explicit', fps_explicit: 0 })).replace('"fps_explicit":0', `"fps_explicit":${literal}`);
    const result = parseText(text);
    expect(result.ok).toBe(true);
  });

  it('does not apply the ASCII-only case folding to look-alike characters', () => {
    // U+212A KELVIN SIGN lowercases to "k" with String#toLowerCase; it must not pass as "mkv".
    expect(reasonFor(withFields({ container: 'm\u212Av' }))).toBe(
      `${C}Invalid container 'm\u212Av'. Allowed values are: [mkv, mov, mp4, mxf, webm]`,
    );
  });
});

describe('parseJobSpec: job_id', () => {
  it("uses the file's string job_id even when a later check fails", () => {
    expect(parseText(JSON.stringify(withFields({ job_id: 'mine', codec: 'nope' })))).toMatchObject({ ok: false, jobId: 'mine' });
    expect(parseText(JSON.stringify({ job_id: 'mine', jobspec_version: '1' }))).toMatchObject({ ok: false, jobId: 'mine' });
  });

  it('falls back to the content hash when job_id is not a string, or the file is not an object', () => {
    const text = JSON.stringify(withFields({ job_id: 42 }));
    expect(parseText(text)).toMatchObject({ ok: false, jobId: hashId(bytesOf(text)) });
    expect(parseText('[{"job_id": "x"}]')).toMatchObject({ jobId: hashId(bytesOf('[{"job_id": "x"}]')) });
  });

  it('hashes the exact bytes, so whitespace changes the default id', () => {
    const a = parseText(JSON.stringify(BASE));
    const b = parseText(`${JSON.stringify(BASE)}\n`);
    expect(a.jobId).not.toBe(b.jobId);
    expect(parseText(JSON.stringify(BASE)).jobId).toBe(a.jobId);
  });

  it('hashes the empty file too', () => {
    expect(parseJobSpec(new Uint8Array()).jobId).toBe('e3b0c442');
  });
});

describe('jsonTypeName', () => {
  it.each([
    [null, 'null'],
    [[], 'array'],
    [{}, 'object'],
    [Object.create(null), 'object'],
    ['', 'string'],
    [-0, 'number'],
    [true, 'boolean'],
  ])('%j → %s', (value, name) => {
    expect(jsonTypeName(value)).toBe(name);
  });
});
