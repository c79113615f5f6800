// Names on the real filesystem that used to leave a JobSpec in pending/ for good, logged on every poll
// (contract sections 3 and 4.5): names that are not valid UTF-8, as SMB shares and old tools write them,
// and names so long that `<stem>.result.json` or a collision suffix would not fit 255 bytes. Each is
// processed and filed; a byte that is not UTF-8 keeps its exact value on disk and reads `\udcNN` in the
// result and on the console.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { encodeName, nodePathOf } from '../../src/path-bytes.ts';
import { resultNameOf } from '../../src/runner/filing-names.ts';
import { checkInvariants, isSuffixedFilingOf, jobSpec, makeRealSandbox, media, runOnce, snapshot } from './real-tree.ts';
import { messageOf } from '../support/silent-log.ts';

/** The raw bytes of each name in `dir`, as hex, sorted: what is really on disk. */
function rawNames(dir: string): string[] {
  return readdirSync(dir, { encoding: 'buffer' }).map((name) => name.toString('hex')).sort();
}

const hex = (name: string): string => Buffer.from(encodeName(name)).toString('hex');

describe('JobSpec names that are not valid UTF-8', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('are claimed, processed, recovered and filed under their exact bytes, beside a result with the same bytes', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    // Latin-1 "café.json"; a lone 0xFF; an encoded surrogate (ED A0 80) beside a valid "€".
    const latin1 = 'caf\udce9';
    const stray = '\udcff';
    const mixed = '€\udced\udca0\udc80';
    for (const [stem, job] of [[latin1, 'latin001'], [stray, 'stray001'], [mixed, 'mixed001']] as const) {
      media(sandbox, `${job}.mov`);
      writeFileSync(nodePathOf(join(sandbox.pending, `${stem}.json`)), jobSpec(sandbox, [`${job}.mov`], { job_id: job }));
    }
    // Left in running/ by a crash, under a name that is not UTF-8 either; and a name already taken in
    // completed/ by an earlier job of the same bytes.
    writeFileSync(nodePathOf(join(sandbox.running, 'left\udcfc.json')), jobSpec(sandbox, ['gone.mov'], { job_id: 'left0001' }));
    writeFileSync(nodePathOf(join(sandbox.completed, `${latin1}.json`)), '{"job_id": "old00001"}\n');
    writeFileSync(nodePathOf(join(sandbox.completed, resultNameOf(latin1))), '{"job_id":"old00001","final_status":"COMPLETED"}\n');
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1); // the job left in running/ is filed FAILED, which --once reports (R11.6)
    expect(run.stdout).toMatch(/ INFO  Recovered \S+: left in running\/ by a runner that stopped: FAILED -> failed\//);
    expect(run.stdout).toContain('Scan complete: 3 completed, 0 failed, 0 partial, 0 waiting');
    // On the console each such byte is shown as \udcNN, once per job.
    expect(run.stdout.split('\n').map(messageOf).filter((line) => line.startsWith('COMPLETED: caf\\udce9.json -> completed/caf\\udce9_'))).toHaveLength(1);
    expect(run.stdout).toContain('COMPLETED: \\udcff.json -> completed/\\udcff.json');

    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    expect(filed.get(`${stray}.json`)).toMatchObject({ folder: 'completed', name: `${stray}.json` });
    expect(filed.get(`${mixed}.json`)).toMatchObject({ folder: 'completed', name: `${mixed}.json` });
    const cafe = filed.get(`${latin1}.json`);
    expect(cafe?.folder).toBe('completed');
    expect(isSuffixedFilingOf(latin1, cafe?.name)).toBe(true);
    expect(cafe?.result?.job_id).toBe('latin001');
    expect(filed.get('left\udcfc.json')).toMatchObject({ folder: 'failed', name: 'left\udcfc.json' });
    expect(filed.get('left\udcfc.json')?.result?._recovery?.original_path).toBe(join(sandbox.running, 'left\udcfc.json'));

    // On disk: the very bytes, for the JobSpec and its result.
    expect(rawNames(sandbox.completed)).toEqual(
      [`${latin1}.json`, resultNameOf(latin1), cafe?.name ?? '', resultNameOf((cafe?.name ?? '').slice(0, -5)), `${stray}.json`, resultNameOf(stray), `${mixed}.json`, resultNameOf(mixed)]
        .map(hex)
        .sort(),
    );
    expect(rawNames(sandbox.completed)).toContain('ff2e6a736f6e'); // 0xFF ".json"
    // In the result file, as JSON escapes of those bytes (the file itself is plain ASCII here).
    const text = readFileSync(nodePathOf(join(sandbox.completed, resultNameOf(stray))), 'utf8');
    expect(text).toContain(`"jobspec_path": "${join(sandbox.running, '\\udcff.json')}"`);
  });
});

describe('JobSpec names too long for their result name', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('a 243-byte stem is filed under its own name; a 250-byte stem under its first 226 bytes plus the UTC stamp', async ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    const fits = '€'.repeat(81);
    const long = 'a'.repeat(250);
    media(sandbox, 'clip.mov');
    writeFileSync(join(sandbox.pending, `${fits}.json`), jobSpec(sandbox, ['clip.mov'], { job_id: 'fits0001', naming_template: '{source_name}_fits' }));
    writeFileSync(join(sandbox.pending, `${long}.json`), jobSpec(sandbox, ['clip.mov'], { job_id: 'long0001', naming_template: '{source_name}_long' }));
    const before = snapshot(sandbox.root);

    const run = await runOnce(sandbox);

    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Scan complete: 2 completed, 0 failed, 0 partial, 0 waiting');
    const { problems, filed } = checkInvariants(sandbox, before);
    expect(problems).toEqual([]);
    expect(filed.get(`${fits}.json`)).toMatchObject({ folder: 'completed', name: `${fits}.json` });
    const cut = filed.get(`${long}.json`);
    expect(cut?.folder).toBe('completed');
    expect(isSuffixedFilingOf(long, cut?.name)).toBe(true);
    expect(cut?.name.startsWith(`${'a'.repeat(226)}_`)).toBe(true);
    expect(cut?.result?._metadata.jobspec_path).toBe(join(sandbox.running, `${long}.json`));
  });
});
