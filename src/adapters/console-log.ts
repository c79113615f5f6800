// The console over the process's stdout and stderr that a broken console can never stop. `--once | head -1`
// closes stdout after one line, a service manager's log pipe can go away, a terminal can hang up: each
// makes the next write fail (EPIPE, EIO, EBADF), and Node reports that as an 'error' event which, left
// unhandled, kills the process mid-job with the JobSpec stranded in running/. The console is only a
// courtesy (results are the record), so a stream that failed once is not written to again, quietly.

import type { Writable } from 'node:stream';
import type { Console } from '../ports.ts';

export interface ConsoleStreams {
  /** Progress lines (stdout). */
  readonly out: Writable;
  /** Problems with the runner itself (stderr). */
  readonly err: Writable;
}

/** Writes lines to `stream` until it fails once; from then on, and after it is closed, drops them. */
function lineWriter(stream: Writable): (line: string) => void {
  let broken = false;
  // Attached before the first write, so no failure of this stream is ever an unhandled 'error' event.
  stream.on('error', () => {
    broken = true;
  });
  return (line) => {
    if (broken || stream.destroyed || stream.writableEnded) return;
    try {
      stream.write(`${line}\n`);
    } catch {
      // A stream can also throw synchronously (already torn down by its owner): the console is gone either way.
      broken = true;
    }
  };
}

export function createConsole({ out, err }: ConsoleStreams): Console {
  return { out: lineWriter(out), err: lineWriter(err) };
}
