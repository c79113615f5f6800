// `npm run bench`: the runner's speed and memory figures, each beside a baseline measured in the same run
// on the same machine, so that a loaded or slow machine shows up in the baseline instead of in the figure.
// Not a test: nothing here passes or fails CI. It prints, per figure, the median of several runs, the
// baseline, their ratio and the goal. Options: --runs N (default 5), --long (adds the 60 s 1080p clip, run
// twice, once in each order: several minutes), --only NAME (one figure; `workers` is the --max-workers 2
// speed-up, which `clips` includes). Needs `npm run build` first (it builds when dist/cli.js is missing),
// FFmpeg on PATH for the clip figures and strace for the idle-poll figure. With PROXX_DIR pointing at a
// checkout of the earlier Python runner (Venkmine/Proxx), its start-up and invalid-job figures are
// measured beside ours in the same run.

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

/** The last line the preload wrote: the process's own peak RSS (KiB) and CPU time (ms). */
function preloadReport(file: string): { rssKiB: number; cpuMs: number } {
  if (!existsSync(file)) return { rssKiB: Number.NaN, cpuMs: Number.NaN };
  const [rssKiB, cpuMs] = (readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { rssKiB: rssKiB ?? Number.NaN, cpuMs: cpuMs ?? Number.NaN };
}

/** Runs `node [--import preload] args…` to its end: wall time, the child's own peak RSS (KiB) and CPU time. */
function timedNode(args: readonly string[], cwd = REPO): { ms: number; rssKiB: number; cpuMs: number; status: number | null } {
  const rssFile = join(scratch('rss'), 'rss');
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', RSS_PRELOAD, ...args], { cwd, env: { ...process.env, BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = msSince(started);
  return { ms, ...preloadReport(rssFile), status: run.status };
}

const PROXX_DIR = process.env.PROXX_DIR;

/**
 * Runs the earlier Python runner (`python3 -m backend.v2.watch_folder_runner args…` from PROXX_DIR) under
 * a small Python parent that reports the child's wall time and peak RSS, as timedNode does for ours.
 */
function timedProxx(args: readonly string[]): { ms: number; rssKiB: number } {
  const parent = 'import resource, subprocess, sys, time\nt = time.monotonic()\nsubprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\nprint((time.monotonic() - t) * 1000, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
  const out = execFileSync('python3', ['-c', parent, 'python3', '-m', 'backend.v2.watch_folder_runner', ...args], { env: { ...process.env, PYTHONPATH: PROXX_DIR }, encoding: 'utf8' });
  const [ms, rssKiB] = out.trim().split(' ').map(Number);
  return { ms: ms ?? Number.NaN, rssKiB: rssKiB ?? Number.NaN };
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
  if (PROXX_DIR !== undefined) {
    const proxx = Array.from({ length: RUNS }, () => timedProxx([watch, '--once']));
    const proxxMs = median(proxx.map((r) => r.ms));
    rows.push({ figure: 'start-up, --once on an empty folder (wall), against the earlier runner', value: secs(ms), baseline: `${secs(proxxMs)} (earlier runner)`, ratio: (ms / proxxMs).toFixed(2), goal: '', met: null });
    rows.push({ figure: 'start-up, --once on an empty folder (peak RSS), against the earlier runner', value: mib(rss), baseline: `${mib(median(proxx.map((r) => r.rssKiB)))} (earlier runner)`, ratio: '', goal: '', met: null });
  }
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
  const proxxRates: number[] = [];
  for (let run = 0; run < HEAVY_RUNS; run += 1) {
    const { root, watch } = watchFolder();
    dropInvalid(join(watch, 'pending'), count);
    const timed = timedNode([CLI, watch, '--once']);
    if (readdirSync(join(watch, 'failed')).length !== 2 * count) throw new Error('the runner did not file every invalid job');
    rates.push((count / timed.ms) * 1000);
    rmSync(root, { recursive: true, force: true });
    baselines.push(minimalDurableJobs(count));
    if (PROXX_DIR !== undefined) {
      const earlier = watchFolder();
      dropInvalid(join(earlier.watch, 'pending'), count);
      proxxRates.push((count / timedProxx([earlier.watch, '--once']).ms) * 1000);
      rmSync(earlier.root, { recursive: true, force: true });
    }
  }
  const rate = median(rates);
  const base = median(baselines);
  rows.push({ figure: '1,000 invalid JobSpecs, one --once (jobs/s, start-up included)', value: rate.toFixed(0), baseline: `${base.toFixed(0)} (bare durable syscalls)`, ratio: (rate / base).toFixed(2), goal: '>= 1500', met: rate >= 1500 });
  if (PROXX_DIR !== undefined) {
    const earlier = median(proxxRates);
    rows.push({ figure: '1,000 invalid JobSpecs, against the earlier runner (which never fsyncs)', value: rate.toFixed(0), baseline: `${earlier.toFixed(0)} (earlier runner)`, ratio: (rate / earlier).toFixed(2), goal: '', met: null });
  }
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
  const ownCpu: number[] = [];
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
    const planned = plannedArgv(specs);
    const bare = (): number => {
      const bareStarted = process.hrtime.bigint();
      for (const argv of planned) execFileSync(argv[0] ?? 'ffmpeg', argv.slice(1), { stdio: 'ignore' });
      return msSince(bareStarted);
    };
    const out = join(root, 'out');
    mkdirSync(out);
    sources.forEach((source, i) => writeFileSync(join(watch, 'pending', `job${String(i).padStart(2, '0')}.json`), jobSpecFor(source, out)));
    // Every other run goes runner first, so that whichever of the two meets a warmer cache or a disk still
    // writing back the other's outputs is not always the same one.
    const runnerFirst = run % 2 === 1;
    const bareFirstMs = runnerFirst ? 0 : bare();
    const timed = timedNode([CLI, watch, '--once']);
    const bareMs = runnerFirst ? bare() : bareFirstMs;
    if (timed.status !== 0) throw new Error(`the runner exited ${timed.status} on the clip jobs`);
    ratios.push(timed.ms / bareMs);
    ownCpu.push(timed.cpuMs / timed.ms);
    rmSync(root, { recursive: true, force: true });
  }
  const ratio = median(ratios);
  rows.push({ figure: label, value: ratio.toFixed(3), baseline: 'the same FFmpeg commands, bare', ratio: ratio.toFixed(3), goal: `<= ${goal}`, met: ratio <= goal });
  // What the runner itself costs, free of FFmpeg's run-to-run noise: its own CPU time over its wall time.
  rows.push({ figure: `${label.split(':')[0] ?? label}: the runner's own CPU (not FFmpeg's) ÷ its wall time`, value: median(ownCpu).toFixed(4), baseline: '', ratio: '', goal: '', met: null });
}

// 3b. The same 20 small clips with --max-workers 2 against one worker, alternating which goes first.
function workersSpeedup(runs: number): void {
  const speedups: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const root = scratch('workers');
    const media = join(root, 'media');
    mkdirSync(media);
    const first = join(media, 'clip00.mov');
    makeClip(first, 2, '320x240');
    const timedWith = (workers: number): number => {
      const folder = watchFolder();
      const out = join(folder.root, 'out');
      mkdirSync(out);
      for (let i = 0; i < 20; i += 1) {
        const source = join(media, `clip${String(i).padStart(2, '0')}.mov`);
        if (!existsSync(source)) linkSync(first, source);
        writeFileSync(join(folder.watch, 'pending', `job${String(i).padStart(2, '0')}.json`), jobSpecFor(source, out));
      }
      const timed = timedNode([CLI, folder.watch, '--once', '--max-workers', String(workers)]);
      if (timed.status !== 0) throw new Error(`the runner exited ${timed.status} with --max-workers ${workers}`);
      rmSync(folder.root, { recursive: true, force: true });
      return timed.ms;
    };
    const ms = new Map<number, number>();
    for (const workers of run % 2 === 0 ? [1, 2] : [2, 1]) ms.set(workers, timedWith(workers));
    speedups.push((ms.get(1) ?? Number.NaN) / (ms.get(2) ?? Number.NaN));
    rmSync(root, { recursive: true, force: true });
  }
  rows.push({
    figure: `20 small clips, --max-workers 2: speed-up over one worker (${availableParallelism()} cores)`,
    value: median(speedups).toFixed(2),
    baseline: 'the same jobs, one worker',
    ratio: median(speedups).toFixed(2),
    goal: '',
    met: null,
  });
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
    rss.push(preloadReport(rssFile).rssKiB);
    rmSync(root, { recursive: true, force: true });
  }
  const first = median(firsts);
  const peak = median(rss);
  rows.push({ figure: '100,000 files in pending/: first result filed', value: secs(first), baseline: '', ratio: '', goal: '<= 0.300 s', met: first <= 300 });
  rows.push({ figure: '100,000 files in pending/: peak RSS until stopped', value: mib(peak), baseline: '', ratio: '', goal: '<= 100 MiB', met: peak <= 100 * 1024 });
}

function straceAvailable(): boolean {
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
}

// 5. Continuous mode with nothing to do: the filesystem calls of each poll, seen by strace. A listing of
// pending/ is its open, fstat and getdents64 calls; everything else between the first listing and the
// stop signal is counted against the goal of none.
async function idlePolls(): Promise<void> {
  if (!straceAvailable()) {
    rows.push({ figure: 'idle continuous mode: filesystem calls per poll', value: 'skipped', baseline: 'no strace on PATH', ratio: '', goal: '', met: null });
    return;
  }
  const { root, watch } = watchFolder();
  const log = join(root, 'strace.log');
  const child = spawn('strace', ['-f', '-qq', '-e', 'trace=%file,getdents64,fsync,fdatasync,pread64,pwrite64', '-o', log, process.execPath, CLI, watch, '--poll-seconds', '0.05'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  // SIGTERM goes to the traced runner, not to strace: strace would detach and leave the runner polling.
  const runner = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  if (runner !== undefined && runner !== '') process.kill(Number(runner), 'SIGTERM');
  const fallback = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(fallback);
  const pending = join(watch, 'pending');
  const calls = readFileSync(log, 'utf8').split('\n').map((line) => line.replace(/^\d+\s+/, ''));
  const isListing = (call: string): boolean => call.startsWith('getdents64(') || /^newfstatat\(\d+, "",/.test(call);
  // A listing opens the folder through opendir(3), which adds O_NONBLOCK; the start-up's directory fsyncs
  // open it without, so the window starts at the first poll, after start-up.
  const opensPending = (call: string): boolean => call.startsWith(`openat(AT_FDCWD, "${pending}", O_RDONLY|O_NONBLOCK`) && call.includes('O_DIRECTORY');
  const first = calls.findIndex(opensPending);
  const stop = calls.findIndex((call) => call.startsWith('--- SIGTERM'));
  const window = calls.slice(first, stop === -1 ? undefined : stop);
  const polls = window.filter(opensPending).length;
  const others = window.filter((call) => call !== '' && !opensPending(call) && !isListing(call));
  rmSync(root, { recursive: true, force: true });
  const perPoll = polls === 0 ? Number.NaN : others.length / polls;
  rows.push({ figure: `idle continuous mode: filesystem calls per poll besides the listing (${polls} polls)`, value: perPoll.toFixed(2), baseline: `${others[0] ?? 'none'}`.slice(0, 40), ratio: '', goal: '0 (one listing only)', met: perPoll === 0 });
}

// 5b. Prompt pickup: from a JobSpec renamed into pending/ to its result, in continuous mode with a poll
// interval (30 s) that polling alone would need, on average, half of.
async function pickup(): Promise<void> {
  const { root, watch } = watchFolder();
  const child = spawn(process.execPath, [CLI, watch, '--poll-seconds', '30'], { stdio: 'ignore' });
  while (!existsSync(join(watch, '.runner.lock'))) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 200)); // past the first scan, asleep until the next poll
  const latencies: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const name = `drop-${run}.json`;
    const staged = join(root, name);
    writeFileSync(staged, INVALID);
    const started = process.hrtime.bigint();
    renameSync(staged, join(watch, 'pending', name));
    const result = join(watch, 'failed', name.replace(/\.json$/, '.result.json'));
    while (!existsSync(result)) await new Promise((resolve) => setImmediate(resolve));
    latencies.push(msSince(started));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  rmSync(root, { recursive: true, force: true });
  const ms = median(latencies);
  rows.push({ figure: 'prompt pickup: a drop into pending/ to its result, continuous mode (--poll-seconds 30)', value: secs(ms), baseline: '15 s on average by polling alone', ratio: '', goal: '', met: null });
}

// 6. The default tier of the conformance suite run against our compiled entry, as an implementer would.
function conformance(): void {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'conformance', 'cli.ts'), '--impl', `${process.execPath} ${CLI} {watch}`], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = msSince(started);
  const verdict = run.stdout.split('\n').find((line) => / passed, \d+ failed/.test(line)) ?? `exit ${run.status}`;
  rows.push({ figure: 'conformance, default tier, of dist/cli.js (one run)', value: secs(ms), baseline: verdict, ratio: '', goal: '<= 60 s', met: run.status === 0 && ms <= 60_000 });
}

if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
console.log(`npm run bench: ${availableParallelism()} cores, Node ${process.version}, median of ${RUNS} runs where it says so\n`);
if (want('startup')) startup();
if (want('invalid')) invalidJobs();
if (want('clips') || want('long') || want('workers')) {
  if (!ffmpegAvailable()) {
    rows.push({ figure: 'clip figures', value: 'skipped', baseline: 'no ffmpeg on PATH', ratio: '', goal: '', met: null });
  } else {
    if (want('clips')) clips('20 small clips (2 s, 320x240 → ProRes Proxy): runner ÷ bare FFmpeg', 20, 2, '320x240', 1.05, HEAVY_RUNS);
    if (want('clips') || want('workers')) workersSpeedup(HEAVY_RUNS);
    if (values.long || values.only === 'long') clips('one 60 s 1080p clip → ProRes Proxy: runner ÷ bare FFmpeg', 1, 60, '1920x1080', 1.01, 2);
  }
}
if (want('pending')) await manyPending();
if (want('idle')) await idlePolls();
if (want('pickup')) await pickup();
if (want('conformance')) conformance();

const header = ['figure', 'value', 'baseline', 'ratio', 'goal', 'met'];
const table = rows.map((r) => [r.figure, r.value, r.baseline, r.ratio, r.goal, r.met === null ? '' : r.met ? 'yes' : 'NO']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
