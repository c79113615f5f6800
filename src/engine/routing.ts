// Engine routing by source extension (contract section 7). Every source must route to FFmpeg; the first
// source that does not decides the reason, so an operator sees the most relevant problem first.

/** The source extensions (lowercased) that route to FFmpeg; also listed in the published JobSpec schema. */
export const FFMPEG_EXTENSIONS: ReadonlySet<string> = new Set(['mov', 'mp4', 'mkv', 'mxf', 'webm', 'avi', 'mpg', 'ts', 'm4v']);
const RAW_EXTENSIONS = new Set(['r3d', 'braw', 'ari', 'arx', 'crm', 'nev', 'dng']);
const IMAGE_EXTENSIONS = new Set(['exr', 'dpx', 'tif', 'tiff', 'png', 'jpg', 'jpeg', 'bmp']);

type Route = 'ffmpeg' | 'raw' | 'image' | 'unsupported';

export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1);
}

/** The extension after the last dot of the base name, without the dot, original case ('' when none). */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

function routeOf(path: string): Route {
  const ext = extensionOf(path).toLowerCase();
  if (FFMPEG_EXTENSIONS.has(ext)) return 'ffmpeg';
  if (RAW_EXTENSIONS.has(ext)) return 'raw';
  if (IMAGE_EXTENSIONS.has(ext)) return 'image';
  return 'unsupported';
}

/** Null when every source routes to FFmpeg, else the reason (with its "Engine routing failed: " prefix). */
export function routingFailure(sources: readonly string[]): string | null {
  const first = sources.find((s) => routeOf(s) !== 'ffmpeg');
  if (first === undefined) return null;
  const prefix = 'Engine routing failed: ';
  switch (routeOf(first)) {
    case 'raw':
      return `${prefix}${baseName(first)}: RAW camera media needs the Resolve engine, which this runner does not provide.`;
    case 'image':
      return `${prefix}Image sequences (DNG / EXR / DPX / TIFF) are not supported.`;
    default: {
      const names = sources.filter((s) => routeOf(s) === 'unsupported').slice(0, 3).map(baseName);
      return `${prefix}Unsupported source format: ${names.join(', ')}. Verify the source or transcode to ProRes/H.264.`;
    }
  }
}
