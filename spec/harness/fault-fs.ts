// The fault injector over the runner's Fs (reliability section 4). Operations are counted exactly as
// crash-at-op-fs.ts counts them (every call of the port and of a handle it returned, from 1, in call
// order), and at operation k one fault happens:
//   - crash: the runner dies just before operation k (RunnerKilled through the mortal fs, so nothing it
//     does while unwinding reaches the disk). A power cut is a crash after which the harness rebuilds the
//     volume from the durability shadow (durability.ts: only what was fsynced survives);
//   - errno: operation k fails with that code and does not happen; when persistent, so does every later
//     operation. With `writesOnly` (a full disk) only operations that need new space fail: the first
//     exclusive write or mkdir from k on (and, when persistent, every later one). ENOSPC and EIO during an
//     exclusive write fail after the create, leaving an empty file, as open(O_CREAT|O_EXCL) followed by a
//     failing write(2) does on Linux (node-fs keeps that file too). A matcher can make k count only some
//     operations (the k-th link into completed/, say), so that a hand-written scenario names the operation
//     it means and keeps meaning it when the runner adds or drops others. With `replyLost`, a link or
//     rename happens first and then reports the code: a network client whose reply was lost sends the
//     call again, and the retry answers for the call that already happened (R11.33).
// Only the runner's own operations are counted and faulted: the fake FFmpeg works on the raw fs.
// The model of what survives a power cut is in durability.ts (and spec/README.md, "Faults and durability").

import type { Fs } from '../../src/ports.ts';
import { fsError } from './mem-fs.ts';
import type { FsFaultCode, RunStep } from '../../src/conformance/steps.ts';
import type { FsOp } from './crash-at-op-fs.ts';
import { observeFsOps } from './crash-at-op-fs.ts';

export type FsFault =
  | { readonly kind: 'crash'; readonly at: number }
  | {
      readonly kind: 'errno';
      readonly at: number;
      readonly code: FsFaultCode;
      readonly persistent: boolean;
      /** Only operations that need new space fail (a full disk: reads, links, renames and unlinks still work). */
      readonly writesOnly: boolean;
      /** When set, `at` counts only the operations this accepts (the at-th matching one fails first). */
      readonly matches?: (op: FsOp) => boolean;
      /** A link or rename is done before its error is reported (a lost reply's retry). */
      readonly replyLost?: boolean;
    };

export interface FaultInjection {
  readonly fs: Fs;
  /** Operations attempted so far, the faulted ones included. */
  opCount(): number;
  /** Whether the run got as far as the fault's operation. */
  reached(): boolean;
  /** The first operation an injected errno failed, or null. */
  firstFailure(): number | null;
}

/** Codes that a write reports after its file was created (the data did not fit or could not be written). */
const FAILS_AFTER_CREATE = new Set<string>(['ENOSPC', 'EIO']);
/** The operations that allocate space. */
const WRITES = new Set(['writeFileExclusive', 'mkdir']);

export function injectFsFault(inner: Fs, fault: FsFault | null, kill: (why: string) => never): FaultInjection {
  let count = 0;
  let matched = 0;
  let firstFailure: number | null = null;
  const describe = (op: FsOp): string => `${op.name} ${op.paths.join(' -> ')}`;
  const fs = observeFsOps(inner, async (op, n) => {
    count = n;
    if (fault === null) return;
    if (fault.kind === 'crash') {
      if (n === fault.at) kill(`crash before filesystem operation ${n} (${describe(op)})`);
      return;
    }
    const position = fault.matches === undefined ? n : fault.matches(op) ? ++matched : 0;
    const due = firstFailure === null ? position >= fault.at : fault.persistent;
    if (!due || (fault.writesOnly && !WRITES.has(op.name))) return;
    firstFailure ??= n;
    const error = fsError(fault.code, op.name, ...op.paths);
    const [path] = op.paths;
    if (op.name === 'writeFileExclusive' && path !== undefined && FAILS_AFTER_CREATE.has(fault.code)) {
      await inner.writeFileExclusive(path, new Uint8Array(0)); // EEXIST from here wins, as open(2) comes first
    }
    const [from, to] = op.paths;
    if (fault.replyLost === true && from !== undefined && to !== undefined) {
      if (op.name === 'link') await inner.link(from, to);
      if (op.name === 'rename') await inner.rename(from, to);
    }
    throw error;
  });
  const reached = (): boolean => fault !== null && (fault.kind === 'errno' && fault.matches !== undefined ? matched : count) >= fault.at;
  return { fs, opCount: () => count, reached, firstFailure: () => firstFailure };
}

/** The fault a scenario's run step asks for (paths in `fail_fs_op.op` are relative to `root`), or null. */
export function faultOfStep(step: RunStep, root: string): FsFault | null {
  if (step.crash_at_fs_op !== undefined) return { kind: 'crash', at: step.crash_at_fs_op };
  // The volume is rebuilt from the durability shadow afterwards, by the harness.
  if (step.power_cut_at_fs_op !== undefined) return { kind: 'crash', at: step.power_cut_at_fs_op };
  const failure = step.fail_fs_op;
  if (failure === undefined) return null;
  const { op } = failure;
  return {
    kind: 'errno',
    at: failure.at ?? 1,
    code: failure.code,
    persistent: failure.persistent ?? false,
    writesOnly: failure.only === 'writes',
    ...(failure.reply_lost === true ? { replyLost: true } : {}),
    ...(op === undefined ? {} : { matches: ({ name, paths }: FsOp) => `${name} ${(paths[0] ?? '').replace(`${root}/`, '')}` === op }),
  };
}
