#!/usr/bin/env node
// The runner's only module that touches `process` beyond the Host adapter's pid and kill (node-host.ts):
// wires the real adapters into the runner, turns SIGINT and SIGTERM into a stop (the core says what it
// interrupts), and sets the exit code. Run it as `npx tsx src/cli.ts <folder> --once`, or built, as
// `node dist/cli.js <folder> --once`.

import { createConsole } from './adapters/console-log.ts';
import { createDirectoryEvents } from './adapters/node-dir-events.ts';
import { createFfmpegTranscoder } from './adapters/ffmpeg.ts';
import { createHookRunner } from './adapters/hook-runner.ts';
import { createNodeFs } from './adapters/node-fs.ts';
import { createNodeHost } from './adapters/node-host.ts';
import { createSystemClock } from './adapters/system-clock.ts';
import { EXIT, runApp } from './app.ts';
import { createLog } from './log.ts';

// Every line goes through one console that survives a closed stdout or stderr (see console-log.ts).
const terminal = createConsole({ out: process.stdout, err: process.stderr });
const clock = createSystemClock();
const stopper = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // The signal's name is the stop's reason: the stop event names it. A second signal changes nothing.
  process.on(signal, () => stopper.abort(signal));
}

try {
  process.exitCode = await runApp(
    process.argv.slice(2),
    {
      fs: createNodeFs(),
      clock,
      transcoder: createFfmpegTranscoder({ pathEnv: process.env.PATH }),
      host: createNodeHost(),
      hooks: createHookRunner({ env: process.env }),
      console: terminal,
      cwd: process.cwd(),
      events: createDirectoryEvents(),
    },
    stopper.signal,
  );
} catch (error) {
  const why = error instanceof Error ? (error.stack ?? error.message) : String(error);
  createLog(terminal, clock, 'text').event('internal-error', `internal error: ${why}`);
  process.exitCode = EXIT.internal;
}
