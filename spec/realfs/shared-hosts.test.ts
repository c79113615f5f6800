// --shared with three runners that play three hosts: each in its own PID, UTS (host name) and mount
// namespace (`unshare --pid --uts --mount --mount-proc --fork`), so none can see another's processes and
// every lease is judged by its beat alone, as across machines. One folder, 200 jobs with the stand-in
// FFmpeg; one runner is killed mid-job (its namespace dies with it, FFmpeg included), one is frozen with
// SIGSTOP past its lease and then woken. Every JobSpec must be filed exactly once, with one result,
// nothing left in pending/ or running/, and no output written twice. Skipped where unshare cannot make the
// namespaces (not root).

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMedia } from '../../src/conformance/media.ts';
import { REAL_PROCESS_TEST_MS, sleep, waitFor } from '../support/polling.ts';
import type { Sandbox } from '../e2e/stand-in.ts';
import { jobSpec, makeSandbox } from '../e2e/stand-in.ts';

const JOBS = 200;
const CLI = join(import.meta.dirname, '../../src/cli.ts');
const TSX = import.meta.resolve('tsx');
const canUnshare = spawnSync('unshare', ['--pid', '--uts', '--mount', '--mount-proc', '--fork', 'true']).status === 0;

let sandbox: Sandbox | null = null;
const hosts: ChildProcess[] = [];
afterEach((context) => {
  // A failure shows what each runner said: the end of each log.
  if (context.task.result?.state === 'fail') for (const host of hosts) process.stdout.write(`--- ${host.spawnargs.join(' ').slice(0, 60)}\n${logOf(host).split('\n').slice(-12).join('\n')}\n`);
  for (const host of hosts.splice(0)) host.kill('SIGKILL');
  sandbox?.cleanup();
});

/** A runner on "host" `name`: node in its own namespaces, killed with it when its unshare is killed. */
function startHost(box: Sandbox, name: string): ChildProcess {
  const args = ['--pid', '--uts', '--mount', '--mount-proc', '--fork', '--kill-child=SIGKILL', 'sh', '-c', `hostname ${name} && exec "$0" "$@"`];
  const runner = [process.execPath, '--import', TSX, CLI, box.watch, '--shared', '--lease-seconds', '1', '--takeover-seconds', '1', '--poll-seconds', '0.2', '--max-workers', '2'];
  const child = spawn('unshare', [...args, ...runner], { env: { PATH: box.path, TZ: 'UTC' }, cwd: box.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  Object.defineProperty(child, 'log', { get: () => log });
  hosts.push(child);
  return child;
}

const logOf = (child: ChildProcess): string => (child as ChildProcess & { log: string }).log;

/** The runner process itself, as this host sees it: unshare's child, which `exec`s node. */
function runnerPidOf(child: ChildProcess): number {
  return Number(spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
}

function filed(box: Sandbox): { jobspecs: string[]; results: string[] } {
  const names = [...readdirSync(join(box.watch, 'completed')), ...readdirSync(join(box.watch, 'failed'))];
  return { jobspecs: names.filter((n) => n.endsWith('.json') && !n.endsWith('.result.json')), results: names.filter((n) => n.endsWith('.result.json')) };
}

/** The exit code of `child`, waiting at most HANG_MS (a hang fails the test instead of stalling it). */
const exited = (child: ChildProcess): Promise<number | null> =>
  waitFor('a runner to exit', () => (child.exitCode !== null || child.signalCode !== null ? { code: child.exitCode } : null)).then(({ code }) => code);

describe.skipIf(!canUnshare)('three runners on three "hosts" (namespaces), one shared folder', { timeout: 240_000 }, () => {
  it('200 jobs, one runner killed mid-job and one frozen past its lease: every JobSpec filed once, one result each, no output twice', async () => {
    const box = makeSandbox();
    sandbox = box;
    mkdirSync(join(box.watch, 'pending'));
    const [one, two, three] = [startHost(box, 'host-one'), startHost(box, 'host-two'), startHost(box, 'host-three')];
    // The jobs only once all three run, so that none finds the queue emptied by the others.
    await waitFor('all three runners to start', () => ([one, two, three].every((h) => /Watch folder runner/.test(logOf(h))) ? true : null));
    // Each job its own source and output; a clip lasts 150 ms, so the jobs are spread over all three hosts.
    for (let i = 0; i < JOBS; i += 1) {
      const id = String(i).padStart(3, '0');
      writeFileSync(join(box.media, `clip${id}.mov`), encodeMedia({ duration_ms: 150 }));
      writeFileSync(join(box.root, `job${id}.json`), jobSpec(box, [`clip${id}.mov`], { job_id: `shared${id}` }));
    }
    for (let i = 0; i < JOBS; i += 1) renameSync(join(box.root, `job${String(i).padStart(3, '0')}.json`), join(box.watch, 'pending', `job${String(i).padStart(3, '0')}.json`));
    const filedBy = (host: ChildProcess): number => (logOf(host).match(/\bCOMPLETED: job/g) ?? []).length;
    await waitFor('each runner to file 10 jobs', () => ([one, two, three].every((h) => filedBy(h) >= 10) ? true : null));

    // host-two dies mid-job: its namespace goes, FFmpeg and all (a machine that crashed).
    const encodingNow = (host: ChildProcess): boolean => (logOf(host).split('\n').filter(Boolean).at(-1) ?? '').includes('Clip 1/1 of');
    await waitFor('host-two to be encoding', () => (encodingNow(two) ? true : null), { intervalMs: 5 });
    two.kill('SIGKILL');
    // host-three freezes past its lease (1 s + 1 s), then wakes and must find itself fenced.
    await waitFor('host-three to be encoding', () => (encodingNow(three) ? true : null), { intervalMs: 5 });
    const frozen = runnerPidOf(three);
    process.kill(frozen, 'SIGSTOP');
    await waitFor('host-one to take over both', () => ((logOf(one).match(/Took over the jobs of runner/g) ?? []).length >= 2 ? true : null));
    await sleep(500);
    process.kill(frozen, 'SIGCONT');
    expect(await exited(three)).toBe(70);
    expect(logOf(three)).toMatch(/was taken over by another runner/);

    await waitFor('every JobSpec to be filed', () => (filed(box).jobspecs.length >= JOBS && readdirSync(join(box.watch, 'pending')).length === 0 ? true : null));
    // unshare --fork ignores SIGTERM while it waits: the stop goes to the runner itself.
    process.kill(runnerPidOf(one), 'SIGTERM');
    expect(await exited(one)).toBe(0);

    const { jobspecs, results } = filed(box);
    const names = Array.from({ length: JOBS }, (_, i) => `job${String(i).padStart(3, '0')}.json`);
    // Exactly once: under its own name (a second filing would have taken a collision-suffixed one).
    expect(jobspecs.sort()).toEqual(names);
    expect(results.sort()).toEqual(names.map((n) => n.replace(/\.json$/, '.result.json')));
    expect(readdirSync(join(box.watch, 'running'))).toEqual([]);
    // Per runner, from where each result says its JobSpec was run (running/<runner id>/…; a job taken over
    // names the folder of the runner it was taken from, R11.30).
    const byRunner = new Map<string, number>();
    for (const result of results) {
      const folder = existsSync(join(box.watch, 'completed', result)) ? 'completed' : 'failed';
      const text = JSON.parse(readFileSync(join(box.watch, folder, result), 'utf8')) as { _metadata: { jobspec_path: string } };
      const runner = text._metadata.jobspec_path.split('/running/')[1]?.split('/')[0] ?? '?';
      byRunner.set(runner, (byRunner.get(runner) ?? 0) + 1);
    }
    const counts = [...byRunner.values()];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(JOBS);
    expect(byRunner.size).toBe(3);
    // No output twice: each completed job's output exists once, and nothing else is in out/.
    const completed = readdirSync(join(box.watch, 'completed')).filter((n) => n.endsWith('.result.json')).length;
    expect(readdirSync(box.out).filter((n) => !n.endsWith('.partial'))).toHaveLength(completed);
    // Filed per runner, from each one's own lines: its jobs, and the jobs of runners it took over.
    const filings = (host: ChildProcess): { filed: number; recovered: number } => ({
      filed: (logOf(host).match(/\b(COMPLETED|FAILED|PARTIAL): job\d+\.json ->/g) ?? []).length,
      recovered: (logOf(host).match(/\bRecovered job\d+\.json:/g) ?? []).length,
    });
    const perHost = { 'host-one': filings(one), 'host-two (killed)': filings(two), 'host-three (frozen)': filings(three) };
    expect(Object.values(perHost).reduce((sum, f) => sum + f.filed + f.recovered, 0)).toBe(JOBS);
    process.stdout.write(`shared hosts: filed by ${JSON.stringify(perHost)}; run in ${JSON.stringify(Object.fromEntries(byRunner))}; completed ${completed}, failed ${JOBS - completed}\n`);
  });
});
