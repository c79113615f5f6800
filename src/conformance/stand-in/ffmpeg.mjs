#!/usr/bin/env node
// @ts-check
// The stand-in `ffmpeg` the conformance runner puts first on PATH (design section 3): it reads the media
// descriptor named by `-i [file:]<path>` and acts it out on the output (the last argument) exactly as the
// in-process fake transcoder (spec/harness/fake-transcoder.ts) does, so that a golden recorded in memory
// holds for any implementation run against this executable. Differences, on purpose: durations are slept
// for real but capped (portable scenarios must run fast), and `kill_runner` really SIGKILLs the parent.

import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { behaviourOf, decodeMedia, fakeOutputBytes, fakeStderr, sourcePathOf } from './media.mjs';

/**
 * A descriptor's `duration_ms` is slept for real, but never longer than this (hangs excepted). Tests that
 * must signal the stand-in mid-run on a loaded machine raise it with STAND_IN_MAX_SLEEP_MS.
 */
const MAX_SLEEP_MS = Number(process.env.STAND_IN_MAX_SLEEP_MS ?? 200);

const args = process.argv.slice(2);

/** The number of the stop signal received (FFmpeg finalises and exits 255 on SIGTERM or SIGINT). */
let stopSignal = 0;
let wake = () => {};
for (const [name, number] of /** @type {const} */ ([['SIGTERM', 15], ['SIGINT', 2]])) {
  process.on(name, () => {
    if (stopSignal === 0) stopSignal = number;
    wake();
  });
}

/**
 * Sleeps `ms` (forever for Infinity) or until a stop signal arrives.
 * @param {number} ms
 * @returns {Promise<void>}
 */
function sleep(ms) {
  return new Promise((resolve) => {
    if (stopSignal !== 0) return resolve();
    // An interval keeps the process alive for a hang; a timer ends an ordinary run.
    const timer = Number.isFinite(ms) ? setTimeout(resolve, ms) : setInterval(() => undefined, 1 << 30);
    wake = () => {
      clearTimeout(timer);
      clearInterval(timer);
      resolve();
    };
  });
}

/**
 * @param {NodeJS.WriteStream} stream
 * @param {string} text
 * @returns {Promise<void>}
 */
function write(stream, text) {
  return new Promise((resolve) => (text === '' ? resolve() : stream.write(text, () => resolve())));
}

/**
 * Writes the output as the fake does (created exclusively, like the `.partial` an FFmpeg with -n makes).
 * @param {string} path
 * @param {number | null} bytes
 */
function writeOutput(path, bytes) {
  if (bytes !== null) writeFileSync(path, fakeOutputBytes(bytes), { flag: args.includes('-y') ? 'w' : 'wx' });
}

/** @param {string} path */
function exists(path) {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** @returns {Promise<number>} the exit code */
async function main() {
  if (args.includes('-version')) {
    await write(process.stdout, 'ffmpeg version 6.1.1-conformance-stand-in Copyright (c) 2000-2024 the FFmpeg developers\n');
    return 0;
  }
  const at = args.indexOf('-i');
  const input = at < 0 ? undefined : args[at + 1];
  const output = args.at(-1);
  if (input === undefined || output === undefined || at + 1 === args.length - 1) {
    await write(process.stderr, 'At least one output file must be specified\n');
    return 1;
  }
  let text;
  try {
    text = readFileSync(sourcePathOf(input), 'utf8');
  } catch {
    await write(process.stderr, `${input}: No such file or directory\n`);
    return 1;
  }
  const descriptor = decodeMedia(text);
  if (descriptor === null) {
    await write(process.stderr, `${input}: Invalid data found when processing input\n`);
    return 1;
  }
  if (exists(output) && !args.includes('-y')) {
    await write(process.stderr, `File '${output}' already exists. Exiting.\n`);
    return 1;
  }
  const behaviour = behaviourOf(descriptor);
  if (behaviour.kind === 'kill-runner') {
    await sleep(Math.min(behaviour.durationMs, MAX_SLEEP_MS));
    writeOutput(output, behaviour.outputBytes);
    // The runner is whoever started us; pid 1 and below are never it.
    if (process.ppid > 1) process.kill(process.ppid, 'SIGKILL');
    return 0;
  }
  await write(process.stderr, fakeStderr(descriptor));
  await sleep(behaviour.kind === 'hang' ? Number.POSITIVE_INFINITY : Math.min(behaviour.durationMs, MAX_SLEEP_MS));
  if (stopSignal !== 0) {
    // Like the real tool on SIGTERM: it finalises the truncated file it has and exits 255.
    if (behaviour.kind !== 'hang' && behaviour.outputBytes !== null) writeOutput(output, Math.floor(behaviour.outputBytes / 2));
    await write(process.stderr, `Exiting normally, received signal ${stopSignal}.\n`);
    return 255;
  }
  if (behaviour.kind === 'hang') return 255; // unreachable: a hang ends only by a stop signal
  writeOutput(output, behaviour.outputBytes);
  if (behaviour.kind === 'signal') {
    // Die by the signal itself (no handler of ours may catch it), as a crashing FFmpeg would.
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    process.kill(process.pid, /** @type {NodeJS.Signals} */ (behaviour.signal));
    await sleep(Number.POSITIVE_INFINITY);
  }
  return behaviour.kind === 'exit' ? behaviour.code : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (/** @type {unknown} */ error) => {
    await write(process.stderr, `stand-in ffmpeg: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
