// A network filesystem whose replies get lost (NFS over a flaky link): the client sends the call again,
// and the retry answers for a call that already happened. A link then reports EEXIST on the name it just
// made, a rename ENOENT for the source it just moved. The runner must recognise its own work (SPEC R11.28,
// R4.10): every job filed once, under its own name, exactly as when every reply arrives.

import { describe, expect, it } from 'vitest';
import type { Fs } from '../../src/ports.ts';
import { fsError } from '../harness/mem-fs.ts';
import { runTree } from '../support/run-tree.ts';

const job = (id: string, clip: string, codec = 'h264'): Record<string, unknown> => ({
  jobspec_version: '2.1',
  job_id: id,
  sources: [`{ROOT}/media/${clip}.mov`],
  output_directory: '{ROOT}/out',
  codec,
  container: 'mp4',
  resolution: 'half',
  naming_template: '{source_name}_proxy',
  proxy_profile: 'proxy_h264_low',
});

const TREE = {
  'watch/pending/a.json': job('lost0001', 'a'),
  'watch/pending/b.json': job('lost0002', 'b', 'av1'),
  'media/a.mov': { $media: { exit: 0 } },
  'media/b.mov': { $media: { exit: 0 } },
  out: { $dir: true },
};

/** Every link and rename of the runner happens, and then its reply is lost: the retry's answer comes back. */
function losingReplies(counts: { link: number; rename: number }): (fs: Fs) => Fs {
  return (fs) => ({
    ...fs,
    async link(existing, path) {
      await fs.link(existing, path);
      counts.link += 1;
      throw fsError('EEXIST', 'link', existing, path);
    },
    async rename(from, to) {
      await fs.rename(from, to);
      counts.rename += 1;
      throw fsError('ENOENT', 'rename', from, to);
    },
  });
}

describe('lost replies of a network filesystem', () => {
  for (const args of [['--once'], ['--once', '--shared']]) {
    it(`${args.join(' ')}: the same outcome as with every reply, each job filed once under its own name`, async () => {
      const counts = { link: 0, rename: 0 };
      const steps = [{ run: args }, { run: args }];
      const clean = await runTree(TREE, { steps });
      const lossy = await runTree(TREE, { steps, wrapFs: losingReplies(counts) });
      expect(clean.runs.map((run) => run.exit)).toEqual([1, 0]);
      expect(lossy.runs).toEqual(clean.runs);
      expect(Object.keys(lossy.tree).filter((path) => path.startsWith('watch/'))).toEqual([
        ...(args.includes('--shared') ? ['watch/.runners'] : []),
        'watch/completed/a.json',
        'watch/completed/a.result.json',
        'watch/failed/b.json',
        'watch/failed/b.result.json',
        'watch/pending',
        'watch/running',
      ]);
      // Claims, result and lock or lease records renamed; commits, results and the output linked.
      expect(counts.rename).toBeGreaterThanOrEqual(2);
      expect(counts.link).toBeGreaterThanOrEqual(5);
    });
  }
});
