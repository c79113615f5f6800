import { defineConfig } from 'vitest/config';

// Two projects: `default` (unit, scenario goldens, CLI end-to-end with a stand-in ffmpeg) runs with
// `npm test`; `ffmpeg` (the real-FFmpeg suite) runs only with `npm run test:ffmpeg`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'default',
          include: ['spec/unit/**/*.test.ts', 'spec/scenarios/**/*.test.ts', 'spec/e2e/**/*.test.ts', 'spec/conformance/**/*.test.ts'],
          env: { TZ: 'UTC' },
        },
      },
      {
        test: {
          name: 'ffmpeg',
          include: ['spec/ffmpeg/**/*.test.ts'],
          env: { TZ: 'UTC' },
          // Real encodes, runner start-ups and signal round trips: seconds, not milliseconds.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One file at a time: the timeout and signal tests measure wall time, and encodes from another
          // file competing for the same cores would blur it.
          fileParallelism: false,
        },
      },
    ],
  },
});
