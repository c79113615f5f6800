// Swapped in for src/engine/command.ts in the literal-arguments mutant (./build.ts): the FFmpeg argv exactly
// as the original contract listed it, before the departures SPEC.md adopted (R7.12, R7.17, R7.19). Each
// profile's filter, video and audio arguments are that contract's table: odd-size-unsafe
// `scale=iw/2:ih/2`, no `-pix_fmt`, no `-ar 48000` for MXF, and `-r` with the number as the JobSpec wrote it.

import type { CommandInput } from '../../../src/engine/command.ts';
import { DEMUXER_WHITELIST } from '../../../src/engine/command.ts';
import { formatNumber } from '../../../src/engine/frame-rate.ts';

interface LiteralProfile {
  readonly filter: string | null;
  readonly video: readonly string[];
  readonly audio: readonly string[];
}

const H264 = ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium'];
const AAC = ['-c:a', 'aac', '-b:a', '192k'];

const LITERAL: Readonly<Record<string, LiteralProfile>> = {
  proxy_h264_low: { filter: 'scale=iw/2:ih/2', video: H264, audio: AAC },
  proxy_h264_quarter: { filter: 'scale=iw/4:ih/4', video: H264, audio: AAC },
  proxy_prores_proxy: { filter: null, video: ['-c:v', 'prores_ks', '-profile:v', '0'], audio: ['-c:a', 'copy'] },
  proxy_prores_lt: { filter: null, video: ['-c:v', 'prores_ks', '-profile:v', '1'], audio: ['-c:a', 'copy'] },
  proxy_dnxhr_lb: { filter: null, video: ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb'], audio: ['-c:a', 'pcm_s16le'] },
};

export function buildFfmpegArgv(input: CommandInput): string[] {
  const literal = LITERAL[input.profile.name];
  // A profile the contract does not list would make this mutant silently test nothing for it.
  if (literal === undefined) throw new Error(`the literal-arguments mutant has no contract argv for profile ${input.profile.name}`);
  return [
    input.ffmpeg,
    '-hide_banner',
    '-nostdin',
    '-n',
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    DEMUXER_WHITELIST,
    '-i',
    `file:${input.source}`,
    ...(literal.filter === null ? [] : ['-vf', literal.filter]),
    ...literal.video,
    ...literal.audio,
    ...(input.fps === null ? [] : ['-r', formatNumber(input.fps)]),
    '-f',
    input.profile.muxer,
    input.partialOutput,
  ];
}
