import { defineConfig } from 'vitest/config';

// Two projects: `default` (unit, scenario goldens, CLI end-to-end with a stand-in ffmpeg) runs with
// `npm test`; `ffmpeg` (the real-FFmpeg suite) runs only with `npm run test:ffmpeg`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'default',
          include: ['spec/unit/**/*.test.ts', 'spec/scenarios/**/*.test.ts', 'spec/e2e/**/*.test.ts'],
          env: { TZ: 'UTC' },
        },
      },
    ],
  },
});
