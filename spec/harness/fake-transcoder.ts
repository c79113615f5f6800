// An in-process FFmpeg that acts out media descriptors (design section 3) against the scenario's
// filesystem and the fake clock. It is a different "process": it uses the raw filesystem, not the
// runner's (which may be dead or faulty), and it honours -n like the real tool.

import type { Fs, TranscodeOutcome, Transcoder } from '../../src/ports.ts';
import { behaviourOf, decodeMedia, fakeOutputBytes, fakeStderr } from '../../src/conformance/media.ts';
import type { FakeClock } from './fake-clock.ts';

export interface FakeTranscoderOptions {
  readonly fs: Fs;
  readonly clock: FakeClock;
  /** Where "ffmpeg" is installed, or null for a machine without it. */
  readonly ffmpegPath: string | null;
  /** Called when a descriptor says to SIGKILL the runner; never returns. */
  readonly killRunner: (why: string) => never;
}

export const FAKE_FFMPEG_FIRST_PID = 5000;

function exited(exitCode: number, stderrTail: string): TranscodeOutcome {
  return { exitCode, signal: null, timedOut: false, stderrTail };
}

export function createFakeTranscoder(options: FakeTranscoderOptions): Transcoder {
  const { fs, clock } = options;
  let nextPid = FAKE_FFMPEG_FIRST_PID;

  async function exists(path: string): Promise<boolean> {
    return fs.lstat(path).then(
      () => true,
      () => false,
    );
  }

  async function writeOutput(path: string, bytes: number | null): Promise<void> {
    if (bytes !== null) await fs.writeFileExclusive(path, fakeOutputBytes(bytes));
  }

  return {
    locate: async () => options.ffmpegPath,
    async run({ argv, timeoutMs, signal, onSpawn }) {
      await onSpawn?.(nextPid++);
      const input = argv[argv.indexOf('-i') + 1] ?? '';
      const source = input.startsWith('file:') ? input.slice('file:'.length) : input;
      const output = argv[argv.length - 1] ?? '';
      let text: string;
      try {
        text = new TextDecoder().decode(await fs.readFile(source));
      } catch {
        return exited(1, `${input}: No such file or directory\n`);
      }
      const descriptor = decodeMedia(text);
      if (descriptor === null) return exited(1, `${input}: Invalid data found when processing input\n`);
      if (await exists(output)) return exited(1, `File '${output}' already exists. Exiting.\n`);
      const stderr = fakeStderr(descriptor);
      const tail = stderr.length > 65536 ? stderr.slice(-65536) : stderr;
      const behaviour = behaviourOf(descriptor);

      if (behaviour.kind === 'kill-runner') {
        await clock.sleep(behaviour.durationMs);
        await writeOutput(output, behaviour.outputBytes);
        return options.killRunner(`media ${source} asked to kill the runner`);
      }
      const durationMs = behaviour.kind === 'hang' ? Number.POSITIVE_INFINITY : behaviour.durationMs;
      await clock.sleep(Math.min(durationMs, timeoutMs), signal);
      if (signal.aborted) {
        // Like the real tool on SIGTERM: it finalises the truncated file it has and exits 255.
        if (behaviour.kind !== 'hang') await writeOutput(output, behaviour.outputBytes === null ? null : Math.floor(behaviour.outputBytes / 2));
        return exited(255, `${tail}Exiting normally, received signal 15.\n`);
      }
      if (durationMs > timeoutMs) {
        // As the real tool under execa's timeout: SIGTERM, a truncated file, exit 255.
        if (behaviour.kind !== 'hang') await writeOutput(output, behaviour.outputBytes === null ? null : Math.floor(behaviour.outputBytes / 2));
        return { exitCode: 255, signal: null, timedOut: true, stderrTail: `${tail}Exiting normally, received signal 15.\n` };
      }
      if (behaviour.kind === 'hang') throw new Error('unreachable: a hang always times out');
      await writeOutput(output, behaviour.outputBytes);
      if (behaviour.kind === 'signal') return { exitCode: null, signal: behaviour.signal, timedOut: false, stderrTail: tail };
      return exited(behaviour.code, tail);
    },
  };
}
