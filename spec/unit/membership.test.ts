// A shared runner's membership on memfs (--shared): the lease and folder it makes, a lease judged only by
// what this runner saw of its beat on its own clock, the takeover (one rename: the fence), the fenced runner
// finding out, several hosts joining at once, and leaving. Runners on one volume, as hosts.

import { describe, expect, it } from 'vitest';
import type { Deps } from '../../src/ports.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import { joinSharedFolder, ownRecord } from '../../src/runner/lock.ts';
import type { LeaseTerms, Membership } from '../../src/runner/membership.ts';
import { joinMembership as joinOrNull, LeaseLost, runnerIdOf } from '../../src/runner/membership.ts';
import type { LockRecord } from '../../src/runner/lock-record.ts';
import { memDeps } from '../support/mem-deps.ts';
import { runTree } from '../support/run-tree.ts';
import { FAKE_EPOCH_MS } from '../harness/fake-clock.ts';
import { FAKE_HOST } from '../harness/fake-host.ts';

const TERMS = { leaseSeconds: 1, takeoverSeconds: 1 };
const layout = layoutOf('/w');

/** Joins under `id`, which no other runner holds here. */
async function joinMembership(deps: Deps, at: typeof layout, identity: LockRecord, terms: LeaseTerms, id: string): Promise<Membership> {
  const member = await joinOrNull(deps, at, identity, terms, id);
  if (member === null) throw new Error(`the id ${id} is taken`);
  return member;
}

function twoHosts() {
  const setup = memDeps({ dirs: ['/w/pending', '/w/running', '/w/completed', '/w/failed'] });
  const onHost = (hostname: string, pid: number): Deps => ({ ...setup.deps, host: { ...setup.deps.host, hostname, pid, isAlive: () => true } });
  return { setup, a: onHost('host-a', 11), b: onHost('host-b', 22) };
}

describe('membership (--shared)', () => {
  it('a lease first, then its folder; a runner is taken over only after its beat stood still for lease + margin on the taker’s clock', async () => {
    const { setup, a, b } = twoHosts();
    const first = await joinMembership(a, layout, await ownRecord(a, 'now'), TERMS, runnerIdOf('host-a', 11, setup.clock.now()));
    setup.clock.advance(5);
    const second = await joinMembership(b, layout, await ownRecord(b, 'now'), TERMS, runnerIdOf('host-b', 22, setup.clock.now()));
    expect(setup.vol.readdirSync('/w/.runners')).toEqual([`${first.id}.lease`, `${second.id}.lease`].sort());
    expect(setup.vol.readdirSync('/w/running')).toEqual([first.id, second.id].sort());

    await second.takeOverExpired(); // first sight of the first runner's beat
    setup.clock.advance(1500);
    await first.renewOnce(); // it beats: not expired, however long ago the second first saw it
    setup.clock.advance(1500);
    await second.takeOverExpired();
    expect(second.drainTaken()).toEqual([]);

    setup.clock.advance(2001); // lease 1 s + margin 1 s, and no beat
    await second.takeOverExpired();
    const taken = second.drainTaken();
    expect(taken.map((t) => [t.id, t.path])).toEqual([[first.id, `/w/running/${second.id}/${first.id}`]]);
    expect(setup.vol.readdirSync('/w/.runners')).toEqual([`${second.id}.lease`]);
    await expect(first.fence()).rejects.toBeInstanceOf(LeaseLost);
    await expect(first.renewOnce()).rejects.toBeInstanceOf(LeaseLost);
    await expect(second.fence()).resolves.toBeUndefined();
  });

  it('a folder in running/ with no lease is a dead runner’s and is taken over at once', async () => {
    const { setup, b } = twoHosts();
    setup.vol.mkdirSync('/w/running/ghost-1-0');
    setup.vol.writeFileSync('/w/running/ghost-1-0/job.json', '{}');
    const member = await joinMembership(b, layout, await ownRecord(b, 'now'), TERMS, runnerIdOf('host-b', 22, setup.clock.now()));
    await member.takeOverExpired();
    expect(member.drainTaken().map((t) => t.id)).toEqual(['ghost-1-0']);
    expect(setup.vol.readdirSync(`/w/running/${member.id}/ghost-1-0`)).toEqual(['job.json']);
  });

  it('runners with the same pid on different hosts (PID namespaces: all pid 1) join the shared folder at the same time', async () => {
    const setup = memDeps({ dirs: ['/w/pending', '/w/running', '/w/completed', '/w/failed'] });
    const host = (hostname: string): Deps => ({ ...setup.deps, host: { ...setup.deps.host, hostname, pid: 1, isAlive: () => true } });
    const joins = ['h1', 'h2', 'h3'].map(async (name) => joinSharedFolder(host(name), layout, await ownRecord(host(name), 'now'), runnerIdOf(name, 1, 0)));
    expect((await Promise.all(joins)).map((j) => j.ok)).toEqual([true, true, true]);
    expect(JSON.parse(String(setup.vol.readFileSync('/w/.runner.lock'))).shared).toBe(true);
    expect(setup.vol.readdirSync('/w')).not.toContain('.runner.lock.1.tmp');
  });

  it('an id whose lease exists (a cloned host: same name, pid and start) is not joined, and that lease is left as it was', async () => {
    const { setup, a } = twoHosts();
    const id = runnerIdOf('host-a', 11, setup.clock.now());
    await joinMembership(a, layout, await ownRecord(a, 'now'), TERMS, id);
    const lease = setup.vol.readFileSync(`/w/.runners/${id}.lease`, 'utf8');
    expect(await joinOrNull(a, layout, await ownRecord(a, 'later'), TERMS, id)).toBeNull();
    expect(setup.vol.readFileSync(`/w/.runners/${id}.lease`, 'utf8')).toBe(lease);
    expect(setup.vol.readdirSync('/w/.runners')).toEqual([`${id}.lease`]);
    expect(setup.vol.readdirSync('/w/running')).toEqual([id]);
  });

  it('a runner of this host, boot and PID namespace whose process is gone (or whose pid is ours now) is taken over at once; one of another namespace waits for its beat', async () => {
    const setup = memDeps({ dirs: ['/w/pending', '/w/running', '/w/completed', '/w/failed'] });
    const alive = new Set([1, 2]);
    const on = (pid: number, ns: string): Deps => ({
      ...setup.deps,
      host: { ...setup.deps.host, hostname: 'node', bootId: 'boot-1', pidNamespace: ns, pid, isAlive: (p) => alive.has(p) },
    });
    const join = async (pid: number, ns: string, startedMs: number): Promise<Membership> => joinMembership(on(pid, ns), layout, await ownRecord(on(pid, ns), 'now'), TERMS, runnerIdOf('node', pid, startedMs));
    const gone = await join(2, 'pid:[1]', 0); // pid 2 of namespace 1: dies below
    const other = await join(2, 'pid:[2]', 1); // pid 2 of another container, alive there, unseen from namespace 1
    const restarted = await join(1, 'pid:[3]', 2); // the container of namespace 3 before its restart, as pid 1
    alive.delete(2);
    const taker = await join(1, 'pid:[1]', 3);
    await taker.takeOverExpired();
    expect(taker.drainTaken().map((t) => t.id)).toEqual([gone.id]);
    const again = await join(1, 'pid:[3]', 4); // namespace 3's runner restarted: pid 1 again, its old lease is its own past
    await again.takeOverExpired();
    expect(again.drainTaken().map((t) => t.id)).toEqual([restarted.id]);
    expect(setup.vol.readdirSync('/w/.runners')).toEqual([`${again.id}.lease`, `${other.id}.lease`, `${taker.id}.lease`].sort());
  });

  it('leaving removes the folder and the lease', async () => {
    const { setup, a } = twoHosts();
    const member = await joinMembership(a, layout, await ownRecord(a, 'now'), TERMS, runnerIdOf('host-a', 11, setup.clock.now()));
    await member.leave();
    expect([setup.vol.readdirSync('/w/running'), setup.vol.readdirSync('/w/.runners')]).toEqual([[], []]);
  });
});

describe('a shared runner whose id a live clone holds', () => {
  it('takes the next millisecond’s id and works the folder; the clone’s lease stays untouched', async () => {
    const clone = runnerIdOf(FAKE_HOST.hostname, FAKE_HOST.pid, FAKE_EPOCH_MS);
    const lease = `${JSON.stringify({ pid: FAKE_HOST.pid, host: FAKE_HOST.hostname, boot_id: null, start_time: null, started_at: 'x', ffmpeg_pid: null, ffmpeg_start_time: null, lease: { id: clone, beat: 3, seconds: 10 } })}\n`;
    const run = await runTree(
      {
        'watch/pending/a.json': { jobspec_version: '2.1', job_id: 'clone001', sources: ['{ROOT}/media/a.mov'], output_directory: '{ROOT}/out', codec: 'h264', container: 'mp4', resolution: 'half', naming_template: '{source_name}_proxy', proxy_profile: 'proxy_h264_low' },
        'media/a.mov': { $media: { exit: 0 } },
        out: { $dir: true },
        [`watch/.runners/${clone}.lease`]: lease,
      },
      { steps: [{ run: ['--once', '--shared'] }] },
    );
    expect(run.exit).toBe(0);
    expect(run.tree[`watch/.runners/<RUNNER>.lease`]).toBe(lease.replaceAll(clone, '<RUNNER>'));
    expect(Object.keys(run.tree).filter((path) => path.startsWith('watch/'))).toEqual([
      'watch/.runners/<RUNNER>.lease',
      'watch/completed/a.json',
      'watch/completed/a.result.json',
      'watch/failed',
      'watch/pending',
      'watch/running',
    ]);
    const result = run.tree['watch/completed/a.result.json'] as { _metadata: { jobspec_path: string } };
    expect(result._metadata.jobspec_path).toBe('{ROOT}/watch/running/<RUNNER>/a.json');
  });
});
