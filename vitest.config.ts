import { defineConfig } from 'vitest/config';

// Four projects: `default` (unit, scenario goldens on memfs, CLI end-to-end with a stand-in ffmpeg) runs
// with `npm test`; `conformance` (our CLI through the conformance runner on every portable scenario, and
// the proof that it catches divergence: minutes, because every run starts a process) runs with
// `npm run test:conformance`; `crash` (crash points, power cuts and errnos at every operation, and the
// real-filesystem suite) runs with `npm run test:crash`; `ffmpeg` (the real-FFmpeg suite) runs with
// `npm run test:ffmpeg`.
//
// Timeouts are hang guards, never performance checks: the machine is shared and loaded (load averages of
// 10 and more on 2 cores happen), CPU-bound explorations and real processes take many times longer then,
// and no test may fail a correct runner for being slow. Each is far above what a loaded run needs.

const CONFORMANCE_RUNS = ['spec/conformance/self.test.ts', 'spec/conformance/divergence.test.ts', 'spec/conformance/literal-args.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'default',
          include: ['spec/unit/**/*.test.ts', 'spec/scenarios/**/*.test.ts', 'spec/e2e/**/*.test.ts', 'spec/conformance/**/*.test.ts'],
          exclude: CONFORMANCE_RUNS,
          env: { TZ: 'UTC' },
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: CONFORMANCE_RUNS,
          env: { TZ: 'UTC' },
          // Builds dist/cli.js first: these tests run our CLI through its compiled entry.
          globalSetup: ['spec/conformance/global-setup.ts'],
          testTimeout: 3_600_000,
          hookTimeout: 600_000,
          // The two files start hundreds of runner processes each; side by side they would only compete.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'crash',
          // Fault injection on memfs (crash exploration, errno matrix, fast-check properties) and the
          // real-filesystem suite for what memfs cannot show: tens of thousands of runs, so seconds per file.
          include: ['spec/crash/**/*.test.ts', 'spec/realfs/**/*.test.ts'],
          env: { TZ: 'UTC' },
          // Two files at once even on two cores (vitest's default is one fewer than the cores): the memfs
          // exploration is CPU-bound, the real-filesystem suite mostly waits for the processes it starts.
          maxWorkers: 2,
          // Headroom: a crash exploration worker's memory grows with each workload it explores (one file
          // of a dozen workloads outgrew Node's default heap, hence the --shared one's file of its own).
          execArgv: ['--max-old-space-size=6144'],
          testTimeout: 3_600_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'ffmpeg',
          include: ['spec/ffmpeg/**/*.test.ts'],
          env: { TZ: 'UTC' },
          // Real encodes, runner start-ups and signal round trips: seconds idle, minutes on a loaded machine.
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // One file at a time: real encodes from two files would only compete for the same cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
