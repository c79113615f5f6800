import { describe, it, expect, vi } from 'vitest';
import type { JobSpec } from '../../src/jobspec/schema.ts';
import type { FfmpegProfile } from '../../src/engine/profiles.ts';
import { selectProfile } from '../../src/engine/select-profile.ts';

// No shipped profile produces h265/hevc, so the h265 ≡ hevc rule could never be observed through the real
// table. Two test-only profiles are added to findProfile (all real profiles pass through unchanged).
vi.mock('../../src/engine/profiles.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/profiles.ts')>();
  const fake = (name: string, codec: string): FfmpegProfile => ({
    name,
    engine: 'ffmpeg',
    codec,
    container: 'mp4',
    muxer: 'mp4',
    scale: 'same',
    videoArgs: ['-c:v', 'libx265'],
    audioArgs: ['-c:a', 'copy'],
  });
  const extra: Record<string, FfmpegProfile> = {
    test_only_h265: fake('test_only_h265', 'h265'),
    test_only_hevc: fake('test_only_hevc', 'hevc'),
  };
  return { ...real, findProfile: (name: string) => (Object.hasOwn(extra, name) ? extra[name] : real.findProfile(name)) };
});

const PP = 'Proxy profile validation failed: ';
const SORTED_10 =
  '[proxy_dnxhr_lb, proxy_dnxhr_lb_resolve, proxy_dnxhr_sq_resolve, proxy_h264_low, proxy_h264_quarter, ' +
  'proxy_prores_hq_resolve, proxy_prores_lt, proxy_prores_lt_resolve, proxy_prores_proxy, proxy_prores_proxy_resolve]';

const spec = (overrides: Partial<JobSpec>): JobSpec => ({
  jobspec_version: '2.1',
  sources: ['/media/a.mov'],
  output_directory: '/out',
  codec: 'h264',
  container: 'mp4',
  resolution: 'half',
  naming_template: '{source_name}_proxy',
  proxy_profile: 'proxy_h264_low',
  ...overrides,
});

const reasonOf = (s: JobSpec): string => {
  const r = selectProfile(s);
  if (r.ok) throw new Error(`expected a failure, got profile ${r.profile.name}`);
  return r.reason;
};

const profileOf = (s: JobSpec): string => {
  const r = selectProfile(s);
  if (!r.ok) throw new Error(`expected a profile, got: ${r.reason}`);
  return r.profile.name;
};

// A JobSpec that matches each FFmpeg profile exactly.
const MATCHING: ReadonlyArray<[string, Partial<JobSpec>]> = [
  ['proxy_h264_low', { codec: 'h264', container: 'mp4', resolution: 'half' }],
  ['proxy_h264_quarter', { codec: 'h264', container: 'mp4', resolution: 'quarter' }],
  ['proxy_prores_proxy', { codec: 'prores_proxy', container: 'mov', resolution: 'same' }],
  ['proxy_prores_lt', { codec: 'prores_lt', container: 'mov', resolution: 'same' }],
  ['proxy_dnxhr_lb', { codec: 'dnxhr', container: 'mxf', resolution: 'same' }],
];

describe('selectProfile', () => {
  describe('profile presence', () => {
    it('fails when proxy_profile is absent', () => {
      const s = spec({});
      delete s.proxy_profile;
      expect(reasonOf(s)).toBe(`${PP}V2 jobs must specify proxy_profile. Proxy profiles are the ONLY way to define proxy output settings.`);
    });

    it('fails when proxy_profile is null', () => {
      expect(reasonOf(spec({ proxy_profile: null }))).toBe(
        `${PP}V2 jobs must specify proxy_profile. Proxy profiles are the ONLY way to define proxy output settings.`,
      );
    });

    it.each(['proxy_h264_medium', 'PROXY_H264_LOW', '', '__proto__', 'constructor'])('fails for the unknown profile %j', (p) => {
      expect(reasonOf(spec({ proxy_profile: p }))).toBe(
        `${PP}Invalid proxy_profile: Unknown proxy profile '${p}'. Available profiles: ${SORTED_10}`,
      );
    });

    it.each(['proxy_prores_proxy_resolve', 'proxy_prores_lt_resolve', 'proxy_prores_hq_resolve', 'proxy_dnxhr_lb_resolve', 'proxy_dnxhr_sq_resolve'])(
      'refuses the Resolve profile %s',
      (p) => {
        expect(reasonOf(spec({ proxy_profile: p }))).toBe(`${PP}Profile '${p}' requires the resolve engine, which this runner does not provide.`);
      },
    );

    it('reports the Resolve profile before a set resolve_preset or a mismatch', () => {
      expect(reasonOf(spec({ proxy_profile: 'proxy_dnxhr_sq_resolve', resolve_preset: 'X', codec: 'vp9' }))).toBe(
        `${PP}Profile 'proxy_dnxhr_sq_resolve' requires the resolve engine, which this runner does not provide.`,
      );
    });

    it('reports an unknown profile before a set resolve_preset', () => {
      expect(reasonOf(spec({ proxy_profile: 'nope', resolve_preset: 'X' }))).toBe(
        `${PP}Invalid proxy_profile: Unknown proxy profile 'nope'. Available profiles: ${SORTED_10}`,
      );
    });
  });

  describe('resolve_preset', () => {
    it('fails when set on an FFmpeg job', () => {
      expect(reasonOf(spec({ resolve_preset: 'ProRes 422 Proxy' }))).toBe(
        "Resolve preset validation failed: FFmpeg jobs must not specify resolve_preset (got: 'ProRes 422 Proxy').",
      );
    });

    it('fails even for an empty string', () => {
      expect(reasonOf(spec({ resolve_preset: '' }))).toBe("Resolve preset validation failed: FFmpeg jobs must not specify resolve_preset (got: '').");
    });

    it('is checked before consistency', () => {
      expect(reasonOf(spec({ resolve_preset: 'P', codec: 'vp9', container: 'webm' }))).toBe(
        "Resolve preset validation failed: FFmpeg jobs must not specify resolve_preset (got: 'P').",
      );
    });

    it('passes when null or absent', () => {
      expect(profileOf(spec({ resolve_preset: null }))).toBe('proxy_h264_low');
      expect(profileOf(spec({}))).toBe('proxy_h264_low');
    });
  });

  describe('consistency with the profile', () => {
    it.each(MATCHING)('%s is selected by a matching JobSpec', (name, fields) => {
      const r = selectProfile(spec({ proxy_profile: name, ...fields }));
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.profile.name).toBe(name);
        expect(r.profile.engine).toBe('ffmpeg');
      }
    });

    it('compares codec, container and resolution case-insensitively, with one leading dot on the container', () => {
      expect(profileOf(spec({ codec: 'H264', container: '.MP4', resolution: 'HALF' }))).toBe('proxy_h264_low');
      expect(profileOf(spec({ proxy_profile: 'proxy_h264_quarter', codec: 'h264', container: '.mp4', resolution: 'Quarter' }))).toBe('proxy_h264_quarter');
      expect(profileOf(spec({ proxy_profile: 'proxy_prores_proxy', codec: 'ProRes_Proxy', container: '.Mov', resolution: 'SAME' }))).toBe('proxy_prores_proxy');
      expect(profileOf(spec({ proxy_profile: 'proxy_prores_lt', codec: 'PRORES_LT', container: 'MOV', resolution: 'same' }))).toBe('proxy_prores_lt');
      expect(profileOf(spec({ proxy_profile: 'proxy_dnxhr_lb', codec: 'DNxHR', container: '.MXF', resolution: 'Same' }))).toBe('proxy_dnxhr_lb');
    });

    it('strips only one leading dot', () => {
      expect(reasonOf(spec({ container: '..mp4' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for h264 in ..mp4 at half.`,
      );
    });

    it('codec mismatch', () => {
      expect(reasonOf(spec({ codec: 'prores_proxy' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for prores_proxy in mp4 at half.`,
      );
      expect(reasonOf(spec({ proxy_profile: 'proxy_prores_lt', codec: 'prores_proxy', container: 'mov', resolution: 'same' }))).toBe(
        `${PP}Profile 'proxy_prores_lt' produces prores_lt in mov at same resolution, but the JobSpec asks for prores_proxy in mov at same.`,
      );
      expect(reasonOf(spec({ proxy_profile: 'proxy_prores_proxy', codec: 'prores_hq', container: 'mov', resolution: 'same' }))).toBe(
        `${PP}Profile 'proxy_prores_proxy' produces prores_proxy in mov at same resolution, but the JobSpec asks for prores_hq in mov at same.`,
      );
      expect(reasonOf(spec({ proxy_profile: 'proxy_dnxhr_lb', codec: 'dnxhd', container: 'mxf', resolution: 'same' }))).toBe(
        `${PP}Profile 'proxy_dnxhr_lb' produces dnxhr in mxf at same resolution, but the JobSpec asks for dnxhd in mxf at same.`,
      );
    });

    it('container mismatch', () => {
      expect(reasonOf(spec({ container: 'mov' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for h264 in mov at half.`,
      );
      expect(reasonOf(spec({ container: 'mkv' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for h264 in mkv at half.`,
      );
      expect(reasonOf(spec({ proxy_profile: 'proxy_dnxhr_lb', codec: 'dnxhr', container: 'mov', resolution: 'same' }))).toBe(
        `${PP}Profile 'proxy_dnxhr_lb' produces dnxhr in mxf at same resolution, but the JobSpec asks for dnxhr in mov at same.`,
      );
    });

    it('resolution mismatch', () => {
      expect(reasonOf(spec({ resolution: 'quarter' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for h264 in mp4 at quarter.`,
      );
      expect(reasonOf(spec({ proxy_profile: 'proxy_h264_quarter', resolution: 'half' }))).toBe(
        `${PP}Profile 'proxy_h264_quarter' produces h264 in mp4 at quarter resolution, but the JobSpec asks for h264 in mp4 at half.`,
      );
      expect(reasonOf(spec({ proxy_profile: 'proxy_prores_proxy', codec: 'prores_proxy', container: 'mov', resolution: 'half' }))).toBe(
        `${PP}Profile 'proxy_prores_proxy' produces prores_proxy in mov at same resolution, but the JobSpec asks for prores_proxy in mov at half.`,
      );
    });

    it.each(MATCHING)('an explicit WxH matches no FFmpeg profile (%s)', (name, fields) => {
      const s = spec({ proxy_profile: name, ...fields, resolution: '1920x1080' });
      const p = name === 'proxy_h264_low' ? 'half' : name === 'proxy_h264_quarter' ? 'quarter' : 'same';
      expect(reasonOf(s)).toBe(
        `${PP}Profile '${name}' produces ${String(fields.codec)} in ${String(fields.container)} at ${p} resolution, ` +
          `but the JobSpec asks for ${String(fields.codec)} in ${String(fields.container)} at 1920x1080.`,
      );
    });

    it('quotes the JobSpec values with their raw spelling', () => {
      expect(reasonOf(spec({ codec: 'PRORES_PROXY', container: '.MOV', resolution: 'Same' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for PRORES_PROXY in .MOV at Same.`,
      );
      expect(reasonOf(spec({ resolution: '1280X720' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for h264 in mp4 at 1280X720.`,
      );
    });

    it('everything wrong at once gives one message naming all three', () => {
      expect(reasonOf(spec({ codec: 'vp9', container: 'webm', resolution: 'same' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for vp9 in webm at same.`,
      );
    });
  });

  // Not in contract section 7: MXF carries only broadcast rates, so an explicit rate it cannot carry makes a
  // proxy_dnxhr_lb job PARTIAL before FFmpeg instead of a failed encode.
  describe('explicit fps and MXF', () => {
    const DNXHR: Partial<JobSpec> = { proxy_profile: 'proxy_dnxhr_lb', codec: 'dnxhr', container: 'mxf', resolution: 'same' };
    const MXF_RATES = '(MXF frame rates: 23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60, 72, 75, 90, 96, 100, 119.88, 120)';

    it.each([
      [12, '12'],
      [15, '15'],
      [29.9, '29.9'],
      [12.5, '12.5'],
    ])('proxy_dnxhr_lb refuses fps_explicit %s', (fps, shown) => {
      expect(reasonOf(spec({ ...DNXHR, fps_mode: 'explicit', fps_explicit: fps }))).toBe(
        `${PP}Profile 'proxy_dnxhr_lb' writes MXF, and MXF cannot carry ${shown} frames per second ${MXF_RATES}.`,
      );
    });

    it('says so in exactly this sentence', () => {
      expect(reasonOf(spec({ ...DNXHR, fps_mode: 'explicit', fps_explicit: 12 }))).toBe(
        "Proxy profile validation failed: Profile 'proxy_dnxhr_lb' writes MXF, and MXF cannot carry 12 frames per second " +
          '(MXF frame rates: 23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60, 72, 75, 90, 96, 100, 119.88, 120).',
      );
    });

    it.each([29.97, 23.976, 59.94, 24, 25, 30, 50, 60])('proxy_dnxhr_lb accepts fps_explicit %s', (fps) => {
      expect(profileOf(spec({ ...DNXHR, fps_mode: 'explicit', fps_explicit: fps }))).toBe('proxy_dnxhr_lb');
    });

    it('leaves an explicit fps_mode without a value to validation (section 6), which reports it first', () => {
      expect(profileOf(spec({ ...DNXHR, fps_mode: 'explicit', fps_explicit: null }))).toBe('proxy_dnxhr_lb');
      expect(profileOf(spec({ ...DNXHR, fps_mode: 'explicit' }))).toBe('proxy_dnxhr_lb');
    });

    it('ignores fps_explicit unless fps_mode is explicit', () => {
      expect(profileOf(spec({ ...DNXHR, fps_mode: 'same-as-source', fps_explicit: 12 }))).toBe('proxy_dnxhr_lb');
      expect(profileOf(spec({ ...DNXHR, fps_explicit: 12 }))).toBe('proxy_dnxhr_lb');
    });

    it('reports a consistency mismatch before the rate', () => {
      expect(reasonOf(spec({ ...DNXHR, container: 'mov', fps_mode: 'explicit', fps_explicit: 12 }))).toBe(
        `${PP}Profile 'proxy_dnxhr_lb' produces dnxhr in mxf at same resolution, but the JobSpec asks for dnxhr in mov at same.`,
      );
    });

    it.each(MATCHING.filter(([name]) => name !== 'proxy_dnxhr_lb'))('%s (not MXF) accepts fps_explicit 12', (name, fields) => {
      expect(profileOf(spec({ proxy_profile: name, ...fields, fps_mode: 'explicit', fps_explicit: 12 }))).toBe(name);
    });
  });

  describe('h265 ≡ hevc', () => {
    it('the real h264 profiles accept neither h265 nor hevc', () => {
      expect(reasonOf(spec({ codec: 'hevc' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for hevc in mp4 at half.`,
      );
      expect(reasonOf(spec({ codec: 'H265' }))).toBe(
        `${PP}Profile 'proxy_h264_low' produces h264 in mp4 at half resolution, but the JobSpec asks for H265 in mp4 at half.`,
      );
    });

    it.each([
      ['test_only_h265', 'h265'],
      ['test_only_h265', 'hevc'],
      ['test_only_h265', 'HEVC'],
      ['test_only_h265', 'H265'],
      ['test_only_hevc', 'hevc'],
      ['test_only_hevc', 'h265'],
      ['test_only_hevc', 'H265'],
      ['test_only_hevc', 'HeVc'],
    ])('a profile producing %s accepts codec %j', (profile, codec) => {
      expect(profileOf(spec({ proxy_profile: profile, codec, container: 'mp4', resolution: 'same' }))).toBe(profile);
    });

    it('h265/hevc is not equal to h264', () => {
      expect(reasonOf(spec({ proxy_profile: 'test_only_hevc', codec: 'h264', container: 'mp4', resolution: 'same' }))).toBe(
        `${PP}Profile 'test_only_hevc' produces hevc in mp4 at same resolution, but the JobSpec asks for h264 in mp4 at same.`,
      );
    });

    it('the test-only profiles are not in the listed names', () => {
      expect(reasonOf(spec({ proxy_profile: 'x' }))).toBe(`${PP}Invalid proxy_profile: Unknown proxy profile 'x'. Available profiles: ${SORTED_10}`);
    });
  });
});
