// The runner installed as README.md's "Installing it" says: `npm pack` (its prepack builds dist/cli.js),
// then `npm install -g` of the tarball, offline. The installed command must work with no dependency, no
// devDependency and no TypeScript: the same thing a service unit, a cron line or an image runs.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/bundle-cli.ts';
import { fakeOutputBytes } from '../../src/conformance/media.ts';
import { USAGE } from '../../src/options.ts';
import { VERSION } from '../../src/version.ts';
import { HANG_MS, REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { copyContext, nodeOnlyPath } from './dockerfile.ts';
import type { Sandbox } from './stand-in.ts';
import { jobSpec, makeSandbox, MEDIA, OK_OUTPUT_BYTES } from './stand-in.ts';

interface PackageJson {
  readonly name: string;
  readonly bin: Record<string, string>;
  readonly files: readonly string[];
}
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;
const BIN_NAME = 'watch-folder-runner';

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'pack-test-'));
const prefix = join(dir, 'prefix');
const source = join(dir, 'source');
let packed: PackResult;

/**
 * npm with a private HOME (its cache and logs) and none of the npm_* variables of an enclosing `npm test`,
 * which would otherwise configure it (a prefix, a global folder).
 */
function npm(args: string[], cwd: string) {
  return execa('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: join(dir, 'home') },
    extendEnv: false,
    timeout: HANG_MS,
  });
}

beforeAll(async () => {
  // Packed from a copy of the build context, not from this checkout: prepack's build then writes a
  // dist/cli.js of its own and never one that another suite (the conformance runs) may be reading. The
  // copy uses this checkout's node_modules, as `npm ci` from the same lockfile would install them.
  copyContext(source);
  symlinkSync(join(REPO, 'node_modules'), join(source, 'node_modules'));
  const pack = await npm(['pack', '--json', '--pack-destination', dir], source);
  // npm prints prepack's own output before the JSON report.
  const report = JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m))) as PackResult[];
  const [one] = report;
  if (one === undefined || report.length !== 1) throw new Error(`npm pack made ${report.length} tarballs`);
  packed = one;
  // --offline: an install that needed a package from the registry fails here instead of fetching it.
  await npm(['install', '--global', '--offline', '--prefix', prefix, join(dir, packed.filename)], dir);
}, 2 * HANG_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let sandbox: Sandbox | undefined;
afterEach(() => {
  sandbox?.cleanup();
  sandbox = undefined;
});

/** The installed command, with only the stand-in ffmpeg and node on PATH, from a folder of the sandbox. */
function installed(box: Sandbox, args: string[], command = join(prefix, 'bin', BIN_NAME)) {
  const path = nodeOnlyPath(join(box.root, 'node-bin'), [box.bin]);
  return execa(command, args, { reject: false, env: { PATH: path, TZ: 'UTC' }, extendEnv: false, cwd: box.root, timeout: HANG_MS });
}

describe('npm pack and npm install -g of the tarball', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('packs the compiled entry, its schemas, package.json and README.md: no sources, no node_modules', () => {
    const schemas = readdirSync(join(REPO, 'schema')).map((name) => `schema/${name}`);
    expect(packed.files.map((file) => file.path).sort()).toEqual(['README.md', 'dist/cli.js', 'package.json', ...schemas].sort());
    expect(pkg.files).toEqual(['dist/cli.js', 'schema/']);
  });

  it('installs without a single dependency, offline', () => {
    const home = join(prefix, 'lib', 'node_modules', pkg.name);
    expect(existsSync(join(home, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(home, 'node_modules'))).toBe(false);
  });

  it('the installed command prints its version and usage with Node alone on PATH', async () => {
    const box = (sandbox = makeSandbox());
    const version = await installed(box, ['--version']);
    expect({ exit: version.exitCode, stdout: version.stdout, stderr: version.stderr }).toEqual({ exit: 0, stdout: VERSION, stderr: '' });
    const help = await installed(box, ['--help']);
    expect({ exit: help.exitCode, stdout: help.stdout }).toEqual({ exit: 0, stdout: USAGE });
  });

  it('the installed command completes a --once job: proxy published, JobSpec and result in completed/, exit 0', async () => {
    const box = (sandbox = makeSandbox());
    writeFileSync(join(box.media, 'clip.mov'), MEDIA.ok);
    mkdirSync(join(box.watch, 'pending'));
    writeFileSync(join(box.watch, 'pending', 'job.json'), jobSpec(box, ['clip.mov']));

    const run = await installed(box, [box.watch, '--once']);

    expect({ exit: run.exitCode, stderr: run.stderr }).toEqual({ exit: 0, stderr: '' });
    expect(run.stdout).toContain('Scan complete: 1 completed, 0 failed, 0 partial, 0 waiting');
    expect(readdirSync(join(box.watch, 'completed')).sort()).toEqual(['job.json', 'job.result.json']);
    expect(readFileSync(join(box.out, 'clip_proxy.mov'))).toEqual(Buffer.from(fakeOutputBytes(OK_OUTPUT_BYTES)));
    const result = JSON.parse(readFileSync(join(box.watch, 'completed', 'job.result.json'), 'utf8')) as Record<string, unknown>;
    expect(result.final_status).toBe('COMPLETED');
  });

  it('the built checkout runs with no node_modules at all, which is what `npm prune --omit=dev` leaves of it', async () => {
    // Only the link to this checkout's node_modules goes (unlink never follows it); with no dependency
    // left, a prune removes every installed package, so this is the pruned checkout without a copy of them.
    unlinkSync(join(source, 'node_modules'));
    const box = (sandbox = makeSandbox());
    const version = await installed(box, ['--version'], join(source, 'dist', 'cli.js'));
    expect({ exit: version.exitCode, stdout: version.stdout, stderr: version.stderr }).toEqual({ exit: 0, stdout: VERSION, stderr: '' });
  });
});
