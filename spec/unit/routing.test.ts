import { describe, it, expect } from 'vitest';
import { baseName, extensionOf, routingFailure } from '../../src/engine/routing.ts';

const P = 'Engine routing failed: ';
const RAW = (name: string): string => `${P}${name}: RAW camera media needs the Resolve engine, which this runner does not provide.`;
const IMAGE = `${P}Image sequences (DNG / EXR / DPX / TIFF) are not supported.`;
const UNSUPPORTED = (names: string): string => `${P}Unsupported source format: ${names}. Verify the source or transcode to ProRes/H.264.`;

const FFMPEG_EXTS = ['mov', 'mp4', 'mkv', 'mxf', 'webm', 'avi', 'mpg', 'ts', 'm4v'];
const RAW_EXTS = ['r3d', 'braw', 'ari', 'arx', 'crm', 'nev', 'dng'];
const IMAGE_EXTS = ['exr', 'dpx', 'tif', 'tiff', 'png', 'jpg', 'jpeg', 'bmp'];

const upper = (s: string): string => s.toUpperCase();
const mixed = (s: string): string => [...s].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');

describe('engine routing', () => {
  describe('FFmpeg sources', () => {
    it.each(FFMPEG_EXTS)('.%s routes to ffmpeg in any case', (ext) => {
      expect(routingFailure([`/media/clip.${ext}`])).toBeNull();
      expect(routingFailure([`/media/clip.${upper(ext)}`])).toBeNull();
      expect(routingFailure([`/media/clip.${mixed(ext)}`])).toBeNull();
    });

    it('routes a whole list of FFmpeg sources', () => {
      expect(routingFailure(FFMPEG_EXTS.map((e, i) => `/m/${i}.${e}`))).toBeNull();
    });

    it('uses only the last extension', () => {
      expect(routingFailure(['/m/archive.r3d.mov'])).toBeNull();
      expect(routingFailure(['/m/clip.mov.r3d'])).toBe(RAW('clip.mov.r3d'));
    });

    it('an empty list routes (emptiness is checked elsewhere)', () => {
      expect(routingFailure([])).toBeNull();
    });
  });

  describe('RAW camera formats', () => {
    it.each(RAW_EXTS)('.%s needs the Resolve engine (any case)', (ext) => {
      expect(routingFailure([`/media/A001.${ext}`])).toBe(RAW(`A001.${ext}`));
      expect(routingFailure([`/media/A001.${upper(ext)}`])).toBe(RAW(`A001.${upper(ext)}`));
      expect(routingFailure([`/media/A001.${mixed(ext)}`])).toBe(RAW(`A001.${mixed(ext)}`));
    });

    it('names the base name, not the full path', () => {
      expect(routingFailure(['/deep/dir/x.y/B002_C003.R3D'])).toBe(RAW('B002_C003.R3D'));
    });
  });

  describe('image formats', () => {
    it.each(IMAGE_EXTS)('.%s is an unsupported image sequence (any case)', (ext) => {
      expect(routingFailure([`/media/frame_0001.${ext}`])).toBe(IMAGE);
      expect(routingFailure([`/media/frame_0001.${upper(ext)}`])).toBe(IMAGE);
      expect(routingFailure([`/media/frame_0001.${mixed(ext)}`])).toBe(IMAGE);
    });
  });

  describe('anything else', () => {
    it.each(['xyz', 'gif', 'wav', 'mp3', 'mpeg', 'm2ts', 'json', 'MOV2'])('.%s is unsupported', (ext) => {
      expect(routingFailure([`/media/clip.${ext}`])).toBe(UNSUPPORTED(`clip.${ext}`));
    });

    it('lists at most the first three unsupported names, in source order', () => {
      expect(routingFailure(['/m/a.xyz', '/m/b.abc', '/m/c.def', '/m/d.ghi', '/m/e.jkl'])).toBe(UNSUPPORTED('a.xyz, b.abc, c.def'));
      expect(routingFailure(['/m/ok.mov', '/m/a.xyz', '/m/b.abc'])).toBe(UNSUPPORTED('a.xyz, b.abc'));
      expect(routingFailure(['/m/a.xyz', '/m/b.abc', '/m/c.def'])).toBe(UNSUPPORTED('a.xyz, b.abc, c.def'));
    });

    it('lists only unsupported names, skipping FFmpeg, RAW and image sources after the first', () => {
      expect(routingFailure(['/m/a.xyz', '/m/b.mov', '/m/c.r3d', '/m/d.png', '/m/e.q'])).toBe(UNSUPPORTED('a.xyz, e.q'));
    });

    it('treats a name without an extension as unsupported', () => {
      expect(routingFailure(['/media/clip'])).toBe(UNSUPPORTED('clip'));
      expect(routingFailure(['clip'])).toBe(UNSUPPORTED('clip'));
      // A dot in a directory name is not an extension.
      expect(routingFailure(['/media/take.mov/clip'])).toBe(UNSUPPORTED('clip'));
      // A trailing dot gives an empty extension.
      expect(routingFailure(['/media/clip.'])).toBe(UNSUPPORTED('clip.'));
      // A dot-file's leading dot is not an extension (like Python's os.path.splitext).
      expect(routingFailure(['/media/.mov'])).toBe(UNSUPPORTED('.mov'));
    });
  });

  describe('the first failing source decides', () => {
    it('image before RAW gives the image reason', () => {
      expect(routingFailure(['/m/a.mov', '/m/b.png', '/m/c.r3d'])).toBe(IMAGE);
    });

    it('RAW before image gives the RAW reason, naming that source', () => {
      expect(routingFailure(['/m/a.mov', '/m/c.R3D', '/m/b.png'])).toBe(RAW('c.R3D'));
    });

    it('unsupported before RAW gives the unsupported reason', () => {
      expect(routingFailure(['/m/a.xyz', '/m/c.r3d'])).toBe(UNSUPPORTED('a.xyz'));
    });

    it('RAW before unsupported gives the RAW reason', () => {
      expect(routingFailure(['/m/c.braw', '/m/a.xyz'])).toBe(RAW('c.braw'));
    });

    it('image before unsupported gives the image reason', () => {
      expect(routingFailure(['/m/f.dpx', '/m/a.xyz'])).toBe(IMAGE);
    });
  });

  describe('helpers', () => {
    it('baseName splits on / and \\', () => {
      expect(baseName('/a/b/c.mov')).toBe('c.mov');
      expect(baseName('c.mov')).toBe('c.mov');
      expect(baseName('C:\\media\\c.mov')).toBe('c.mov');
    });

    it('extensionOf keeps the original case and drops the dot', () => {
      expect(extensionOf('/a/B.MoV')).toBe('MoV');
      expect(extensionOf('/a/x.tar.gz')).toBe('gz');
      expect(extensionOf('/a/noext')).toBe('');
      expect(extensionOf('/a/.hidden')).toBe('');
      expect(extensionOf('/a/.hidden.mov')).toBe('mov');
      expect(extensionOf('/a.b/noext')).toBe('');
    });
  });
});
