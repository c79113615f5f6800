// `npm run demo`: builds a tiny watch folder under ./demo with a two-second test clip made by FFmpeg's
// own generators, drops one JobSpec, and runs the real CLI once on it. Needs ffmpeg on PATH.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

const root = resolve('demo');
const watch = join(root, 'watch');
const media = join(root, 'media');
const out = join(root, 'proxies');

rmSync(root, { recursive: true, force: true }); // ./demo belongs to this script alone
for (const dir of [join(watch, 'pending'), media, out]) mkdirSync(dir, { recursive: true });

const clip = join(media, 'sample.mov');
try {
  await execa('ffmpeg', [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'testsrc=duration=2:size=640x360:rate=25',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
  ]);
} catch (error) {
  console.error(`error: could not make the sample clip with ffmpeg (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install FFmpeg first`);
  process.exit(2);
}

writeFileSync(
  join(watch, 'pending', 'demo_job.json'),
  `${JSON.stringify(
    {
      jobspec_version: '2.1',
      job_id: 'demo0001',
      sources: [clip],
      output_directory: out,
      codec: 'h264',
      container: 'mp4',
      resolution: 'half',
      naming_template: '{source_name}_{job_id}_proxy',
      proxy_profile: 'proxy_h264_low',
    },
    null,
    2,
  )}\n`,
);

console.log(`$ npx tsx src/cli.ts ${watch} --once`);
const run = await execa(process.execPath, ['--import', 'tsx', 'src/cli.ts', watch, '--once'], { reject: false, stdio: 'inherit' });

const resultPath = join(watch, 'completed', 'demo_job.result.json');
try {
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as { final_status: string; clips: { resolved_output_path: string; output_size_bytes: number }[] };
  console.log(`\nfinal_status: ${result.final_status}`);
  for (const c of result.clips) console.log(`proxy:  ${c.resolved_output_path} (${c.output_size_bytes} bytes)`);
  console.log(`result: ${resultPath}`);
} catch {
  console.log(`\nNo completed result at ${resultPath}; see ${join(watch, 'failed')}`);
}
process.exit(run.exitCode ?? 70);
