// A Log for unit tests that build the core's Deps directly: the runner's real log (log.ts) over a console
// that keeps its lines, at a fixed time, so a test can read what was said or ignore it.

import { createLog } from '../../src/log.ts';
import type { Log } from '../../src/ports.ts';
import type { CapturingConsole } from '../harness/fake-hooks.ts';
import { createCapturingConsole } from '../harness/fake-hooks.ts';

export interface KeptLog extends Log {
  readonly console: CapturingConsole;
  /** Every line said so far without its time and level: what a person reads. */
  messages(): string[];
}

/** A text line's time and level (`2026-03-04T05:06:07.000Z INFO  `). */
export const LINE_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (?:INFO |WARN |ERROR) /;

/** A text line without its time and level; a line without them is returned unchanged. */
export function messageOf(line: string): string {
  return line.replace(LINE_PREFIX, '');
}

export function keptLog(now: () => number = () => 0): KeptLog {
  const console = createCapturingConsole();
  return { ...createLog(console, { now }, 'text'), console, messages: () => console.lines.map(messageOf) };
}
