#!/usr/bin/env node
// The only module that touches `process`: wires the real adapters into the runner, turns SIGINT and
// SIGTERM into a graceful stop, and sets the exit code. Run it as `npx tsx src/cli.ts <folder> --once`.

import { createFfmpegTranscoder } from './adapters/ffmpeg.ts';
import { createNodeFs } from './adapters/node-fs.ts';
import { createNodeHost } from './adapters/node-host.ts';
import { createSystemClock } from './adapters/system-clock.ts';
import { EXIT, runApp } from './app.ts';

const stopper = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!stopper.signal.aborted) process.stderr.write(`Received ${signal}: finishing the current job and stopping\n`);
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
      log: { info: (line) => process.stdout.write(`${line}\n`), error: (line) => process.stderr.write(`${line}\n`) },
      cwd: process.cwd(),
    },
    stopper.signal,
  );
} catch (error) {
  process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = EXIT.internal;
}
