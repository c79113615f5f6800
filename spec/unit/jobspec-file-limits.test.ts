// Reading a JobSpec file at its limits (SPEC.md R3.5, R4.3, R4.8), through runApp on memfs: the 1 MiB
// boundary to the byte, in the readiness check and in the read, a file that grows while it is read, and a
// JobSpec that is swapped (another file, another filesystem, a new hard link) between its lstat and its open.

import { describe, expect, it } from 'vitest';
import type { Fs, ReadHandle } from '../../src/ports.ts';
import { baseJobSpec, defaultTree, JOBSPEC_PATH } from '../generated/base.ts';
import { fsError } from '../harness/mem-fs.ts';
import { MEMORY_ROOT } from '../harness/memory-run.ts';
import type { FiledResult, TreeRun } from '../support/run-tree.ts';
import { resultAt, runTree, scenarioPath } from '../support/run-tree.ts';

const MIB = 1024 * 1024;
const RUNNING = scenarioPath('watch/running/job.json');

/** The base JobSpec as the runner reads it (placeholders already replaced), in `text` form. */
function baseJobSpecText(): string {
  return `${JSON.stringify(baseJobSpec(), null, 2).replaceAll('{ROOT}', MEMORY_ROOT)}\n`;
}

/**
 * The base JobSpec, padded with JSON whitespace to exactly `bytes` bytes. The padding goes before the
 * closing brace, which is the last byte: a read that stops one byte short yields no JSON object.
 */
function jobSpecOfSize(bytes: number): string {
  const text = baseJobSpecText().trimEnd();
  const open = text.slice(0, -1);
  return open + ' '.repeat(bytes - Buffer.byteLength(text)) + '}';
}

function treeWith(jobspec: string): Record<string, unknown> {
  return { ...defaultTree(baseJobSpec()), [JOBSPEC_PATH]: jobspec };
}


function resultIn(run: TreeRun, folder: 'completed' | 'failed'): FiledResult {
  return resultAt(run, `watch/${folder}/job.result.json`);
}

/** Runs `change` on the runner's filesystem just before its first open of running/job.json. */
function beforeOpeningTheClaim(change: (fs: Fs) => Promise<void>, handle: (opened: ReadHandle) => ReadHandle = (h) => h): (fs: Fs) => Fs {
  return (fs) => {
    let done = false;
    return {
      ...fs,
      async openNoFollow(path) {
        if (path !== RUNNING || done) return fs.openNoFollow(path);
        done = true;
        await change(fs);
        return handle(await fs.openNoFollow(path));
      },
    };
  };
}

describe('the 1 MiB limit of a JobSpec file', () => {
  it('accepts a JobSpec of exactly 1,048,576 bytes', async () => {
    const run = await runTree(treeWith(jobSpecOfSize(MIB)));

    expect(run.exit).toBe(0);
    expect(resultIn(run, 'completed').final_status).toBe('COMPLETED');
  });

  it('refuses one of 1,048,577 bytes unread, with its size in the reason', async () => {
    const run = await runTree(treeWith(jobSpecOfSize(MIB + 1)));

    expect(run.exit).toBe(1);
    const result = resultIn(run, 'failed');
    expect(result.final_status).toBe('PARTIAL');
    expect(result._metadata.failure_reason).toBe('Invalid JobSpec file: larger than 1 MiB (1048577 bytes)');
  });

  it('waits for an incomplete file of exactly 1 MiB, but files an incomplete one byte larger at once', async () => {
    const truncated = (bytes: number): string => `{"jobspec_version": "2.1", "sources": [${' '.repeat(bytes - 39)}`;
    expect(Buffer.byteLength(truncated(MIB))).toBe(MIB);

    const atLimit = await runTree(treeWith(truncated(MIB)));
    expect(atLimit.exit).toBe(0);
    expect(Object.keys(atLimit.tree)).toContain(JOBSPEC_PATH);
    expect(atLimit.lines).toContain('Waiting: job.json is not complete yet (not a complete JSON object or array, modified within the settle window)');

    const overLimit = await runTree(treeWith(truncated(MIB + 1)));
    expect(overLimit.exit).toBe(1);
    expect(resultIn(overLimit, 'failed')._metadata.failure_reason).toBe('Invalid JobSpec file: larger than 1 MiB (1048577 bytes)');
  });

  it('refuses a file that grows past the limit between its lstat and its read', async () => {
    const grown = new TextEncoder().encode(jobSpecOfSize(MIB + 1));
    const growing = beforeOpeningTheClaim(
      async () => undefined,
      (opened) => ({ ...opened, read: async (maxBytes) => grown.slice(0, maxBytes) }),
    );
    const run = await runTree(treeWith(jobSpecOfSize(MIB)), { wrapFs: growing });

    expect(run.exit).toBe(1);
    expect(resultIn(run, 'failed')._metadata.failure_reason).toBe('Invalid JobSpec file: larger than 1 MiB');
  });
});

describe('a JobSpec changed between its lstat and its open', () => {
  const replacedReason = 'Invalid JobSpec file: replaced while being opened';

  it('is refused when another file was renamed over it (another inode)', async () => {
    const swap = beforeOpeningTheClaim(async (fs) => {
      const other = scenarioPath('other.json');
      await fs.writeFileExclusive(other, new TextEncoder().encode(baseJobSpecText()));
      await fs.rename(other, RUNNING);
    });
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: swap });

    expect(run.exit).toBe(1);
    expect(resultIn(run, 'failed')._metadata.failure_reason).toBe(replacedReason);
    expect(Object.keys(run.tree).filter((path) => path.startsWith('out/'))).toEqual([]);
  });

  it('is refused when what was opened is on another filesystem (same inode number, other device)', async () => {
    const otherDevice = beforeOpeningTheClaim(
      async () => undefined,
      (opened) => ({ ...opened, stat: async () => ({ ...(await opened.stat()), dev: (await opened.stat()).dev + 1 }) }),
    );
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: otherDevice });

    expect(resultIn(run, 'failed')._metadata.failure_reason).toBe(replacedReason);
  });

  it('is refused when what was opened is no longer a regular file, even under a reused inode number', async () => {
    const nowADirectory = beforeOpeningTheClaim(
      async () => undefined,
      (opened) => ({ ...opened, stat: async () => ({ ...(await opened.stat()), kind: 'directory' as const }) }),
    );
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: nowADirectory });

    expect(resultIn(run, 'failed')._metadata.failure_reason).toBe(replacedReason);
  });

  it('is refused unread when it gained a second hard link', async () => {
    const linked = beforeOpeningTheClaim(async (fs) => {
      await fs.link(RUNNING, scenarioPath('elsewhere.json'));
    });
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: linked });

    expect(resultIn(run, 'failed')._metadata.failure_reason).toBe('Invalid JobSpec file: hard link (link count 2)');
  });
});

describe('what the claimed JobSpec\'s filesystem says about it', () => {
  /** Makes `op` on running/job.json fail with `code` (once). */
  function failing(op: 'lstat' | 'openNoFollow' | 'read' | 'close', code: string): (fs: Fs) => Fs {
    return (fs) => {
      let failed = false;
      const fail = (): boolean => !failed && (failed = true);
      return {
        ...fs,
        async lstat(path) {
          // The first look that finds the claimed file (the claim itself checks that the name is free first).
          const stat = await fs.lstat(path);
          if (op === 'lstat' && path === RUNNING && fail()) throw fsError(code, 'lstat', path);
          return stat;
        },
        async openNoFollow(path) {
          if (path !== RUNNING) return fs.openNoFollow(path);
          if (op === 'openNoFollow' && fail()) throw fsError(code, 'open', path);
          const handle = await fs.openNoFollow(path);
          return {
            ...handle,
            read: async (maxBytes) => {
              if (op === 'read' && fail()) throw fsError(code, 'read', path);
              return handle.read(maxBytes);
            },
            close: async () => {
              await handle.close();
              if (op === 'close' && fail()) throw fsError(code, 'close', path);
            },
          };
        },
      };
    };
  }

  it.each([
    ['openNoFollow', 'ELOOP', 'symbolic link'],
    ['openNoFollow', 'ENXIO', 'not a regular file (FIFO, socket or device)'],
    ['openNoFollow', 'EACCES', 'permission denied'],
    ['openNoFollow', 'EPERM', 'permission denied'],
    ['read', 'EISDIR', 'directory'],
    ['read', 'EACCES', 'permission denied'],
    ['lstat', 'EACCES', 'permission denied'],
  ] as const)('%s failing with %s files it unread as "%s"', async (op, code, why) => {
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: failing(op, code) });

    expect(run.exit).toBe(1);
    expect(resultIn(run, 'failed')._metadata.failure_reason).toBe(`Invalid JobSpec file: ${why}`);
  });

  it.each(['openNoFollow', 'read', 'lstat'] as const)('%s failing with EIO stops the runner and leaves the JobSpec in running/', async (op) => {
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: failing(op, 'EIO') });

    expect(run.exit).toBe(70);
    expect(Object.keys(run.tree)).toContain('watch/running/job.json');
  });

  it('closes every handle it opened on the JobSpec (readiness and read)', async () => {
    for (const outcome of [defaultTree(baseJobSpec())]) {
      let open = 0;
      const counting = (fs: Fs): Fs => ({
        ...fs,
        async openNoFollow(path) {
          const handle = await fs.openNoFollow(path);
          open += 1;
          return { ...handle, close: async () => { open -= 1; await handle.close(); } };
        },
      });
      await runTree(outcome, { wrapFs: counting });
      expect(open).toBe(0);
    }
  });

  it('does not let a failing close spoil a JobSpec that was read whole', async () => {
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: failing('close', 'EIO') });

    expect(run.exit).toBe(0);
    expect(resultIn(run, 'completed').final_status).toBe('COMPLETED');
  });

  it('files an entry that lstat calls neither file, directory nor link (a FIFO, a socket) unread', async () => {
    const fifo = (fs: Fs): Fs => ({
      ...fs,
      lstat: async (path) => ({ ...(await fs.lstat(path)), ...(path === RUNNING ? { kind: 'other' as const } : {}) }),
    });
    const run = await runTree(defaultTree(baseJobSpec()), { wrapFs: fifo });

    expect(resultIn(run, 'failed')._metadata.failure_reason).toBe('Invalid JobSpec file: not a regular file (FIFO, socket or device)');
  });
});
