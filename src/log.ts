// The runner's log: each event becomes one console line with its UTC time and level, as text for people
// (`--log-format text`) or as a JSON object for machines (`--log-format json`). The one owner of what a
// console line may contain: a line is always one line, and carries no terminal escapes from hostile names
// or reasons.

import type { Clock, Console, Log, LogFields } from './ports.ts';
import type { LogLevel } from './log-events.ts';
import { LOG_EVENTS } from './log-events.ts';
import type { LogFormat } from './options.ts';

/**
 * Control characters escaped as `\uNNNN`; a byte of a name that is not UTF-8 (a lone surrogate,
 * path-bytes.ts) as `\udcNN`, as result files show it.
 */
export function printable(text: string): string {
  return text.replace(/\p{Cc}|\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A text of several lines as one: each line break, with the indentation around it, becomes `separator`
 * (a reason's "failed with 1 error(s):\n  - …" reads "failed with 1 error(s): - …"; a program's stderr is
 * better joined with " | "). Control characters left inside a line are escaped by the log as usual.
 */
export function oneLine(text: string, separator = ' '): string {
  return text.trim().replace(/[ \t]*(?:\r\n|\r|\n)+[ \t]*/g, separator);
}

const LEVEL_WORD: Record<LogLevel, string> = { info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

export function createLog(sink: Console, clock: Pick<Clock, 'now'>, format: LogFormat): Log {
  return {
    event(name, message, fields: LogFields = {}) {
      const { level } = LOG_EVENTS[name];
      const time = new Date(clock.now()).toISOString();
      const text = printable(message);
      if (format === 'json') {
        // One stream for machines: a reader of JSON lines should not have to merge two.
        sink.out(JSON.stringify({ time, level, event: name, message: text, ...fields }));
        return;
      }
      const line = `${time} ${LEVEL_WORD[level]} ${text}`;
      if (level === 'info') sink.out(line);
      else sink.err(line);
    },
    print(text) {
      sink.out(text);
    },
  };
}
