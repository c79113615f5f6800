// npm run build: writes the compiled entry dist/cli.js (the `watch-folder-runner` command of package.json).
import { relative } from 'node:path';
import { DIST_CLI, REPO, bundleCli } from './bundle-cli.ts';

await bundleCli({ outfile: DIST_CLI });
process.stdout.write(`Wrote ${relative(REPO, DIST_CLI)}\n`);
