// The invariant checker of this suite, checked without a runner: a tree settled by hand the way the runner
// settles passes, and each violation of reliability.md section 3 made by hand is reported. A checker that
// cannot fail would make every other test here pass for nothing.

import { linkSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RealSandbox } from './real-tree.ts';
import { checkInvariants, jobSpec, makeRealSandbox, snapshot } from './real-tree.ts';

function result(finalStatus: 'COMPLETED' | 'FAILED' | 'PARTIAL'): string {
  const metadata = {
    jobspec_version: '2.1', validation_error: null, validation_stage: null, engine_used: null, resolve_preset_used: null,
    proxy_profile_used: null, resolve_edition_detected: null, resolve_version_detected: null, jobspec_path: '/x', result_written_at: 't',
    worker_id: 1, worker_started_at: 't',
  };
  return `${JSON.stringify({
    job_id: 'j', final_status: finalStatus, clips: [], started_at: 't', completed_at: 't', duration_seconds: 0, total_clips: 0,
    completed_clips: 0, failed_clips: 0, source_files: [], source_extensions: [], _metadata: metadata,
  })}\n`;
}

/** pending/a.json, pending/b.json, a pre-existing completed/old.json and elsewhere/keep.txt. */
function tree(sandbox: RealSandbox): void {
  writeFileSync(join(sandbox.pending, 'a.json'), jobSpec(sandbox, ['a.mov']));
  writeFileSync(join(sandbox.pending, 'b.json'), jobSpec(sandbox, ['b.mov']));
  writeFileSync(join(sandbox.completed, 'old.json'), '{}');
  writeFileSync(join(sandbox.elsewhere, 'keep.txt'), 'keep');
}

/** Files a.json into completed/ as the runner does (link, unlink), with its result. */
function settleA(sandbox: RealSandbox, status: 'COMPLETED' | 'FAILED' = 'COMPLETED'): void {
  writeFileSync(join(sandbox.completed, 'a.result.json'), result(status));
  linkSync(join(sandbox.pending, 'a.json'), join(sandbox.completed, 'a.json'));
  unlinkSync(join(sandbox.pending, 'a.json'));
}

describe('checkInvariants', () => {
  it('passes a tree settled the way the runner settles, and reports where each JobSpec went', ({ onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    tree(sandbox);
    const before = snapshot(sandbox.root);
    settleA(sandbox);
    writeFileSync(join(sandbox.out, 'a_proxy.mov'), 'proxy');

    const { problems, filed } = checkInvariants(sandbox, before);

    expect(problems).toEqual([]);
    expect(filed.get('a.json')).toMatchObject({ folder: 'completed', name: 'a.json' });
    expect(filed.get('b.json')).toMatchObject({ folder: 'pending', name: 'b.json', result: null });
  });

  const violations: ReadonlyArray<{ what: string; make(sandbox: RealSandbox): void; reported: RegExp }> = [
    { what: 'a JobSpec left in running/', make: (s) => renameSync(join(s.pending, 'a.json'), join(s.running, 'a.json')), reported: /a\.json: left in running/ },
    { what: 'a JobSpec lost', make: (s) => unlinkSync(join(s.pending, 'a.json')), reported: /a\.json: expected in exactly one .* found in \[\]/ },
    {
      what: 'a JobSpec copied instead of moved (a new inode)',
      make: (s) => {
        writeFileSync(join(s.completed, 'a.result.json'), result('COMPLETED'));
        writeFileSync(join(s.completed, 'a.json'), jobSpec(s, ['a.mov']));
        unlinkSync(join(s.pending, 'a.json'));
      },
      reported: /a\.json: expected in exactly one/,
    },
    {
      what: 'a JobSpec in two folders',
      make: (s) => {
        writeFileSync(join(s.completed, 'a.result.json'), result('COMPLETED'));
        linkSync(join(s.pending, 'a.json'), join(s.completed, 'a.json'));
      },
      reported: /a\.json: expected in exactly one .*pending\/a\.json.*completed\/a\.json/,
    },
    {
      what: 'no result beside a filed JobSpec',
      make: (s) => {
        linkSync(join(s.pending, 'a.json'), join(s.completed, 'a.json'));
        unlinkSync(join(s.pending, 'a.json'));
      },
      reported: /a\.result\.json: expected a new result file/,
    },
    { what: 'a result whose final_status disagrees with its folder', make: (s) => settleA(s, 'FAILED'), reported: /final_status FAILED in completed/ },
    {
      what: 'a result that does not parse',
      make: (s) => {
        settleA(s);
        unlinkSync(join(s.completed, 'a.result.json'));
        writeFileSync(join(s.completed, 'a.result.json'), '{"job_id":');
      },
      reported: /a\.result\.json: .*JSON/,
    },
    {
      what: 'a pre-existing file replaced (same bytes, new inode)',
      make: (s) => {
        unlinkSync(join(s.completed, 'old.json'));
        writeFileSync(join(s.completed, 'old.json'), '{}');
      },
      reported: /completed\/old\.json: pre-existing entry changed/,
    },
    { what: 'a pre-existing file removed', make: (s) => unlinkSync(join(s.elsewhere, 'keep.txt')), reported: /keep\.txt: pre-existing entry changed .* -> nothing/ },
    { what: 'a temp file left behind', make: (s) => writeFileSync(join(s.completed, '.a.result.json.tmp'), 'x'), reported: /\.a\.result\.json\.tmp: unexpected new entry in the watch folder/ },
    { what: 'a lock left behind', make: (s) => writeFileSync(join(s.watch, '.runner.lock'), '{}'), reported: /\.runner\.lock: unexpected new entry in the watch folder/ },
    {
      what: 'a file written outside the watch folder and the output directory',
      make: (s) => mkdirSync(join(s.media, 'cache')),
      reported: /media\/cache: unexpected new entry outside/,
    },
  ];

  it.for(violations)('reports $what', ({ make, reported }, { onTestFinished }) => {
    const sandbox = makeRealSandbox(onTestFinished);
    tree(sandbox);
    const before = snapshot(sandbox.root);
    make(sandbox);

    const { problems } = checkInvariants(sandbox, before);

    expect(problems.join('\n')).toMatch(reported);
  });
});
