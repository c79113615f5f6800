// The Dockerfile, as far as a machine without Docker can check it: its words (Debian's Node 20 image,
// Debian's ffmpeg and tini, a non-root user, the compiled entry behind an init and nothing in between),
// then its steps replayed (spec/e2e/dockerfile.ts): the build stage's `npm run build` on exactly the files
// it copies, the runtime stage's files, and the entry run on them as `docker run` would start it, with the
// stand-in ffmpeg where Debian's would be.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { execa } from 'execa';
import type { TestContext } from 'vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/bundle-cli.ts';
import { fakeOutputBytes } from '../../src/conformance/media.ts';
import { USAGE } from '../../src/options.ts';
import { VERSION } from '../../src/version.ts';
import { HANG_MS, REAL_PROCESS_TEST_MS, waitFor } from '../support/polling.ts';
import type { Replay, Stage } from './dockerfile.ts';
import { execForm, filesUnder, inContext, last, nodeOnlyPath, parseCopy, readStages, replayImage } from './dockerfile.ts';
import type { Sandbox } from './stand-in.ts';
import { jobSpec, makeSandbox, MEDIA, OK_OUTPUT_BYTES } from './stand-in.ts';

interface PackageJson {
  readonly engines: { readonly node: string };
  readonly bin: Record<string, string>;
  readonly files: readonly string[];
}
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;

const [build, runtime] = readStages() as [Stage | undefined, Stage | undefined];
function stage(which: Stage | undefined): Stage {
  if (which === undefined) throw new Error('the Dockerfile has fewer than two stages');
  return which;
}
function words(which: Stage | undefined, keyword: string): string[] {
  return stage(which)
    .instructions.filter((instruction) => instruction.keyword === keyword)
    .map((instruction) => instruction.args);
}
/** The exec form of the stage's last `keyword`; null when it is missing or in shell form (a test says so). */
function exec(which: Stage | undefined, keyword: string): string[] | null {
  const args = last(stage(which), keyword)?.args;
  return args === undefined ? null : execForm(args);
}

const ENTRYPOINT = exec(runtime, 'ENTRYPOINT') ?? [];
const CMD = exec(runtime, 'CMD') ?? [];
const workdirOf = (which: Stage | undefined) => posix.resolve('/', last(stage(which), 'WORKDIR')?.args ?? '/');
const WORKDIR = workdirOf(runtime);
const VOLUMES = words(runtime, 'VOLUME').flatMap((args) => execForm(args) ?? args.split(/\s+/));
/** The image's init, from Debian's tini package (the same as this Debian's, which .ci/run installs). */
const INIT = '/usr/bin/tini';
const BIN_NAME = 'watch-folder-runner';
/** No wrapper that may swallow SIGTERM, and no TypeScript at run time. */
const WRAPPERS = /\b(npx|npm|tsx|yarn|pnpm|ts-node)\b/;

describe('the Dockerfile says', () => {
  it('two stages, both on the Debian bookworm image of the Node major package.json asks for', () => {
    const major = /^>=\s*(\d+)/.exec(pkg.engines.node)?.[1];
    expect(readStages().map((each) => each.image)).toEqual([`node:${major}-bookworm-slim`, `node:${major}-bookworm-slim`]);
    expect(stage(build).name).not.toBeNull();
  });

  it('the build stage installs from the lockfile and builds the compiled entry', () => {
    expect(words(build, 'RUN')).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
  });

  it("the runtime stage installs Debian's ffmpeg and tini without recommends and drops the package lists", () => {
    const [install, ...more] = words(runtime, 'RUN');
    expect(more).toEqual([]);
    const steps = (install ?? '').split(/\s*&&\s*/);
    expect(steps).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends ffmpeg tini', 'rm -rf /var/lib/apt/lists/*']);
  });

  it('the runtime stage copies from the build stage only what the npm package ships', () => {
    const fromBuild = words(runtime, 'COPY')
      .map(parseCopy)
      .filter((copy) => copy.from !== null);
    expect(fromBuild.map((copy) => copy.from)).toEqual(fromBuild.map(() => stage(build).name));
    // Every one of them a file or folder that package.json's `files` lists (dist/cli.js), nothing of node_modules.
    for (const copy of fromBuild) {
      for (const source of copy.sources) expect(pkg.files).toContain(posix.relative(workdirOf(build), source).replace(/\/$/, ''));
    }
  });

  it('it runs as a user that is not root', () => {
    const user = last(stage(runtime), 'USER')?.args.split(':')[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('its ENTRYPOINT and CMD are in exec form: a shell form would put sh, which ignores SIGTERM, in between', () => {
    expect({ entrypoint: exec(runtime, 'ENTRYPOINT') !== null, cmd: exec(runtime, 'CMD') !== null }).toEqual({ entrypoint: true, cmd: true });
  });

  it('its entry is Node on the compiled entry behind tini, with no wrapper, and the default folder is under a volume', () => {
    expect(ENTRYPOINT).toEqual([INIT, '--', 'node', posix.join(WORKDIR, pkg.bin[BIN_NAME] ?? '(no bin)')]);
    for (const part of [...ENTRYPOINT, ...CMD]) expect(part).not.toMatch(WRAPPERS);
    expect(CMD).toHaveLength(1);
    expect(VOLUMES.some((volume) => CMD[0]?.startsWith(`${volume}/`))).toBe(true);
  });

  it('.dockerignore keeps installed, built and test files out of the build context, and the sources in', () => {
    for (const path of ['node_modules', 'node_modules/execa/package.json', 'dist/cli.js', '.git', 'demo/watch', '.tmp/x', 'golden/cli/x.json', 'suite/manifest.json']) {
      expect({ path, inContext: inContext(path) }).toEqual({ path, inContext: false });
    }
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/cli.ts', 'scripts/build.ts', 'schema/jobspec-2.1.schema.json']) {
      expect({ path, inContext: inContext(path) }).toEqual({ path, inContext: true });
    }
  });
});

const dir = mkdtempSync(join(tmpdir(), 'dockerfile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let image: Replay;

let sandbox: Sandbox | undefined;
afterEach(() => {
  sandbox?.cleanup();
  sandbox = undefined;
});
/** The sandbox of the running test (made by makeSandbox at its start). */
function box(): Sandbox {
  if (sandbox === undefined) throw new Error('no sandbox: call makeSandbox() first');
  return sandbox;
}

/** What `docker run -v <volume>:<VOLUME>` would give the entry: the image's files and the volume at their paths. */
function toHost(part: string, volume: string): string {
  if (part === WORKDIR || part.startsWith(`${WORKDIR}/`)) return join(image.imageRoot, part);
  for (const mount of VOLUMES) if (part === mount || part.startsWith(`${mount}/`)) return join(volume, posix.relative(mount, part));
  return part;
}

interface Started {
  readonly volume: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
}

/**
 * The entry as `docker run IMAGE [ARGS]` starts it (ARGS replace CMD), on a fresh volume; `init: false`
 * starts it from `node` on, as `--init`-less images without tini would. PATH has the stand-in ffmpeg where the
 * image has Debian's, and a node; TINI_SUBREAPER lets tini reap orphans here as it does as PID 1.
 */
function entry(args: readonly string[] | null, { init = true } = {}): Started {
  const volume = join(box().root, 'volume');
  mkdirSync(volume, { recursive: true });
  const argv = [...(init ? ENTRYPOINT : ENTRYPOINT.slice(ENTRYPOINT.indexOf('--') + 1)), ...(args ?? CMD)].map((part) => toHost(part, volume));
  const path = nodeOnlyPath(join(box().root, 'node-bin'), [box().bin]);
  return { volume, argv, env: { PATH: path, TZ: 'UTC', TINI_SUBREAPER: '1' } };
}

function start({ argv, env }: Started) {
  const [file = '', ...rest] = argv;
  return execa(file, rest, { reject: false, env, extendEnv: false, cwd: box().root, timeout: HANG_MS });
}

/** A watch folder at the CMD's path on the volume, with one JobSpec on the medium `media` in pending/. */
function dropJob(started: Started, media: string): string {
  const watch = toHost(CMD[0] ?? '', started.volume);
  mkdirSync(join(watch, 'pending'), { recursive: true });
  writeFileSync(join(box().media, 'clip.mov'), media);
  writeFileSync(join(watch, 'pending', 'job.json'), jobSpec(box(), ['clip.mov']));
  return watch;
}

function resultOf(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** The image's init must be here to start the entry as the image does (.ci/run installs Debian's tini). */
function needInit(ctx: TestContext): void {
  if (!existsSync(INIT)) ctx.skip(`no ${INIT} on this machine (apt-get install tini)`);
}

describe('the image, replayed', { timeout: REAL_PROCESS_TEST_MS }, () => {
  // The replay builds once; each test then starts the image's entry on a volume of its own. A step the
  // replay cannot take fails these tests only: the Dockerfile's words above are still reported.
  beforeAll(async () => {
    image = await replayImage({ dir, pathEnv: process.env.PATH ?? '' });
  }, HANG_MS);

  it('holds package.json, dist/cli.js and schema/ under its WORKDIR, and nothing else', () => {
    const schemas = readdirSync(join(REPO, 'schema')).map((name) => `schema/${name}`);
    const expected = ['package.json', pkg.bin[BIN_NAME] ?? '(no bin)', ...schemas].map((path) => posix.join(WORKDIR.slice(1), path));
    expect(filesUnder(image.imageRoot)).toEqual(expected.sort());
  });

  it('its compiled entry runs with Node alone: --version, --help', async () => {
    sandbox = makeSandbox();
    const version = await start(entry(['--version'], { init: false }));
    expect({ exit: version.exitCode, stdout: version.stdout, stderr: version.stderr }).toEqual({ exit: 0, stdout: VERSION, stderr: '' });
    const help = await start(entry(['--help'], { init: false }));
    expect({ exit: help.exitCode, stdout: help.stdout }).toEqual({ exit: 0, stdout: USAGE });
  });

  it('through tini, with the default CMD, completes a job from the mounted watch folder and exits 0', async (ctx) => {
    needInit(ctx);
    sandbox = makeSandbox();
    const started = entry(null);
    const watch = dropJob(started, MEDIA.ok);

    const run = await start({ ...started, argv: [...started.argv, '--once'] });

    expect({ exit: run.exitCode, stderr: run.stderr }).toEqual({ exit: 0, stderr: '' });
    expect(readdirSync(join(watch, 'completed')).sort()).toEqual(['job.json', 'job.result.json']);
    expect(resultOf(join(watch, 'completed', 'job.result.json')).final_status).toBe('COMPLETED');
    expect(readFileSync(join(box().out, 'clip_proxy.mov'))).toEqual(Buffer.from(fakeOutputBytes(OK_OUTPUT_BYTES)));
    expect(existsSync(join(watch, '.runner.lock'))).toBe(false);
  });

  it("docker stop's SIGTERM to tini reaches the runner: FFmpeg stopped, the job filed as interrupted, exit 0", async (ctx) => {
    needInit(ctx);
    sandbox = makeSandbox();
    const started = entry(null);
    const watch = dropJob(started, MEDIA.slow);
    const runner = start(started);
    const lockPath = join(watch, '.runner.lock');
    // However long a loaded machine takes to start the runner and its stand-in: only a hang ends the wait.
    const ffmpeg = await waitFor('an ffmpeg pid in the lock', () => {
      const lock = existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : '{}';
      return (JSON.parse(lock) as { ffmpeg_pid?: number | null }).ffmpeg_pid ?? null;
    });

    runner.kill('SIGTERM');
    const done = await runner;

    expect(done.exitCode).toBe(0);
    expect(done.stderr).toContain('Received SIGTERM');
    expect(() => process.kill(ffmpeg, 0)).toThrow();
    const result = resultOf(join(watch, 'failed', 'job.result.json'));
    expect((result.clips as Record<string, unknown>[])[0]?.failure_reason).toBe('runner interrupted');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('without a mount, the default folder is missing: exit 2 with one line, and nothing is created', async (ctx) => {
    needInit(ctx);
    sandbox = makeSandbox();
    const started = entry(null);
    const run = await start(started);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(started.volume)).toEqual([]);
  });
});
