import { describe, it, expect } from 'vitest';
import { PROFILE_NAMES, findProfile, scaleFilter, type FfmpegProfile } from '../../src/engine/profiles.ts';

// Contract section 7, the profile table, written out independently of the implementation.
const FFMPEG_TABLE: ReadonlyArray<Omit<FfmpegProfile, 'engine'>> = [
  {
    name: 'proxy_h264_low',
    codec: 'h264',
    container: 'mp4',
    muxer: 'mp4',
    scale: 'half',
    videoArgs: ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium'],
    audioArgs: ['-c:a', 'aac', '-b:a', '192k'],
  },
  {
    name: 'proxy_h264_quarter',
    codec: 'h264',
    container: 'mp4',
    muxer: 'mp4',
    scale: 'quarter',
    videoArgs: ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium'],
    audioArgs: ['-c:a', 'aac', '-b:a', '192k'],
  },
  {
    name: 'proxy_prores_proxy',
    codec: 'prores_proxy',
    container: 'mov',
    muxer: 'mov',
    scale: 'same',
    videoArgs: ['-c:v', 'prores_ks', '-profile:v', '0'],
    audioArgs: ['-c:a', 'copy'],
  },
  {
    name: 'proxy_prores_lt',
    codec: 'prores_lt',
    container: 'mov',
    muxer: 'mov',
    scale: 'same',
    videoArgs: ['-c:v', 'prores_ks', '-profile:v', '1'],
    audioArgs: ['-c:a', 'copy'],
  },
  {
    name: 'proxy_dnxhr_lb',
    codec: 'dnxhr',
    container: 'mxf',
    muxer: 'mxf',
    scale: 'same',
    videoArgs: ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb'],
    audioArgs: ['-c:a', 'pcm_s16le'],
  },
];

const RESOLVE_NAMES = [
  'proxy_prores_proxy_resolve',
  'proxy_prores_lt_resolve',
  'proxy_prores_hq_resolve',
  'proxy_dnxhr_lb_resolve',
  'proxy_dnxhr_sq_resolve',
];

describe('proxy profiles', () => {
  it('knows exactly ten profiles, listed in code-unit order', () => {
    expect([...PROFILE_NAMES]).toEqual([
      'proxy_dnxhr_lb',
      'proxy_dnxhr_lb_resolve',
      'proxy_dnxhr_sq_resolve',
      'proxy_h264_low',
      'proxy_h264_quarter',
      'proxy_prores_hq_resolve',
      'proxy_prores_lt',
      'proxy_prores_lt_resolve',
      'proxy_prores_proxy',
      'proxy_prores_proxy_resolve',
    ]);
    expect(new Set(PROFILE_NAMES).size).toBe(10);
    expect([...PROFILE_NAMES]).toEqual([...FFMPEG_TABLE.map((p) => p.name), ...RESOLVE_NAMES].sort());
  });

  it('sorts with plain < (not localeCompare), so "_" (0x5F) sorts before lowercase letters', () => {
    const sorted = [...PROFILE_NAMES].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect([...PROFILE_NAMES]).toEqual(sorted);
    // proxy_dnxhr_lb is a prefix of proxy_dnxhr_lb_resolve, so it comes first.
    expect(PROFILE_NAMES.indexOf('proxy_dnxhr_lb')).toBeLessThan(PROFILE_NAMES.indexOf('proxy_dnxhr_lb_resolve'));
  });

  it.each(FFMPEG_TABLE)('$name is an FFmpeg profile exactly as in the contract table', (row) => {
    const profile = findProfile(row.name);
    expect(profile).toEqual({ ...row, engine: 'ffmpeg' });
  });

  it.each(RESOLVE_NAMES)('%s is a Resolve profile', (name) => {
    expect(findProfile(name)).toEqual({ name, engine: 'resolve' });
  });

  it('finds nothing for unknown, differently-cased or prototype names', () => {
    expect(findProfile('proxy_h264_medium')).toBeUndefined();
    expect(findProfile('PROXY_H264_LOW')).toBeUndefined();
    expect(findProfile('')).toBeUndefined();
    expect(findProfile('__proto__')).toBeUndefined();
    expect(findProfile('constructor')).toBeUndefined();
    expect(findProfile('toString')).toBeUndefined();
  });

  it('gives the scale filters of the table', () => {
    expect(scaleFilter('half')).toBe('scale=iw/2:ih/2');
    expect(scaleFilter('quarter')).toBe('scale=iw/4:ih/4');
    expect(scaleFilter('same')).toBeNull();
  });
});
