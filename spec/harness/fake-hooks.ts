// The in-memory stand-ins for the two ports a scenario rarely looks at: a HookRunner that records each
// `--on-filed` call and answers as told (exit 0 by default), and a console that keeps its lines.

import type { Console, HookOutcome, HookRequest, HookRunner } from '../../src/ports.ts';

export interface FakeHooks extends HookRunner {
  readonly calls: HookRequest[];
}

export function createFakeHooks(answer: (request: HookRequest) => HookOutcome = () => ({ exitCode: 0, signal: null, timedOut: false, stderrTail: '', startFailure: null })): FakeHooks {
  const calls: HookRequest[] = [];
  return {
    calls,
    run(request) {
      calls.push(request);
      return Promise.resolve(answer(request));
    },
  };
}

/** A console that keeps every line, stdout and stderr interleaved, and each stream's own. */
export interface CapturingConsole extends Console {
  readonly lines: string[];
  readonly outLines: string[];
  readonly errLines: string[];
}

export function createCapturingConsole(): CapturingConsole {
  const lines: string[] = [];
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    lines,
    outLines,
    errLines,
    out(line) {
      lines.push(line);
      outLines.push(line);
    },
    err(line) {
      lines.push(line);
      errLines.push(line);
    },
  };
}

/** A console that drops everything. */
export const quietConsole: Console = { out: () => undefined, err: () => undefined };
