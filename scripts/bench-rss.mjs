// Preloaded by `npm run bench` (node --import) into each runner it measures: at exit, the process's own
// peak resident set size (KiB) and its own CPU time (user + system, ms; not its children's, so not
// FFmpeg's) are appended as one line `<KiB> <ms>` to the file BENCH_RSS_FILE names. Node offers no rusage
// of a child, and this needs no /usr/bin/time on the machine.
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${usage.maxRSS} ${(usage.userCPUTime + usage.systemCPUTime) / 1000}\n`);
  });
}
