// Before the conformance project runs: build the compiled entry (dist/cli.js) from the current sources, so
// that those tests check this tree's runner (never a stale build) and `npm run test:conformance` works on a
// fresh clone by itself. Our CLI runs through the suite hundreds of times; the bundle starts several
// times faster than node with the tsx loader.

import { DIST_CLI, bundleCli } from '../../scripts/bundle-cli.ts';

export default async function setup(): Promise<void> {
  await bundleCli({ outfile: DIST_CLI });
}
