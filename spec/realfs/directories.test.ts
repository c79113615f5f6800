// Directories named like the runner's files, on the real filesystem (memfs lets a rename replace a
// directory, Linux does not): a directory named x.json in pending/ is filed as failed with its result
// (moved by rename, since directories cannot be hard-linked), one left in running/ is recovered, and
// directories squatting result and temp names in failed/ are left alone without stopping the runner.

import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { resultTempNameOf } from '../../src/runner/filing-names.ts';
import { checkInvariants, isSuffixedFilingOf, jobSpec, makeRealSandbox, media, MEDIA, runOnce, snapshot } from './real-tree.ts';

describe('directories named like JobSpecs and results', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('files a directory x.json as failed with its result; squatting directories in failed/ do not stop the runner', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    const { pending, running, failed } = sandbox;
    // A directory JobSpec with something inside (it must arrive whole), and one left in running/.
    mkdirSync(join(pending, 'x.json'));
    writeFileSync(join(pending, 'x.json', 'inside.txt'), 'keep me');
    mkdirSync(join(pending, 'x.json', 'nested'));
    mkdirSync(join(running, 'r.json'));
    // Directories on the names x.json would settle under (its temp name) and y.json would (its result):
    // both jobs take the collision suffix; recovery's temp sweep must not touch a directory either.
    mkdirSync(join(failed, resultTempNameOf('x')));
    writeFileSync(join(failed, resultTempNameOf('x'), 'inside.txt'), 'not a temp file');
    mkdirSync(join(failed, 'y.result.json'));
    media(sandbox, 'broken.mov', MEDIA.fail);
    writeFileSync(join(pending, 'y.json'), jobSpec(sandbox, ['broken.mov']));
    media(sandbox, 'clip.mov');
    writeFileSync(join(pending, 'z.json'), jobSpec(sandbox, ['clip.mov']));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/ INFO  Recovered \S+: left in running\/ by a runner that stopped: FAILED -> failed\//);
    expect(run.stdout).toContain('Scan complete: 1 completed, 1 failed, 1 partial, 0 waiting');
    // Covers: each directory moved as the same inode with the same contents, the squatters unchanged.
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);

    const x = filed.get('x.json');
    expect(x?.folder).toBe('failed');
    expect(isSuffixedFilingOf('x', x?.name)).toBe(true);
    expect(x?.result?.final_status).toBe('PARTIAL');
    expect(x?.result?.job_id).toBe('unknown');
    expect(x?.result?._metadata.validation_error).toBe('Invalid JobSpec file: directory');
    expect(lstatSync(join(failed, x?.name ?? 'x.json')).isDirectory()).toBe(true);

    const r = filed.get('r.json');
    expect(r).toMatchObject({ folder: 'failed', name: 'r.json' });
    expect(r?.result?._recovery?.reason).toBe('runner interrupted');

    const y = filed.get('y.json');
    expect(y?.folder).toBe('failed');
    expect(isSuffixedFilingOf('y', y?.name)).toBe(true);
    expect(y?.result?.final_status).toBe('FAILED');
    expect(filed.get('z.json')?.folder).toBe('completed');
  });
});
