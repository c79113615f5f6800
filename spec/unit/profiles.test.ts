import { describe, it, expect } from 'vitest';
import { PROFILE_NAMES, findProfile, scaleFilter, type FfmpegProfile } from '../../src/engine/profiles.ts';

// The runner's FFmpeg profiles, written out independently of the implementation. They pin the runner's
// argv, which differs from the profile table of contract section 7 where the real-FFmpeg suite (spec/ffmpeg)
// found the table's args wrong; a one-line comment at each difference says why (scale filters: last test).
const FFMPEG_TABLE: ReadonlyArray<Omit<FfmpegProfile, 'engine'>> = [
  {
    name: 'proxy_h264_low',
    codec: 'h264',
    container: 'mp4',
    muxer: 'mp4',
    scale: 'half',
    // + `-pix_fmt yuv420p`: an RGB or 4:4:4 source would otherwise give "High 4:4:4 Predictive" H.264.
    videoArgs: ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p'],
    audioArgs: ['-c:a', 'aac', '-b:a', '192k'],
  },
  {
    name: 'proxy_h264_quarter',
    codec: 'h264',
    container: 'mp4',
    muxer: 'mp4',
    scale: 'quarter',
    // + `-pix_fmt yuv420p`, as above.
    videoArgs: ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p'],
    audioArgs: ['-c:a', 'aac', '-b:a', '192k'],
  },
  {
    name: 'proxy_prores_proxy',
    codec: 'prores_proxy',
    container: 'mov',
    muxer: 'mov',
    scale: 'same',
    // + `-pix_fmt yuv422p10le`: an RGB or 4:4:4 source would otherwise give a 4:4:4 ProRes "Proxy".
    videoArgs: ['-c:v', 'prores_ks', '-profile:v', '0', '-pix_fmt', 'yuv422p10le'],
    audioArgs: ['-c:a', 'copy'],
  },
  {
    name: 'proxy_prores_lt',
    codec: 'prores_lt',
    container: 'mov',
    muxer: 'mov',
    scale: 'same',
    // + `-pix_fmt yuv422p10le`, as above.
    videoArgs: ['-c:v', 'prores_ks', '-profile:v', '1', '-pix_fmt', 'yuv422p10le'],
    audioArgs: ['-c:a', 'copy'],
  },
  {
    name: 'proxy_dnxhr_lb',
    codec: 'dnxhr',
    container: 'mxf',
    muxer: 'mxf',
    scale: 'same',
    // + `-pix_fmt yuv422p`: DNxHR LB refuses to start on an RGB source ("pixel format is incompatible").
    videoArgs: ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p'],
    // + `-ar 48000`: FFmpeg's MXF muxer only carries 48 kHz audio ("only 48khz is implemented").
    audioArgs: ['-c:a', 'pcm_s16le', '-ar', '48000'],
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

  it.each(FFMPEG_TABLE)("$name is an FFmpeg profile with exactly the runner's args", (row) => {
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

  // Not the table's `scale=iw/2:ih/2` / `scale=iw/4:ih/4`: rounded down to even sizes, because libx264 in
  // 4:2:0 refuses an odd width or height (330x250 halves to 165x125).
  it('gives the even-size scale filters', () => {
    expect(scaleFilter('half')).toBe('scale=trunc(iw/4)*2:trunc(ih/4)*2');
    expect(scaleFilter('quarter')).toBe('scale=trunc(iw/8)*2:trunc(ih/8)*2');
    expect(scaleFilter('same')).toBeNull();
  });
});
