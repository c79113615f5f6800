// These tests pin the runner's argv literally. It follows the order of contract section 7 but differs from
// the contract's profile table in these ways, each a finding of the real-FFmpeg suite (spec/ffmpeg):
// - half/quarter scale to even sizes, `scale=trunc(iw/4)*2:trunc(ih/4)*2` / `trunc(iw/8)*2:trunc(ih/8)*2`:
//   libx264 in 4:2:0 refuses odd sizes, which `iw/2:ih/2` gives for 330x250.
// - every profile pins `-pix_fmt` (yuv420p H.264, yuv422p10le ProRes, yuv422p DNxHR LB): otherwise an RGB
//   or 4:4:4 source gives a High 4:4:4 H.264 proxy, a 4:4:4 ProRes, or a DNxHR LB encoder that will not start.
// - DNxHR LB audio is `-c:a pcm_s16le -ar 48000`: FFmpeg's MXF muxer only carries 48 kHz.
// - `-r` writes 23.976, 29.97, 59.94, … as N000/1001: `-r 29.97` is 2997/100, not NTSC, and MXF refuses it.

import { describe, it, expect } from 'vitest';
import { DEMUXER_WHITELIST, buildFfmpegArgv, formatNumber } from '../../src/engine/command.ts';
import { findProfile, type FfmpegProfile } from '../../src/engine/profiles.ts';

const WL = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts';
const HEAD = ['-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file', '-format_whitelist', WL, '-i'];

function ffmpegProfile(name: string): FfmpegProfile {
  const p = findProfile(name);
  if (p === undefined || p.engine !== 'ffmpeg') throw new Error(`not an FFmpeg profile: ${name}`);
  return p;
}

const argv = (profile: string, fps: number | null = null, source = '/media/in.mov', partialOutput = '/out/o.ext.partial'): string[] =>
  buildFfmpegArgv({ ffmpeg: '/usr/bin/ffmpeg', profile: ffmpegProfile(profile), source, partialOutput, fps });

describe("FFmpeg argv (contract section 7's order; the runner's profile args)", () => {
  it('uses the contract demuxer whitelist', () => {
    expect(DEMUXER_WHITELIST).toBe(WL);
  });

  describe('each FFmpeg profile, without -r', () => {
    it('proxy_h264_low', () => {
      expect(argv('proxy_h264_low', null, '/media/in.mov', '/out/in_proxy.mp4.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mov',
        '-vf', 'scale=trunc(iw/4)*2:trunc(ih/4)*2',
        '-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p',
        '-c:a', 'aac', '-b:a', '192k',
        '-f', 'mp4', '/out/in_proxy.mp4.partial',
      ]);
    });

    it('proxy_h264_quarter', () => {
      expect(argv('proxy_h264_quarter', null, '/media/in.mov', '/out/in_proxy.mp4.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mov',
        '-vf', 'scale=trunc(iw/8)*2:trunc(ih/8)*2',
        '-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p',
        '-c:a', 'aac', '-b:a', '192k',
        '-f', 'mp4', '/out/in_proxy.mp4.partial',
      ]);
    });

    it('proxy_prores_proxy', () => {
      expect(argv('proxy_prores_proxy', null, '/media/in.mxf', '/out/in_proxy.mov.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mxf',
        '-c:v', 'prores_ks', '-profile:v', '0', '-pix_fmt', 'yuv422p10le',
        '-c:a', 'copy',
        '-f', 'mov', '/out/in_proxy.mov.partial',
      ]);
    });

    it('proxy_prores_lt', () => {
      expect(argv('proxy_prores_lt', null, '/media/in.mkv', '/out/in_proxy.mov.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mkv',
        '-c:v', 'prores_ks', '-profile:v', '1', '-pix_fmt', 'yuv422p10le',
        '-c:a', 'copy',
        '-f', 'mov', '/out/in_proxy.mov.partial',
      ]);
    });

    it('proxy_dnxhr_lb', () => {
      expect(argv('proxy_dnxhr_lb', null, '/media/in.mp4', '/out/in_proxy.mxf.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mp4',
        '-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p',
        '-c:a', 'pcm_s16le', '-ar', '48000',
        '-f', 'mxf', '/out/in_proxy.mxf.partial',
      ]);
    });
  });

  describe('each FFmpeg profile, with -r (after the audio args, before -f)', () => {
    it('proxy_h264_low at 25', () => {
      expect(argv('proxy_h264_low', 25, '/media/in.mov', '/out/in_proxy.mp4.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mov',
        '-vf', 'scale=trunc(iw/4)*2:trunc(ih/4)*2',
        '-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p',
        '-c:a', 'aac', '-b:a', '192k',
        '-r', '25',
        '-f', 'mp4', '/out/in_proxy.mp4.partial',
      ]);
    });

    it('proxy_h264_quarter at 23.976 (as 24000/1001)', () => {
      expect(argv('proxy_h264_quarter', 23.976, '/media/in.mov', '/out/in_proxy.mp4.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mov',
        '-vf', 'scale=trunc(iw/8)*2:trunc(ih/8)*2',
        '-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p',
        '-c:a', 'aac', '-b:a', '192k',
        '-r', '24000/1001',
        '-f', 'mp4', '/out/in_proxy.mp4.partial',
      ]);
    });

    it('proxy_prores_proxy at 29.97 (as 30000/1001)', () => {
      expect(argv('proxy_prores_proxy', 29.97, '/media/in.mov', '/out/in_proxy.mov.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mov',
        '-c:v', 'prores_ks', '-profile:v', '0', '-pix_fmt', 'yuv422p10le',
        '-c:a', 'copy',
        '-r', '30000/1001',
        '-f', 'mov', '/out/in_proxy.mov.partial',
      ]);
    });

    it('proxy_prores_lt at 50', () => {
      expect(argv('proxy_prores_lt', 50, '/media/in.mov', '/out/in_proxy.mov.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mov',
        '-c:v', 'prores_ks', '-profile:v', '1', '-pix_fmt', 'yuv422p10le',
        '-c:a', 'copy',
        '-r', '50',
        '-f', 'mov', '/out/in_proxy.mov.partial',
      ]);
    });

    it('proxy_dnxhr_lb at 24', () => {
      expect(argv('proxy_dnxhr_lb', 24, '/media/in.mov', '/out/in_proxy.mxf.partial')).toEqual([
        '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
        '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
        '-i', 'file:/media/in.mov',
        '-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p',
        '-c:a', 'pcm_s16le', '-ar', '48000',
        '-r', '24',
        '-f', 'mxf', '/out/in_proxy.mxf.partial',
      ]);
    });
  });

  it('proxy_dnxhr_lb at 29.97 (as 30000/1001, which MXF carries)', () => {
    expect(argv('proxy_dnxhr_lb', 29.97, '/media/in.mov', '/out/in_proxy.mxf.partial')).toEqual([
      '/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file',
      '-format_whitelist', 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts',
      '-i', 'file:/media/in.mov',
      '-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p',
      '-c:a', 'pcm_s16le', '-ar', '48000',
      '-r', '30000/1001',
      '-f', 'mxf', '/out/in_proxy.mxf.partial',
    ]);
  });

  it.each([
    [59.94, '60000/1001'],
    [47.952, '48000/1001'],
    [119.88, '120000/1001'],
    [30, '30'],
    [12.5, '12.5'],
    [29.9, '29.9'],
    [29.98, '29.98'],
  ])('-r for fps %s is %j, just before -f', (fps, rate) => {
    expect(argv('proxy_prores_lt', fps).slice(-5)).toEqual(['-r', rate, '-f', 'mov', '/out/o.ext.partial']);
  });

  it('uses the given ffmpeg path as argv[0]', () => {
    const a = buildFfmpegArgv({ ffmpeg: 'ffmpeg', profile: ffmpegProfile('proxy_prores_lt'), source: '/a.mov', partialOutput: '/o.mov.partial', fps: null });
    expect(a[0]).toBe('ffmpeg');
    expect(a.slice(1, 1 + HEAD.length)).toEqual(HEAD);
  });

  describe('the source is always one file:-prefixed argument', () => {
    it.each([
      ['an option', '-i'],
      ['an option with a value', '-y'],
      ['a concat protocol', 'concat:a.mov|b.mov'],
      ['an http URL', 'http://x'],
      ['a pipe', 'pipe:0'],
      ['a path with spaces and quotes', "/m/my clip 'final'.mov"],
      ['a path with a shell metacharacter', '/m/$(rm -rf ~);.mov'],
      ['a file: path already', 'file:/m/a.mov'],
    ])('%s: %j', (_label, source) => {
      const a = buildFfmpegArgv({ ffmpeg: 'ffmpeg', profile: ffmpegProfile('proxy_h264_low'), source, partialOutput: '/o.mp4.partial', fps: null });
      const i = a.indexOf('-i');
      expect(i).toBe(1 + HEAD.length - 1);
      expect(a[i + 1]).toBe(`file:${source}`);
      // The source never appears as an argument of its own (for "-i" only the real flag does).
      expect(a.filter((arg) => arg === source)).toEqual(source === '-i' ? ['-i'] : []);
      expect(a.filter((arg) => arg === `file:${source}`)).toHaveLength(1);
      // Nothing was split or added: the same length as for an ordinary path.
      expect(a).toHaveLength(27);
    });

    it('a source literally named "-i" stays a single argument and -i appears exactly once', () => {
      const a = argv('proxy_prores_proxy', null, '-i', '/o.mov.partial');
      expect(a.filter((arg) => arg === '-i')).toHaveLength(1);
      expect(a).toContain('file:-i');
    });
  });

  it('the partial output is the last argument, as given', () => {
    const a = argv('proxy_dnxhr_lb', 24, '/m/a.mov', '/out/-weird name.mxf.partial');
    expect(a.at(-1)).toBe('/out/-weird name.mxf.partial');
    expect(a.at(-2)).toBe('mxf');
    expect(a.at(-3)).toBe('-f');
  });

  it('does not share or mutate the profile arrays', () => {
    const p = ffmpegProfile('proxy_h264_low');
    const before = [...p.videoArgs, ...p.audioArgs];
    const a = buildFfmpegArgv({ ffmpeg: 'ffmpeg', profile: p, source: '/a.mov', partialOutput: '/o.mp4.partial', fps: 30 });
    a.push('x');
    expect([...p.videoArgs, ...p.audioArgs]).toEqual(before);
  });

  describe('fps formatting', () => {
    it('formats integers and decimals like JSON numbers', () => {
      expect(formatNumber(25)).toBe('25');
      expect(formatNumber(23.976)).toBe('23.976');
      expect(formatNumber(29.97)).toBe('29.97');
      expect(formatNumber(0.5)).toBe('0.5');
      expect(formatNumber(24000 / 1001)).toBe(String(24000 / 1001));
    });

    it('keeps the sign of -0 (String(-0) would print "0")', () => {
      expect(String(-0)).toBe('0');
      expect(formatNumber(-0)).toBe('-0');
      expect(formatNumber(0)).toBe('0');
    });

    it('-r -0 in the argv when fps is -0', () => {
      const a = argv('proxy_prores_lt', -0);
      const r = a.indexOf('-r');
      expect(r).toBeGreaterThan(0);
      expect(a[r + 1]).toBe('-0');
    });

    it('-r 0 in the argv when fps is 0 (null, not falsiness, means "no -r")', () => {
      const a = argv('proxy_prores_lt', 0);
      expect(a[a.indexOf('-r') + 1]).toBe('0');
    });
  });
});
