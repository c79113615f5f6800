// An in-process FFmpeg that acts out media descriptors (design section 3) against the scenario's
// filesystem and the fake clock. It is a different "process": it uses the raw filesystem, not the
// runner's (which may be dead or faulty), it honours -n like the real tool, and it writes no file for an
// output that is stdout, a pipe or the null muxer.

import type { Fs, TranscodeOutcome, Transcoder } from '../../src/ports.ts';
import type { MeanwhileAction } from '../../src/conformance/media.ts';
import { behaviourOf, bytesWrittenBy, decodeMedia, fakeOutputBytes, fakeProgressLine, fakeStderr, outputFileOf, sourcePathOf } from '../../src/conformance/media.ts';
import type { FakeClock } from './fake-clock.ts';

export interface FakeTranscoderOptions {
  readonly fs: Fs;
  readonly clock: FakeClock;
  /** Where "ffmpeg" is installed, or null for a machine without it. */
  readonly ffmpegPath: string | null;
  /** Called when a descriptor says to SIGKILL the runner; never returns. */
  readonly killRunner: (why: string) => never;
  /** Carries out a descriptor's `meanwhile` action (another process, on the scenario's files). */
  readonly act?: (action: MeanwhileAction) => void;
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

  return {
    locate: async () => options.ffmpegPath,
    async run({ argv, timeoutMs, signal, onSpawn, onProgress }) {
      await onSpawn?.(nextPid++);
      const args = argv.slice(1);
      const input = args[args.indexOf('-i') + 1] ?? '';
      const source = sourcePathOf(input);
      // null: stdout, a pipe or the null muxer, where FFmpeg writes no file.
      const output = outputFileOf(args);
      let text: string;
      try {
        text = new TextDecoder().decode(await fs.readFile(source));
      } catch {
        return exited(1, `${input}: No such file or directory\n`);
      }
      const descriptor = decodeMedia(text);
      if (descriptor === null) return exited(1, `${input}: Invalid data found when processing input\n`);
      if (output !== null && (await exists(output))) return exited(1, `File '${output}' already exists. Exiting.\n`);
      let stderr = fakeStderr(descriptor);
      const behaviour = behaviourOf(descriptor);
      // Nothing can look at the output while this "process" runs (the runner waits for it), so it is written
      // once, with what the real stand-in has written by the time it ends.
      const writeOutput = async (bytes: number | null): Promise<void> => {
        if (output !== null && bytes !== null) await fs.writeFileExclusive(output, fakeOutputBytes(bytes));
      };

      if (behaviour.kind === 'kill-runner') {
        await clock.sleep(behaviour.durationMs);
        await writeOutput(bytesWrittenBy(behaviour.output, behaviour.durationMs));
        return options.killRunner(`media ${source} asked to kill the runner`);
      }
      const durationMs = behaviour.kind === 'hang' ? Number.POSITIVE_INFINITY : behaviour.durationMs;
      const started = clock.now();
      const sleptMs = Math.min(durationMs, timeoutMs);
      const tailOf = (): string => (stderr.length > 65536 ? stderr.slice(-65536) : stderr);
      // Someone else acts half-way through: the runner is waiting for this process meanwhile.
      const meanwhile = behaviour.kind === 'hang' ? [] : (descriptor.meanwhile ?? []);
      let remainingMs = sleptMs;
      // FFmpeg's stats lines, evenly over the run, each told to the runner as the real adapter would tell it.
      const reports = behaviour.kind === 'hang' || meanwhile.length > 0 ? 0 : (descriptor.progress_reports ?? 0);
      for (let made = 1; made <= reports && !signal.aborted; made += 1) {
        const atMs = Math.round((made * durationMs) / reports);
        if (atMs > sleptMs) break;
        await clock.sleep(atMs - (clock.now() - started), signal);
        if (signal.aborted) break;
        stderr += fakeProgressLine(atMs);
        onProgress?.({ doneSeconds: Math.floor(atMs / 10) / 100, totalSeconds: durationMs / 1000, speed: 1 });
      }
      remainingMs = Math.max(0, sleptMs - (clock.now() - started));
      if (meanwhile.length > 0) {
        const halfMs = Math.min(Math.floor(durationMs / 2), sleptMs);
        await clock.sleep(halfMs, signal);
        if (!signal.aborted) for (const action of meanwhile) options.act?.(action);
        remainingMs = sleptMs - halfMs;
      }
      await clock.sleep(remainingMs, signal);
      if (signal.aborted || durationMs > timeoutMs) {
        // Like the real tool on SIGTERM (a stop, or execa's timeout): it finalises the truncated file it has
        // and exits 255. A hang has written nothing.
        if (behaviour.kind !== 'hang') await writeOutput(behaviour.output.stopBytes ?? bytesWrittenBy(behaviour.output, clock.now() - started));
        return { exitCode: 255, signal: null, timedOut: !signal.aborted, stderrTail: `${tailOf()}Exiting normally, received signal 15.\n` };
      }
      if (behaviour.kind === 'hang') throw new Error('unreachable: a hang always times out');
      await writeOutput(bytesWrittenBy(behaviour.output, behaviour.durationMs));
      if (behaviour.kind === 'signal') return { exitCode: null, signal: behaviour.signal, timedOut: false, stderrTail: tailOf() };
      return exited(behaviour.code, tailOf());
    },
  };
}
