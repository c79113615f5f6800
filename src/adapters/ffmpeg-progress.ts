// FFmpeg's progress, read from the stderr it writes anyway: the input's `Duration: HH:MM:SS.cc` line, then
// a stats line (`frame=… time=HH:MM:SS.cc … speed=1.5x`, ended by \r) about twice a second. Reading them
// costs no extra process, no probe and no change to the FFmpeg command line the suite pins.

import type { EncodeProgress } from '../ports.ts';

/** A line longer than this is no stats line (a stream dumping binary, say): it is dropped unread. */
const MAX_LINE_CHARS = 4096;

const DURATION = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const TIME = /(?:^|\s)time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const SPEED = /(?:^|\s)speed=\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)x/;

function clockSeconds(match: RegExpExecArray): number {
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

export interface ProgressReader {
  /** Feeds the next piece of stderr, decoded. */
  push(text: string): void;
}

/** Calls `onProgress` for every stats line with a time in it; the first `Duration:` seen is the total. */
export function createProgressReader(onProgress: (progress: EncodeProgress) => void): ProgressReader {
  let carry = '';
  // Set while the rest of an overlong line is being skipped, up to its end.
  let skipping = false;
  let totalSeconds: number | null = null;
  const line = (text: string): void => {
    if (totalSeconds === null) {
      const duration = DURATION.exec(text);
      if (duration !== null) totalSeconds = clockSeconds(duration);
    }
    const time = TIME.exec(text);
    if (time === null) return;
    const speed = SPEED.exec(text);
    onProgress({ doneSeconds: clockSeconds(time), totalSeconds, speed: speed === null ? null : Number(speed[1]) });
  };
  return {
    push(text) {
      const parts = (carry + text).split(/[\r\n]/);
      carry = parts.pop() ?? '';
      for (const part of parts) {
        if (!skipping && part.length <= MAX_LINE_CHARS) line(part);
        skipping = false;
      }
      if (carry.length > MAX_LINE_CHARS) {
        carry = '';
        skipping = true;
      }
    },
  };
}
