// `npm run bench`: the runner's speed and memory figures, each beside a baseline measured in the same run
// on the same machine, so that a loaded or slow machine shows up in the baseline instead of in the figure.
// Not a test: nothing here passes or fails CI. It prints, per figure, the median of several runs, the
// baseline, their ratio and the goal. Options: --runs N (default 5), --long (adds the 60 s 1080p clip,
// minutes), --only NAME (one figure). Needs `npm run build` first (it builds when dist/cli.js is missing)
// and FFmpeg on PATH for the clip figures.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const REPO = resolve(import.meta.dirname, '..');
const CLI = join(REPO, 'dist', 'cli.js');
const RSS_PRELOAD = join(REPO, 'scripts', 'bench-rss.mjs');

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, long: { type: 'boolean', default: false }, only: { type: 'string' } } });
const RUNS = Math.max(1, Number(values.runs));
/** Figures whose one run takes tens of seconds (thousands of files, real encodes) run at most 3 times. */
const HEAVY_RUNS = Math.min(RUNS, 3);

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly goal: string;
  readonly met: boolean | null;
}
const rows: Row[] = [];

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
/** Milliseconds since `started` (a process.hrtime.bigint()). */
const msSince = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e6;

function scratch(name: string): string {
  return mkdtempSync(join(tmpdir(), `bench-${name}-`));
}

/** Runs `node [--import preload] args…` to its end: wall time and the child's own peak RSS (KiB). */
function timedNode(args: readonly string[], cwd = REPO): { ms: number; rssKiB: number; status: number | null } {
  const rssFile = join(scratch('rss'), 'rss');
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', RSS_PRELOAD, ...args], { cwd, env: { ...process.env, BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = msSince(started);
  const rssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : Number.NaN;
  return { ms, rssKiB, status: run.status };
}

function watchFolder(): { root: string; watch: string } {
  const root = scratch('watch');
  const watch = join(root, 'watch');
  for (const dir of ['pending', 'running', 'completed', 'failed']) mkdirSync(join(watch, dir), { recursive: true });
  return { root, watch };
}

function want(name: string): boolean {
  return values.only === undefined || values.only === name;
}

// 1. Start-up of the compiled entry on an empty folder, against bare Node starting and exiting.
function startup(): void {
  const { root, watch } = watchFolder();
  const runner = Array.from({ length: RUNS }, () => timedNode([CLI, watch, '--once']));
  const bare = Array.from({ length: RUNS }, () => timedNode(['-e', '']));
  const ms = median(runner.map((r) => r.ms));
  const rss = median(runner.map((r) => r.rssKiB));
  const bareMs = median(bare.map((r) => r.ms));
  rows.push({ figure: 'start-up, --once on an empty folder (wall)', value: secs(ms), baseline: `${secs(bareMs)} (bare node)`, ratio: (ms / bareMs).toFixed(2), goal: '<= 0.150 s', met: ms <= 150 });
  rows.push({ figure: 'start-up, --once on an empty folder (peak RSS)', value: mib(rss), baseline: `${mib(median(bare.map((r) => r.rssKiB)))} (bare node)`, ratio: '', goal: '<= 70 MiB', met: rss <= 70 * 1024 });
  const tsx = timedNode(['--import', 'tsx', join(REPO, 'src', 'cli.ts'), watch, '--once']);
  const tsxBare = timedNode(['--import', 'tsx', '-e', '']);
  rows.push({ figure: 'start-up through tsx (npx tsx src/cli.ts), one run', value: secs(tsx.ms), baseline: `${secs(tsxBare.ms)} (node --import tsx)`, ratio: (tsx.ms / tsxBare.ms).toFixed(2), goal: 'tsx only', met: null });
  rmSync(root, { recursive: true, force: true });
}

const INVALID = '{"jobspec_version": "1.0"}\n';

function dropInvalid(pending: string, count: number): void {
  for (let i = 0; i < count; i += 1) writeFileSync(join(pending, `job-${String(i).padStart(6, '0')}.json`), INVALID);
}

function fsyncDir(path: string): void {
  const fd = openSync(path, 'r');
  fsyncSync(fd);
  closeSync(fd);
}

/**
 * The least a durable runner must do per invalid job, as bare synchronous system calls: claim by rename
 * (fsync both folders), read it, write the result to a temp (fsync), link the JobSpec into failed/ (the
 * commit, fsync), link the result, unlink the claimed name (fsync running/), drop the temp (fsync failed/).
 */
function minimalDurableJobs(count: number): number {
  const { root, watch } = watchFolder();
  dropInvalid(join(watch, 'pending'), count);
  const started = process.hrtime.bigint();
  for (const name of readdirSync(join(watch, 'pending')).sort()) {
    const pending = join(watch, 'pending', name);
    const running = join(watch, 'running', name);
    const stem = name.slice(0, -5);
    renameSync(pending, running);
    fsyncDir(join(watch, 'running'));
    fsyncDir(join(watch, 'pending'));
    readFileSync(running);
    const temp = join(watch, 'failed', `.${stem}.result.tmp`);
    const fd = openSync(temp, 'wx');
    writeSync(fd, '{"final_status": "PARTIAL"}\n');
    fsyncSync(fd);
    closeSync(fd);
    fsyncDir(join(watch, 'failed'));
    linkSync(running, join(watch, 'failed', name));
    fsyncDir(join(watch, 'failed'));
    linkSync(temp, join(watch, 'failed', `${stem}.result.json`));
    unlinkSync(running);
    fsyncDir(join(watch, 'running'));
    unlinkSync(temp);
    fsyncDir(join(watch, 'failed'));
  }
  const ms = msSince(started);
  rmSync(root, { recursive: true, force: true });
  return (count / ms) * 1000;
}

// 2. 1,000 JobSpecs that fail validation in one --once, against the bare durable sequence.
function invalidJobs(): void {
  const count = 1000;
  const rates: number[] = [];
  const baselines: number[] = [];
  for (let run = 0; run < HEAVY_RUNS; run += 1) {
    const { root, watch } = watchFolder();
    dropInvalid(join(watch, 'pending'), count);
    const timed = timedNode([CLI, watch, '--once']);
    if (readdirSync(join(watch, 'failed')).length !== 2 * count) throw new Error('the runner did not file every invalid job');
    rates.push((count / timed.ms) * 1000);
    rmSync(root, { recursive: true, force: true });
    baselines.push(minimalDurableJobs(count));
  }
  const rate = median(rates);
  const base = median(baselines);
  rows.push({ figure: '1,000 invalid JobSpecs, one --once (jobs/s, start-up included)', value: rate.toFixed(0), baseline: `${base.toFixed(0)} (bare durable syscalls)`, ratio: (rate / base).toFixed(2), goal: '>= 1500', met: rate >= 1500 });
}

function ffmpegAvailable(): boolean {
  return spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
}

function makeClip(path: string, seconds: number, size: string): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=duration=${seconds}:size=${size}:rate=25`, '-f', 'lavfi', '-i', `sine=duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path]);
}

function jobSpecFor(source: string, out: string): string {
  return JSON.stringify({ jobspec_version: '2.1', sources: [source], output_directory: out, codec: 'prores_proxy', container: 'mov', resolution: 'same', naming_template: '{source_name}_proxy', proxy_profile: 'proxy_prores_proxy' });
}

/** The FFmpeg argv the runner would run for each JobSpec: asked of `validate --json`, so the baseline runs exactly them. */
function plannedArgv(files: readonly string[]): string[][] {
  const report = JSON.parse(execFileSync(process.execPath, [CLI, 'validate', '--json', ...files], { encoding: 'utf8' })) as { files: { clips: { ffmpeg_command: string[] }[] }[] };
  return report.files.flatMap((f) => f.clips.map((c) => c.ffmpeg_command));
}

// 3. Clips: the runner's wall time over the same FFmpeg commands run bare, one after another.
function clips(label: string, count: number, seconds: number, size: string, goal: number, runs: number): void {
  const ratios: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const { root, watch } = watchFolder();
    const media = join(root, 'media');
    mkdirSync(media);
    const sources = Array.from({ length: count }, (_, i) => join(media, `clip${String(i).padStart(2, '0')}.mov`));
    makeClip(sources[0] ?? '', seconds, size);
    for (const source of sources.slice(1)) linkSync(sources[0] ?? '', source);
    const bareOut = join(root, 'bare');
    mkdirSync(bareOut);
    const specs = sources.map((source, i) => {
      const file = join(root, `job${String(i).padStart(2, '0')}.json`);
      writeFileSync(file, jobSpecFor(source, bareOut));
      return file;
    });
    const bareStarted = process.hrtime.bigint();
    for (const argv of plannedArgv(specs)) execFileSync(argv[0] ?? 'ffmpeg', argv.slice(1), { stdio: 'ignore' });
    const bareMs = msSince(bareStarted);
    const out = join(root, 'out');
    mkdirSync(out);
    sources.forEach((source, i) => writeFileSync(join(watch, 'pending', `job${String(i).padStart(2, '0')}.json`), jobSpecFor(source, out)));
    const timed = timedNode([CLI, watch, '--once']);
    if (timed.status !== 0) throw new Error(`the runner exited ${timed.status} on the clip jobs`);
    ratios.push(timed.ms / bareMs);
    rmSync(root, { recursive: true, force: true });
  }
  const ratio = median(ratios);
  rows.push({ figure: label, value: ratio.toFixed(3), baseline: 'the same FFmpeg commands, bare', ratio: ratio.toFixed(3), goal: `<= ${goal}`, met: ratio <= goal });
}

// 4. 100,000 files in pending/: how soon the first result is filed, and the peak RSS by then.
async function manyPending(): Promise<void> {
  const count = 100_000;
  const firsts: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < HEAVY_RUNS; run += 1) {
    const { root, watch } = watchFolder();
    dropInvalid(join(watch, 'pending'), count);
    const rssFile = join(root, 'rss');
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', RSS_PRELOAD, CLI, watch, '--once'], { env: { ...process.env, BENCH_RSS_FILE: rssFile }, stdio: 'ignore' });
    const failed = join(watch, 'failed');
    for (;;) {
      if (readdirSync(failed).some((name) => name.endsWith('.result.json'))) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    firsts.push(msSince(started));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rss.push(Number(readFileSync(rssFile, 'utf8').trim()));
    rmSync(root, { recursive: true, force: true });
  }
  const first = median(firsts);
  const peak = median(rss);
  rows.push({ figure: '100,000 files in pending/: first result filed', value: secs(first), baseline: '', ratio: '', goal: '<= 0.300 s', met: first <= 300 });
  rows.push({ figure: '100,000 files in pending/: peak RSS until stopped', value: mib(peak), baseline: '', ratio: '', goal: '<= 100 MiB', met: peak <= 100 * 1024 });
}

if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
console.log(`npm run bench: ${availableParallelism()} cores, Node ${process.version}, median of ${RUNS} runs where it says so\n`);
if (want('startup')) startup();
if (want('invalid')) invalidJobs();
if (want('clips') || want('long')) {
  if (!ffmpegAvailable()) {
    rows.push({ figure: 'clip figures', value: 'skipped', baseline: 'no ffmpeg on PATH', ratio: '', goal: '', met: null });
  } else {
    if (want('clips')) clips('20 small clips (2 s, 320x240 → ProRes Proxy): runner ÷ bare FFmpeg', 20, 2, '320x240', 1.05, HEAVY_RUNS);
    if (values.long || values.only === 'long') clips('one 60 s 1080p clip → ProRes Proxy: runner ÷ bare FFmpeg', 1, 60, '1920x1080', 1.01, 1);
  }
}
if (want('pending')) await manyPending();

const header = ['figure', 'value', 'baseline', 'ratio', 'goal', 'met'];
const table = rows.map((r) => [r.figure, r.value, r.baseline, r.ratio, r.goal, r.met === null ? '' : r.met ? 'yes' : 'NO']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
