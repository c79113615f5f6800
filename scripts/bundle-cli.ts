// Bundles the runner's CLI (src/cli.ts) and every runtime dependency into one executable ES module, so
// that running it needs Node alone: no tsx, no node_modules, and no TypeScript compile at each start.
// `npm run build` (scripts/build.ts) writes dist/cli.js with it; the conformance tests build with it too.

import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { build } from 'esbuild';

export const REPO = join(import.meta.dirname, '..');
export const CLI_SOURCE = join(REPO, 'src/cli.ts');
export const DIST_CLI = join(REPO, 'dist/cli.js');

// Some dependencies of execa (cross-spawn, which) are CommonJS and `require` Node's built-ins; an ES
// module has no `require`, so the bundle makes one. esbuild keeps src/cli.ts's `#!` line above this.
const REQUIRE_SHIM = "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);";

export interface BundleOptions {
  /** The file to write (made executable). */
  readonly outfile: string;
  /** Extra esbuild plugins (the conformance tests swap a module this way to build a mutant runner). */
  readonly plugins?: readonly Plugin[];
}

export async function bundleCli({ outfile, plugins = [] }: BundleOptions): Promise<void> {
  await build({
    entryPoints: [CLI_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: REQUIRE_SHIM },
    plugins: [...plugins],
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
}
