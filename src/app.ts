// The runner as a function of its arguments and ports: what `src/cli.ts` runs with the real adapters
// and what the scenario harness runs on memfs. Returns the exit code of contract section 2.

import { resolve } from 'node:path';
import type { Deps } from './ports.ts';
import { fsErrorCode } from './ports.ts';
import { parseCommandLine, USAGE } from './options.ts';
import type { RunnerOptions } from './options.ts';
import { formatTimestamp } from './result.ts';
import { VERSION } from './version.ts';
import type { Layout } from './runner/layout.ts';
import { layoutOf, STATE_FOLDERS } from './runner/layout.ts';
import { acquireLock } from './runner/lock.ts';
import { runLoop } from './runner/loop.ts';
import { recoverInterrupted } from './runner/recover.ts';

export const EXIT = { ok: 0, jobFailed: 1, usage: 2, busy: 3, internal: 70 } as const;

/** Creates missing state folders and checks the layout; returns a one-line problem or null. */
async function prepareFolder(deps: Deps, layout: Layout): Promise<string | null> {
  try {
    if ((await deps.fs.stat(layout.root)).kind !== 'directory') return `Watch folder is not a directory: ${layout.root}`;
  } catch (error) {
    return `Watch folder does not exist: ${layout.root} (${fsErrorCode(error)})`;
  }
  const devices = new Set<number>();
  for (const name of STATE_FOLDERS) {
    const path = layout[name];
    try {
      await deps.fs.mkdir(path);
    } catch (error) {
      const code = fsErrorCode(error);
      if (code !== 'EEXIST') return `Cannot create ${path} (${code})`;
    }
    let stat;
    try {
      stat = await deps.fs.stat(path);
    } catch (error) {
      return `${path} is not a directory (${fsErrorCode(error)})`; // e.g. a dangling symlink
    }
    if (stat.kind !== 'directory') return `${path} exists but is not a directory`;
    devices.add(stat.dev);
  }
  // Atomic renames and links only work within one filesystem.
  if (devices.size > 1) return `The folders pending/, running/, completed/ and failed/ of ${layout.root} must be on one filesystem`;
  return null;
}

async function runWatchFolder(options: RunnerOptions, deps: Deps, stop: AbortSignal): Promise<number> {
  const layout = layoutOf(resolve(deps.cwd, options.folder));
  const problem = await prepareFolder(deps, layout);
  if (problem !== null) {
    deps.log.error(`error: ${problem}`);
    return EXIT.usage;
  }
  const workerStartedAt = formatTimestamp(deps.clock.now());
  const attempt = await acquireLock(deps, layout, workerStartedAt);
  if (!attempt.ok) {
    deps.log.error(`error: ${attempt.message}`);
    return attempt.kind === 'busy' ? EXIT.busy : EXIT.usage;
  }
  const { lock } = attempt;
  try {
    const mode = options.once ? 'single scan (--once)' : `continuous, polling every ${options.pollSeconds} s`;
    deps.log.info(`Watch folder runner ${VERSION}: ${layout.root}, ${mode}`);
    for (const pid of attempt.orphansKilled) deps.log.info(`Terminated orphaned FFmpeg process ${pid} of a previous runner`);
    const recovered = await recoverInterrupted({ deps, layout, workerStartedAt });
    if (recovered > 0) deps.log.info(`Recovered ${recovered} interrupted job(s)`);
    const ctx = { deps, layout, workerStartedAt, stop, clipTimeoutMs: Math.max(1, Math.round(options.clipTimeoutSeconds * 1000)), lock };
    return await runLoop(ctx, { once: options.once, pollMs: options.pollSeconds * 1000, settleMs: options.settleSeconds * 1000 });
  } catch (error) {
    // A failing disk (EIO, ENOSPC, …): stop claiming at once. Whatever is in running/ stays there and is
    // filed as interrupted by the next start, so pending/ is never drained into failed/.
    const code = fsErrorCode(error);
    deps.log.error(`error: stopping because a filesystem operation failed (${code}): ${error instanceof Error ? error.message : ''}`);
    return EXIT.internal;
  } finally {
    await lock.release().catch((error: unknown) => deps.log.error(`error: cannot remove ${layout.lock} (${fsErrorCode(error)})`));
  }
}

export async function runApp(argv: readonly string[], deps: Deps, stop: AbortSignal): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      deps.log.info(USAGE);
      return EXIT.ok;
    case 'version':
      deps.log.info(VERSION);
      return EXIT.ok;
    case 'usage-error':
      deps.log.error(`error: ${command.message} (see --help)`);
      return EXIT.usage;
    case 'run':
      return runWatchFolder(command.options, deps, stop);
  }
}
