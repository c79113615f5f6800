// Publishing without ever replacing a file, through probePublishing, publishOutput and
// isLeftoverPlaceholder on memfs: which method each kind of volume gets, what every refusal says, which
// errors stop the runner instead, and that the probe and a failed publish leave nothing of theirs behind
// but never remove what is not theirs. The scenarios see the same behaviour job by job; these tests pin
// each branch of the module, one volume behaviour at a time.

import { describe, expect, it } from 'vitest';
import { isLeftoverPlaceholder, probePublishing, publishOutput } from '../../src/runner/publish.ts';
import type { Faults, MemDeps } from '../support/mem-deps.ts';
import { memDeps } from '../support/mem-deps.ts';

const OUT = '/out';
const names = { output: `${OUT}/clip.mov`, partial: `${OUT}/clip.mov.partial` };

interface World extends MemDeps {
  /** The files in OUT. */
  readonly files: () => Record<string, string>;
}

function world(faults: Faults = {}, files: Record<string, string> = {}): World {
  const made = memDeps({ dirs: [OUT], files, faults });
  return { ...made, files: () => made.files(OUT) };
}

describe('probePublishing', () => {
  it('a volume with hard links gets "link", and both names are free again', async () => {
    const w = world();
    expect(await probePublishing(w.deps, names)).toEqual({ ok: true, method: 'link' });
    expect(w.files()).toEqual({});
  });

  it('a volume without hard links but with replacing renames gets "placeholder", and both names are free again', async () => {
    for (const code of ['EPERM', 'ENOTSUP', 'EXDEV']) {
      const w = world({ link: [code] });
      expect(await probePublishing(w.deps, names)).toEqual({ ok: true, method: 'placeholder' });
      expect(w.files()).toEqual({});
    }
  });

  it('a volume that can do neither: PARTIAL with both codes, nothing left behind', async () => {
    const w = world({ link: ['EPERM'], rename: ['EPERM'] });
    expect(await probePublishing(w.deps, names)).toEqual({
      ok: false,
      reason: `Cannot publish outputs in ${OUT} without risking an overwrite: the volume supports neither hard links (EPERM) nor renaming a file onto an existing name (EPERM)`,
    });
    expect(w.files()).toEqual({});
  });

  it('a failing disk during the placeholder rename stops the runner, after removing the probe files', async () => {
    const w = world({ link: ['EPERM'], rename: ['EIO'] });
    await expect(probePublishing(w.deps, names)).rejects.toMatchObject({ code: 'EIO' });
    expect(w.files()).toEqual({});
  });

  it('the .partial name cannot be created: the reason names the step and the code, or the name taken', async () => {
    expect(await probePublishing(world({ writeFileExclusive: ['EACCES'] }).deps, names)).toEqual({
      ok: false,
      reason: `Cannot publish outputs in ${OUT}: creating ${names.partial} failed (EACCES)`,
    });
    expect(await probePublishing(world({ writeFileExclusive: ['EEXIST'] }).deps, names)).toEqual({ ok: false, reason: `Output already exists: ${names.partial}` });
  });

  it('a failing disk on any step stops the runner instead of blaming the job', async () => {
    for (const code of ['EIO', 'ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'ENOMEM']) {
      await expect(probePublishing(world({ writeFileExclusive: [code] }).deps, names)).rejects.toMatchObject({ code });
      const linking = world({ link: [code] });
      await expect(probePublishing(linking.deps, names)).rejects.toMatchObject({ code });
      expect(linking.files()).toEqual({});
    }
  });

  it('the output name taken in the instant after the check: "Output already exists", and only the probe\'s own file goes', async () => {
    const w = world({ link: ['EEXIST'] });
    expect(await probePublishing(w.deps, names)).toEqual({ ok: false, reason: `Output already exists: ${names.output}` });
    expect(w.files()).toEqual({});
  });

  it('a placeholder that cannot be created: the reason, and the .partial probe removed', async () => {
    const w = world({ link: ['EPERM'], writeFileExclusive: [undefined, 'EACCES'] });
    expect(await probePublishing(w.deps, names)).toEqual({ ok: false, reason: `Cannot publish outputs in ${OUT}: creating ${names.output} failed (EACCES)` });
    expect(w.files()).toEqual({});
  });

  it('a probe file that cannot be removed afterwards: the reason names it; one someone else removed first is fine', async () => {
    const stuck = world({ unlink: ['EACCES'] });
    expect(await probePublishing(stuck.deps, names)).toEqual({ ok: false, reason: `Cannot publish outputs in ${OUT}: removing the probe file ${names.output} failed (EACCES)` });
    const gone = world({ unlink: ['ENOENT'] });
    expect(await probePublishing(gone.deps, names)).toEqual({ ok: true, method: 'link' });
    expect(gone.files()).toEqual({ 'clip.mov': '' }); // the output probe's unlink "failed": not removed, not reported
    const placeholderStuck = world({ link: ['EPERM'], unlink: ['EACCES'] });
    expect(await probePublishing(placeholderStuck.deps, names)).toEqual({
      ok: false,
      reason: `Cannot publish outputs in ${OUT}: removing the probe file ${names.partial} failed (EACCES)`,
    });
  });

  it('cleaning up after a refusal removes only empty regular files: an operator\'s file that took the name stays', async () => {
    // The rename fails; meanwhile someone put real content under the output name.
    const w = world({ link: ['EPERM'], rename: ['EACCES'] });
    const rename = w.deps.fs.rename;
    w.deps.fs.rename = async (from, to) => {
      w.vol.writeFileSync(names.output, 'operator content');
      await rename(from, to);
    };
    const outcome = await probePublishing(w.deps, names);
    expect(outcome.ok).toBe(false);
    expect(w.files()).toEqual({ 'clip.mov': 'operator content' });
  });

  it('a failing disk while cleaning up propagates; a name already gone does not', async () => {
    const failing = world({ link: ['EEXIST'], lstat: ['EIO'] });
    await expect(probePublishing(failing.deps, names)).rejects.toMatchObject({ code: 'EIO' });
    // Two looks of the EEXIST check (is the output the .partial itself?), then the clean-up's own.
    const gone = world({ link: ['EEXIST'], lstat: ['ENOENT', 'ENOENT', 'ENOENT'] });
    expect(await probePublishing(gone.deps, names)).toEqual({ ok: false, reason: `Output already exists: ${names.output}` });
    expect(gone.files()).toEqual({ 'clip.mov.partial': '' }); // lstat said it was gone, so it was not touched
  });
});

describe('publishOutput', () => {
  const verified = { [names.partial]: 'proxy bytes' };

  it('link: the output appears with the .partial\'s bytes, the .partial goes, data and folder are synced in that order', async () => {
    const w = world({}, verified);
    expect(await publishOutput(w.deps, names, 'link')).toBeNull();
    expect(w.files()).toEqual({ 'clip.mov': 'proxy bytes' });
    expect(w.calls).toEqual([`fsyncFile ${names.partial}`, `link ${names.partial} ${names.output}`, `unlink ${names.partial}`, `fsyncDir ${OUT}`]);
  });

  it('placeholder: an exclusive empty file, then the .partial renamed onto it', async () => {
    const w = world({}, verified);
    expect(await publishOutput(w.deps, names, 'placeholder')).toBeNull();
    expect(w.files()).toEqual({ 'clip.mov': 'proxy bytes' });
    expect(w.calls).toEqual([`fsyncFile ${names.partial}`, `writeFileExclusive ${names.output}`, `rename ${names.partial} ${names.output}`, `fsyncDir ${OUT}`]);
  });

  it('an output that exists is never replaced, by either method: the clip fails and the .partial is kept', async () => {
    for (const method of ['link', 'placeholder'] as const) {
      const w = world({}, { ...verified, [names.output]: 'earlier output' });
      expect(await publishOutput(w.deps, names, method)).toBe(`Output already exists: ${names.output}`);
      expect(w.files()).toEqual({ 'clip.mov': 'earlier output', 'clip.mov.partial': 'proxy bytes' });
    }
  });

  it('a volume that refuses the first step fails the clip with the code; a failing disk stops the runner', async () => {
    const refused = world({ link: ['EPERM'] }, verified);
    expect(await publishOutput(refused.deps, names, 'link')).toBe(`Cannot publish the output ${names.output} without risking an overwrite (EPERM)`);
    expect(refused.files()).toEqual({ 'clip.mov.partial': 'proxy bytes' });
    await expect(publishOutput(world({ fsyncFile: ['EIO'] }, verified).deps, names, 'link')).rejects.toMatchObject({ code: 'EIO' });
  });

  it('a rename refused after the placeholder: the clip fails with the code, the placeholder goes, the .partial stays', async () => {
    const w = world({ rename: ['EACCES'] }, verified);
    expect(await publishOutput(w.deps, names, 'placeholder')).toBe(`Cannot publish the output ${names.output} (EACCES)`);
    expect(w.files()).toEqual({ 'clip.mov.partial': 'proxy bytes' });
    const disk = world({ rename: ['ENOSPC'] }, verified);
    await expect(publishOutput(disk.deps, names, 'placeholder')).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(disk.files()).toEqual({ 'clip.mov.partial': 'proxy bytes' });
  });

  it('a folder that cannot be fsynced (some FUSE and SMB mounts) is no failure; a failing one is', async () => {
    for (const code of ['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']) {
      const w = world({ fsyncDir: [code] }, verified);
      expect(await publishOutput(w.deps, names, 'link')).toBeNull();
      expect(w.files()).toEqual({ 'clip.mov': 'proxy bytes' });
    }
    await expect(publishOutput(world({ fsyncDir: ['EIO'] }, verified).deps, names, 'link')).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe('isLeftoverPlaceholder', () => {
  const entryOf = async (w: World, path: string) => w.deps.fs.lstat(path);

  it('an empty regular file with its .partial beside it is a leftover', async () => {
    const w = world({}, { [names.output]: '', [names.partial]: 'x' });
    expect(await isLeftoverPlaceholder(w.deps, names, await entryOf(w, names.output))).toBe(true);
  });

  it('not without the .partial, not when it has content, not when it is no regular file', async () => {
    const alone = world({}, { [names.output]: '' });
    expect(await isLeftoverPlaceholder(alone.deps, names, await entryOf(alone, names.output))).toBe(false);
    const full = world({}, { [names.output]: 'real output', [names.partial]: 'x' });
    expect(await isLeftoverPlaceholder(full.deps, names, await entryOf(full, names.output))).toBe(false);
    const dir = world({}, { [names.partial]: 'x' });
    dir.vol.mkdirSync(names.output);
    expect(await isLeftoverPlaceholder(dir.deps, names, { ...(await entryOf(dir, names.output)), size: 0 })).toBe(false);
  });

  it('a failing disk while looking for the .partial propagates', async () => {
    const w = world({ lstat: [undefined, 'EIO'] }, { [names.output]: '', [names.partial]: 'x' });
    await expect(isLeftoverPlaceholder(w.deps, names, await entryOf(w, names.output))).rejects.toMatchObject({ code: 'EIO' });
  });
});
