// A broken console must never stop the work (issue 9.2): `--once | head -1` closes stdout after one
// line, and a service manager's log pipe can go away while the runner polls. The runner is started with
// real pipes whose reading ends this test closes; every job must still be filed, the exit code must be
// the work's, and the lock must be released.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS, waitFor } from '../support/polling.ts';
import type { Sandbox } from './stand-in.ts';
import { jobSpec, makeSandbox, MEDIA } from './stand-in.ts';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
const TSX = import.meta.resolve('tsx');

function start(sandbox: Sandbox, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    env: { PATH: sandbox.path, TZ: 'UTC' },
    cwd: sandbox.root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The exit code (or signal) once the child has exited. */
function exited(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}

/** Resolves with the first line the child prints on stdout. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const end = seen.indexOf('\n');
      if (end >= 0) resolve(seen.slice(0, end));
    });
    child.once('exit', () => reject(new Error(`exited before printing a line: ${seen}`)));
  });
}

function dropJobs(sandbox: Sandbox, names: readonly string[], media: (name: string) => string = () => MEDIA.ok): void {
  mkdirSync(join(sandbox.watch, 'pending'), { recursive: true });
  for (const name of names) {
    writeFileSync(join(sandbox.media, `${name}.mov`), media(name));
    writeFileSync(join(sandbox.watch, 'pending', `${name}.json`), jobSpec(sandbox, [`${name}.mov`]));
  }
}

const listing = (sandbox: Sandbox, folder: string): string[] => readdirSync(join(sandbox.watch, folder)).sort();

let sandbox: Sandbox;
afterEach(() => sandbox.cleanup());

describe('a broken console', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('stdout closed after the first line (as by `| head -1`): the later jobs still run, exit 0, the lock is released', async () => {
    sandbox = makeSandbox();
    // The first job holds its clip until the pipe is closed, so every later line is written into a closed pipe.
    dropJobs(sandbox, ['a', 'b', 'c'], (name) => (name === 'a' ? MEDIA.wait : MEDIA.ok));
    const child = start(sandbox, [sandbox.watch, '--once']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exit = exited(child);

    expect(await firstLine(child)).toContain('Watch folder runner');
    child.stdout?.destroy();
    writeFileSync(join(sandbox.media, 'a.mov.go'), '');

    expect(await exit).toBe(0);
    expect(stderr).toBe('');
    expect(listing(sandbox, 'completed')).toEqual(['a.json', 'a.result.json', 'b.json', 'b.result.json', 'c.json', 'c.result.json']);
    expect(listing(sandbox, 'pending')).toEqual([]);
    expect(listing(sandbox, 'running')).toEqual([]);
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
  });

  it('stdout and stderr both closed before the first line: every job is filed, exit 1 for the failed one', async () => {
    sandbox = makeSandbox();
    dropJobs(sandbox, ['a', 'b'], (name) => (name === 'a' ? MEDIA.fail : MEDIA.ok));
    const child = start(sandbox, [sandbox.watch, '--once']);
    const exit = exited(child);
    child.stdout?.destroy();
    child.stderr?.destroy();

    expect(await exit).toBe(1);
    expect(listing(sandbox, 'failed')).toEqual(['a.json', 'a.result.json']);
    expect(listing(sandbox, 'completed')).toEqual(['b.json', 'b.result.json']);
    expect(listing(sandbox, 'pending')).toEqual([]);
    expect(listing(sandbox, 'running')).toEqual([]);
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
  });

  it('continuous mode whose log pipes go away: it keeps polling and filing, and SIGTERM still stops it cleanly (exit 0)', async () => {
    sandbox = makeSandbox();
    const child = start(sandbox, [sandbox.watch, '--poll-seconds', '0.1']);
    const exit = exited(child);
    expect(await firstLine(child)).toContain('continuous');
    child.stdout?.destroy();
    child.stderr?.destroy();

    // Dropped after the console went away: picked up, run and filed by later polls.
    dropJobs(sandbox, ['late']);
    await waitFor('late.json to be filed', () => (existsSync(join(sandbox.watch, 'completed', 'late.result.json')) ? true : null));
    child.kill('SIGTERM'); // its "Received SIGTERM" line goes to the closed stderr

    expect(await exit).toBe(0);
    expect(listing(sandbox, 'completed')).toEqual(['late.json', 'late.result.json']);
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
  });
});
