// The compiled entry (`npm run build` → dist/cli.js, package.json's `bin`): one executable file that runs
// with Node alone, from anywhere, under the command name its own --help prints.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_CLI, REPO, bundleCli } from '../../scripts/bundle-cli.ts';
import { USAGE } from '../../src/options.ts';
import { VERSION } from '../../src/version.ts';

// Built into a folder of its own, far from node_modules: a dependency left out of the bundle cannot be found.
const dir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
const entry = join(dir, 'cli.js');
beforeAll(() => bundleCli({ outfile: entry }), 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the file itself (its #! line and mode bit), with only node on PATH. */
const run = (args: string[]) => execa(entry, args, { reject: false, cwd: dir, env: { PATH: join(process.execPath, '..') }, extendEnv: false });

describe('the compiled entry', () => {
  it('is one executable file that prints the version', async () => {
    expect(readFileSync(entry, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(entry).mode & 0o111).toBe(0o111);
    const version = await run(['--version']);
    expect({ exit: version.exitCode, stdout: version.stdout, stderr: version.stderr }).toEqual({ exit: 0, stdout: VERSION, stderr: '' });
  });

  it('prints the usage under the command name package.json installs', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    const help = await run(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toBe(USAGE);
    const name = /^usage: (\S+) /.exec(USAGE)?.[1];
    expect(pkg.bin).toEqual({ [name ?? '(no name in the usage)']: relative(REPO, DIST_CLI) });
  });

  it('answers a usage error with exit 2, as the sources do', async () => {
    const bad = await run(['--no-such-option']);
    expect({ exit: bad.exitCode, stderr: bad.stderr.split('\n').length }).toEqual({ exit: 2, stderr: 1 });
  });
});
