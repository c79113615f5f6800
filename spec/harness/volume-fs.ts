// Volumes that lack what the runner would like (issue 9.1): a scenario's `volumes` names folders of its
// tree that behave like exFAT or FAT32 (link(2) fails with EPERM, as Linux says for a filesystem without
// hard links) or like a volume whose rename(2) will not replace an existing name (EEXIST). memfs has one
// flat volume, so this wrapper applies the rules by path: an operation is refused when a path it creates
// lies under such a folder.

import path from 'node:path';
import type { Fs } from '../../src/ports.ts';
import type { VolumeRules } from '../../src/conformance/scenario.ts';
import { fsError } from './mem-fs.ts';

export function withVolumeRules(fs: Fs, root: string, volumes: VolumeRules | undefined): Fs {
  const rules = Object.entries(volumes ?? {}).map(([folder, rule]) => ({ folder: path.posix.join(root, folder), ...rule }));
  if (rules.length === 0) return fs;
  const ruleOf = (file: string) => rules.find(({ folder }) => path.posix.resolve(file).startsWith(`${folder}/`));
  return {
    ...fs,
    async link(from, to) {
      if (ruleOf(to)?.hard_links === false) {
        await fs.lstat(from); // Linux checks the source (ENOENT) and the target (EEXIST) first
        if (await fs.lstat(to).then(() => true, () => false)) throw fsError('EEXIST', 'link', from, to);
        throw fsError('EPERM', 'link', from, to);
      }
      return fs.link(from, to);
    },
    async rename(from, to) {
      if (ruleOf(to)?.replacing_rename === false && (await fs.lstat(to).then(() => true, () => false))) {
        await fs.lstat(from);
        throw fsError('EEXIST', 'rename', from, to);
      }
      return fs.rename(from, to);
    },
  };
}
