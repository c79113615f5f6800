// Builds the literal-arguments mutant (issue 8, "How it is checked"): our runner, bundled as dist/cli.js is,
// except that the argv builder and the frame-rate rules are swapped for the original contract's literal
// ones (./command.ts, ./frame-rate.ts), before SPEC.md departed from it. A runner that follows that
// contract to the letter must pass `core`; at `strict` it may differ only in `ffmpeg_command`.

import { join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { REPO, bundleCli } from '../../../scripts/bundle-cli.ts';

const SRC = join(REPO, 'src');

/** Module of the runner → its literal replacement. */
const SWAPS: ReadonlyMap<string, string> = new Map([
  [join(SRC, 'engine/command.ts'), join(import.meta.dirname, 'command.ts')],
  [join(SRC, 'engine/frame-rate.ts'), join(import.meta.dirname, 'frame-rate.ts')],
]);

/** Redirects the runner's imports of the swapped modules (the replacements themselves still reach the originals). */
function swapModules(swapped: Set<string>): Plugin {
  return {
    name: 'literal-args-swap',
    setup(build) {
      build.onResolve({ filter: /\.ts$/ }, (args) => {
        if (!args.importer.startsWith(`${SRC}/`)) return undefined;
        const original = resolve(args.resolveDir, args.path);
        const target = SWAPS.get(original);
        if (target === undefined) return undefined;
        swapped.add(original);
        return { path: target };
      });
    },
  };
}

export async function bundleLiteralArgsRunner(outfile: string): Promise<void> {
  const swapped = new Set<string>();
  await bundleCli({ outfile, plugins: [swapModules(swapped)] });
  // Had the runner stopped importing a swapped module (renamed, inlined), the mutant would be our runner
  // unchanged and every test built on it would prove nothing.
  const missed = [...SWAPS.keys()].filter((original) => !swapped.has(original));
  if (missed.length > 0) throw new Error(`the literal-arguments mutant swapped nothing for ${missed.join(', ')}: update spec/conformance/literal-args/build.ts`);
}
