#!/usr/bin/env node
// The runner's only module that touches `process` beyond the Host adapter's pid and kill (node-host.ts):
// wires the real adapters into the runner, turns SIGINT and SIGTERM into a graceful stop, and sets the
// exit code. Run it as `npx tsx src/cli.ts <folder> --once`.

import { createConsoleLog } from './adapters/console-log.ts';
import { createFfmpegTranscoder } from './adapters/ffmpeg.ts';
import { createNodeFs } from './adapters/node-fs.ts';
import { createNodeHost } from './adapters/node-host.ts';
import { createSystemClock } from './adapters/system-clock.ts';
import { EXIT, runApp } from './app.ts';

// Every line goes through one log that survives a closed stdout or stderr (see console-log.ts).
const log = createConsoleLog({ out: process.stdout, err: process.stderr });
const stopper = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!stopper.signal.aborted) log.error(`Received ${signal}: finishing the current job and stopping`);
    stopper.abort();
  });
}

try {
  process.exitCode = await runApp(
    process.argv.slice(2),
    {
      fs: createNodeFs(),
      clock: createSystemClock(),
      transcoder: createFfmpegTranscoder({ pathEnv: process.env.PATH }),
      host: createNodeHost(),
      log,
      cwd: process.cwd(),
    },
    stopper.signal,
  );
} catch (error) {
  log.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = EXIT.internal;
}
