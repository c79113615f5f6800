// A state folder someone removed while the runner was working (an operator's `rm -rf completed/`, a
// cleanup script) is the job's problem, not the disk's (issue 9.3): the folder is created again, its entry
// made durable, and the log says so, so that the job's result is still written and later jobs still run.
// Only a missing folder is recreated; anything else in its place is left alone and its error propagates.

import { basename } from 'node:path';
import type { Deps } from '../ports.ts';
import { fsErrorCode, lstatOrNull } from '../ports.ts';
import type { Layout } from './layout.ts';

/** Creates `folder` (one of the layout's state folders) when nothing is there; true when it did. */
export async function recreateIfMissing(deps: Deps, layout: Layout, folder: string): Promise<boolean> {
  if ((await lstatOrNull(deps.fs, folder)) !== null) return false;
  try {
    await deps.fs.mkdir(folder);
  } catch (error) {
    if (fsErrorCode(error) === 'EEXIST') return false; // someone else made it meanwhile
    throw error;
  }
  // Without this, a power cut could take the new folder away with whatever is filed into it next.
  await deps.fs.fsyncDir(layout.root);
  deps.log.event('folder-recreated', `${basename(folder)}/ was missing from ${layout.root} (removed while the runner was working): created it again`, { folder });
  return true;
}

/** fsync of a state folder that may have been removed meanwhile: then it is recreated (empty, so durable as it is). */
export async function fsyncStateFolder(deps: Deps, layout: Layout, folder: string): Promise<void> {
  try {
    await deps.fs.fsyncDir(folder);
  } catch (error) {
    if (fsErrorCode(error) !== 'ENOENT' || !(await recreateIfMissing(deps, layout, folder))) throw error;
  }
}
