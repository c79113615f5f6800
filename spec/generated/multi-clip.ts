// Family `multi-clip` (SPEC section 9, R9.1): jobs of 2 to 5 clips that all complete, and the same jobs
// with one clip failing at each position in each way a clip can fail: a non-zero exit (leaving a
// `.partial` artifact), death by a signal, a zero-size output and no output at all. Fail-fast: the
// clips before the failure are published, the failing one keeps its evidence, later clips never start
// (no FFmpeg command, no output), and the job is FAILED.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { MediaDescriptor } from '../../src/conformance/media.ts';
import { baseJobSpec, defaultTree, generated, media, mediaPath, withFields } from './base.ts';

const FAILURES: ReadonlyArray<{ readonly kind: string; readonly what: string; readonly descriptor: MediaDescriptor }> = [
  { kind: 'exit', what: 'exits 1 after writing 512 bytes', descriptor: { exit: 1, output_bytes: 512, stderr: 'Conversion failed!\n' } },
  { kind: 'signal', what: 'is killed by SIGSEGV', descriptor: { signal: 'SIGSEGV', stderr: 'Segmentation fault\n' } },
  { kind: 'zero-size', what: 'exits 0 with a zero-size output', descriptor: { exit: 0, output_bytes: 0 } },
  { kind: 'no-output', what: 'exits 0 without writing any output', descriptor: { exit: 0, no_output: true } },
];

function clipJob(count: number, failing: { position: number; descriptor: MediaDescriptor } | null): Record<string, unknown> {
  const files = Array.from({ length: count }, (_, i) => `clip${i + 1}.mov`);
  const tree = defaultTree(withFields(baseJobSpec(), { sources: files.map((f) => mediaPath(f)), naming_template: '{source_name}_{index}' }));
  delete tree['media/clip.mov'];
  files.forEach((file, i) => {
    tree[`media/${file}`] = media(failing !== null && failing.position === i + 1 ? failing.descriptor : { exit: 0, stderr: `clip ${i + 1} done\n` });
  });
  return tree;
}

export function multiClipScenarios(): LoadedScenario[] {
  const scenarios: LoadedScenario[] = [];
  for (let count = 2; count <= 5; count += 1) {
    scenarios.push(
      generated({
        family: 'multi-clip',
        name: `${count}-clips-complete`,
        description: `All ${count} clips complete in sources order: ${count} outputs, COMPLETED`,
        requirements: ['R9.1'],
        tags: ['multi-clip'],
        tree: clipJob(count, null),
      }),
    );
    for (let position = 1; position <= count; position += 1) {
      for (const { kind, what, descriptor } of FAILURES) {
        const later = count - position;
        scenarios.push(
          generated({
            family: 'multi-clip',
            name: `${count}-clips-fail-at-${position}-${kind}`,
            description: `Clip ${position} of ${count} ${what}: ${position - 1} published, FAILED, ${later} later clip(s) never started`,
            requirements: ['R9.1', 'R9.9', 'R9.10'],
            tags: ['multi-clip'],
            tree: clipJob(count, { position, descriptor }),
          }),
        );
      }
    }
  }
  return scenarios;
}
