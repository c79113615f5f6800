#!/usr/bin/env node
// @ts-check
// The stand-in `ffprobe` (design section 3): other runners probe sources before transcoding and outputs
// after it, so this answers the forms they commonly use, for every media descriptor and for every file the
// stand-in `ffmpeg` writes, with plausible values: one H.264 1920x1080 25 fps video stream and one stereo
// 48 kHz AAC audio stream, lasting the descriptor's `duration_ms` (an output: the default 1 s).
// Writers: `-of json`, `-of csv=p=0` (and csv), `-of default=noprint_wrappers=1:nokey=1` (and default).
// Selection: `-select_streams v|a|v:0|a:0|<index>`, `-show_entries stream=…:format=…`, `-show_streams`,
// `-show_format`. Input: `-i <path>` or the last argument, with or without `file:`.

import { readFileSync } from 'node:fs';
import { decodeMedia, isFakeOutput, sourcePathOf } from './media.mjs';
import { render } from './probe-writers.mjs';

/** @typedef {Record<string, string | number>} Section */

/** Options that take a value (their value is never the input). */
const WITH_VALUE = new Set(['-v', '-loglevel', '-select_streams', '-show_entries', '-of', '-print_format', '-output_format', '-i', '-f', '-read_intervals', '-sexagesimal_format']);

/**
 * @param {string[]} args
 */
function parse(args) {
  /** @type {Map<string, string>} */
  const values = new Map();
  /** @type {string | undefined} */
  let positional;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (WITH_VALUE.has(arg)) {
      values.set(arg, args[i + 1] ?? '');
      i += 1;
    } else if (!arg.startsWith('-') || arg === '-') {
      positional = arg;
    } else {
      values.set(arg, '');
    }
  }
  return { values, input: values.get('-i') ?? positional };
}

/** A descriptor's default `duration_ms` (media.mjs behaviourOf), and what an output reports. */
const DEFAULT_DURATION_MS = 1000;

/** @param {number} ms */
const seconds = (ms) => (ms / 1000).toFixed(6);

/**
 * The streams and format a fake medium reports, keys in ffprobe's own order.
 * @param {number} durationMs
 * @param {string} input
 * @param {number} size
 */
function mediaInfo(durationMs, input, size) {
  const duration = seconds(durationMs);
  /** @type {Section[]} */
  const streams = [
    { index: 0, codec_name: 'h264', codec_type: 'video', width: 1920, height: 1080, pix_fmt: 'yuv420p', r_frame_rate: '25/1', avg_frame_rate: '25/1', duration, nb_frames: String(Math.round((durationMs / 1000) * 25)) },
    { index: 1, codec_name: 'aac', codec_type: 'audio', sample_fmt: 'fltp', sample_rate: '48000', channels: 2, channel_layout: 'stereo', duration },
  ];
  /** @type {Section} */
  const format = { filename: input, nb_streams: 2, format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration, size: String(size), bit_rate: '8000000' };
  return { streams, format };
}

/**
 * @param {Section[]} streams
 * @param {string | undefined} spec e.g. `v`, `a:0`, `1`
 */
function selectStreams(streams, spec) {
  if (spec === undefined) return streams;
  const [kind, index] = spec.split(':');
  if (kind !== undefined && /^\d+$/.test(kind)) return streams.filter((s) => s.index === Number(kind));
  const type = kind === 'v' || kind === 'V' ? 'video' : kind === 'a' ? 'audio' : kind;
  const ofType = streams.filter((s) => s.codec_type === type);
  return index === undefined ? ofType : ofType.slice(Number(index), Number(index) + 1);
}

/**
 * `-show_entries stream=codec_name,width:format=duration` → which keys of each section (empty: all).
 * @param {string | undefined} spec
 */
function requestedEntries(spec) {
  /** @type {Map<string, string[]>} */
  const sections = new Map();
  for (const part of (spec ?? '').split(':').filter((p) => p !== '')) {
    const [name = '', keys = ''] = part.split('=');
    sections.set(name, keys === '' ? [] : keys.split(','));
  }
  return sections;
}

/**
 * @param {Section} section
 * @param {string[]} keys
 */
function pick(section, keys) {
  return keys.length === 0 ? section : Object.fromEntries(Object.entries(section).filter(([k]) => keys.includes(k)));
}

function main() {
  const { values, input } = parse(process.argv.slice(2));
  if (values.has('-version')) return { code: 0, out: 'ffprobe version 6.1.1-conformance-stand-in Copyright (c) 2007-2024 the FFmpeg developers\n', err: '' };
  if (input === undefined) return { code: 1, out: '', err: 'You have to specify one input file.\n' };
  let bytes;
  try {
    bytes = readFileSync(sourcePathOf(input));
  } catch {
    return { code: 1, out: '', err: `${input}: No such file or directory\n` };
  }
  const descriptor = decodeMedia(bytes.toString('utf8'));
  // An output of the stand-in ffmpeg carries no descriptor: it is the medium a descriptor describes by default.
  const durationMs = descriptor !== null ? (descriptor.duration_ms ?? DEFAULT_DURATION_MS) : isFakeOutput(bytes) ? DEFAULT_DURATION_MS : null;
  if (durationMs === null) return { code: 1, out: '', err: `${input}: Invalid data found when processing input\n` };
  const info = mediaInfo(durationMs, input, bytes.length);
  const entries = requestedEntries(values.get('-show_entries'));
  const streamKeys = entries.get('stream') ?? (values.has('-show_streams') ? [] : null);
  const formatKeys = entries.get('format') ?? (values.has('-show_format') ? [] : null);
  const shown = {
    streams: streamKeys === null ? null : selectStreams(info.streams, values.get('-select_streams')).map((s) => pick(s, streamKeys)),
    format: formatKeys === null ? null : pick(info.format, formatKeys),
  };
  const writer = values.get('-of') ?? values.get('-print_format') ?? values.get('-output_format') ?? 'default';
  return { code: 0, out: render(shown, writer), err: '' };
}

const { code, out, err } = main();
process.stdout.write(out);
process.stderr.write(err);
process.exitCode = code;
