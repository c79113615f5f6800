#!/usr/bin/env node
// @ts-check
// The stand-in `ffmpeg` put first on PATH for other implementations (the conformance runner) and for our own
// CLI on real folders (the end-to-end and real-filesystem suites): it reads the media descriptor named by
// `-i [file:]<path>` and acts it out on the output (the last argument) exactly as the in-process fake
// transcoder (spec/harness/fake-transcoder.ts) does, so that a golden recorded in memory holds for any
// implementation run against this executable. Differences, on purpose: durations are slept for real but
// capped (portable scenarios must run fast), chunked outputs really grow while it runs, and `kill_runner`
// really SIGKILLs the parent. spec/stand-ins.md documents it for implementers.

import { lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { behaviourOf, decodeMedia, fakeOutputBytes, fakeProgressLine, fakeStderr, outputFileOf, sourcePathOf } from './media.mjs';

// Look like FFmpeg to whoever reads /proc (a runner recognising its orphaned FFmpeg by name): comm and
// argv[0] become `ffmpeg` instead of `node`.
process.title = 'ffmpeg';

/**
 * A descriptor's `duration_ms` is slept for real, but never longer than this (hangs excepted): longer runs
 * are shortened in proportion, chunks included. Suites that need real durations (signalling the stand-in
 * mid-run, an output that grows for seconds) raise it with STAND_IN_MAX_SLEEP_MS.
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
    const timer = Number.isFinite(ms) ? setTimeout(resolve, Math.max(0, ms)) : setInterval(() => undefined, 1 << 30);
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

/** @param {string} path */
function exists(path) {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls every 50 ms until `path` exists or a stop signal arrives.
 * @param {string} path
 */
async function waitForFile(path) {
  while (stopSignal === 0 && !exists(path)) await sleep(50);
}

/**
 * The output file as it grows: created exclusively by its first write (like the `.partial` an FFmpeg with
 * -n makes), then appended to. Writes nothing when the command has no output file.
 * @param {string | null} path
 */
function outputWriter(path) {
  let written = -1; // no file yet
  return {
    /** @param {number | null} bytes the size the file has from now on */
    growTo(bytes) {
      if (path === null || bytes === null || bytes <= written) return;
      const from = Math.max(written, 0);
      const flag = written >= 0 ? 'a' : args.includes('-y') ? 'w' : 'wx';
      writeFileSync(path, fakeOutputBytes(bytes).subarray(from), { flag });
      written = bytes;
    },
    get started() {
      return written >= 0;
    },
  };
}

/**
 * Writes the plan's pieces as their time comes, `scale` real ms per descriptor ms, up to `untilMs`;
 * stops early at a stop signal unless `ignoreStop`. Returns once `untilMs` has passed (or at the stop).
 * @param {import('./media.mjs').OutputPlan} plan
 * @param {ReturnType<typeof outputWriter>} output
 * @param {{ untilMs: number, scale: number, ignoreStop: boolean }} options
 */
async function playOut(plan, output, { untilMs, scale, ignoreStop }) {
  const started = Date.now();
  const sleepUntil = (/** @type {number} */ atMs) => sleep(started + atMs * scale - Date.now());
  for (const piece of plan.writes) {
    if (piece.atMs > untilMs) break;
    await sleepUntil(piece.atMs);
    if (stopSignal !== 0 && !ignoreStop) return;
    output.growTo(piece.bytes);
  }
  await sleepUntil(untilMs);
}

/**
 * Writes FFmpeg's stats line `reports` times, evenly over the run (in real time: at most MAX_SLEEP_MS),
 * as the in-process fake reports it; returns the timer, or null when there is nothing to report.
 * @param {number | undefined} reports
 * @param {number} durationMs
 */
function reportProgress(reports, durationMs) {
  if (reports === undefined) return null;
  const stepMs = durationMs / reports;
  let made = 0;
  const timer = setInterval(() => {
    made += 1;
    if (made > reports) return;
    process.stderr.write(fakeProgressLine(Math.round(made * stepMs)));
  }, Math.max(1, stepMs * scaleOf(durationMs)));
  return timer;
}

/** @returns {Promise<number>} the exit code */
async function main() {
  if (args.includes('-version')) {
    await write(process.stdout, 'ffmpeg version 6.1.1-conformance-stand-in Copyright (c) 2000-2024 the FFmpeg developers\n');
    return 0;
  }
  const at = args.indexOf('-i');
  const input = at < 0 ? undefined : args[at + 1];
  if (input === undefined || at + 1 === args.length - 1) {
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
  // Stdout, a pipe or the null muxer: no file is written (nor checked for, as FFmpeg does not).
  const path = outputFileOf(args);
  if (path !== null && exists(path) && !args.includes('-y')) {
    await write(process.stderr, `File '${path}' already exists. Exiting.\n`);
    return 1;
  }
  // Looking unlike FFmpeg on purpose (an FFmpeg whose binary has another name): comm changes, argv[0] stays.
  if (descriptor.comm !== undefined) setComm(descriptor.comm);
  // A test's handshake: <input>.waiting says the descriptor has been read (the test may now change the
  // source), and the clip is known to be running until the test creates <input>.go.
  if (descriptor.wait_for_go === true) {
    const source = sourcePathOf(input);
    writeFileSync(`${source}.waiting`, '');
    await waitForFile(`${source}.go`);
    rmSync(`${source}.waiting`, { force: true });
  }
  const output = outputWriter(path);
  const behaviour = behaviourOf(descriptor);
  if (behaviour.kind === 'kill-runner') {
    await playOut(behaviour.output, output, { untilMs: behaviour.durationMs, scale: scaleOf(behaviour.durationMs), ignoreStop: true });
    // The runner is whoever started us; pid 1 and below are never it.
    if (process.ppid > 1) process.kill(process.ppid, 'SIGKILL');
    return 0;
  }
  await write(process.stderr, fakeStderr(descriptor));
  const reports = behaviour.kind === 'hang' ? null : reportProgress(descriptor.progress_reports, behaviour.durationMs);
  if (behaviour.kind === 'hang') await sleep(Number.POSITIVE_INFINITY);
  else await playOut(behaviour.output, output, { untilMs: behaviour.durationMs, scale: scaleOf(behaviour.durationMs), ignoreStop: false });
  if (reports !== null) clearInterval(reports);
  if (stopSignal !== 0) {
    // Like the real tool on SIGTERM: it finalises the truncated file it has and exits 255. A hang has
    // written nothing; a chunked output keeps what it has; one written at the end is half written.
    if (behaviour.kind !== 'hang' && !output.started) output.growTo(behaviour.output.stopBytes);
    await write(process.stderr, `Exiting normally, received signal ${stopSignal}.\n`);
    return 255;
  }
  if (behaviour.kind === 'hang') return 255; // unreachable: a hang ends only by a stop signal
  if (behaviour.kind === 'signal') {
    // Die by the signal itself (no handler of ours may catch it), as a crashing FFmpeg would.
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    process.kill(process.pid, /** @type {NodeJS.Signals} */ (behaviour.signal));
    await sleep(Number.POSITIVE_INFINITY);
  }
  return behaviour.kind === 'exit' ? behaviour.code : 1;
}

/**
 * Sets /proc/self/comm (Linux only; elsewhere there is no such name to look at, and nothing to do).
 * @param {string} name
 */
function setComm(name) {
  try {
    writeFileSync('/proc/self/comm', name);
  } catch (error) {
    if (/** @type {{ code?: unknown }} */ (error).code !== 'ENOENT') throw error;
  }
}

/**
 * Real ms per descriptor ms: 1, or less when the run is longer than MAX_SLEEP_MS.
 * @param {number} durationMs
 */
function scaleOf(durationMs) {
  return durationMs > MAX_SLEEP_MS ? MAX_SLEEP_MS / durationMs : 1;
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
