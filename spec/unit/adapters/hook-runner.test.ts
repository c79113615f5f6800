// The real HookRunner against small shell scripts: the argument and environment it passes (no shell
// between: an argument with spaces and quotes arrives as one), the exit code and stderr tail, the time
// limit (SIGTERM, then SIGKILL for a program that ignores it) and a program that cannot be started.

import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookRunner } from '../../../src/adapters/hook-runner.ts';

let root: string;
const script = async (name: string, body: string): Promise<string> => {
  const file = path.join(root, name);
  await fsp.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
};

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'hook-runner-'));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const runner = createHookRunner({ env: { PATH: '/usr/bin:/bin', FROM_RUNNER: 'kept' } });

describe('the --on-filed runner', () => {
  it('passes the argument as one, the runner’s environment and its own, and reports exit code and stderr', async () => {
    const out = path.join(root, 'seen.txt');
    const program = await script('echo.sh', `printf '%s|%s|%s|%s' "$#" "$1" "$FROM_RUNNER" "$RUNNER_STATUS" > '${out}'; echo 'to stderr' >&2; exit 3`);

    const outcome = await runner.run({ program, args: [`/w/failed/it's "a" job.result.json`], env: { RUNNER_STATUS: 'FAILED' }, timeoutMs: 60_000 });

    expect(outcome).toEqual({ exitCode: 3, signal: null, timedOut: false, stderrTail: 'to stderr\n', startFailure: null });
    expect(await fsp.readFile(out, 'utf8')).toBe(`1|/w/failed/it's "a" job.result.json|kept|FAILED`);
  });

  it('ends a program that outlives its time limit, even one that ignores SIGTERM', async () => {
    const program = await script('stubborn.sh', `trap '' TERM; while :; do sleep 0.1; done`);

    const outcome = await runner.run({ program, args: [], env: {}, timeoutMs: 200 });

    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBe('SIGKILL');
  });

  it('says why a program could not be started', async () => {
    const outcome = await runner.run({ program: path.join(root, 'missing.sh'), args: [], env: {}, timeoutMs: 60_000 });

    expect(outcome.exitCode).toBeNull();
    expect(outcome.startFailure).toMatch(/ENOENT/);
  });
});
