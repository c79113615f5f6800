// A stand-in `ffmpeg` for CLI tests: a tiny shell script put first on PATH. It writes a small output
// for ordinary sources, fails for sources containing FAIL, and sleeps for sources containing SLOW.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `#!/bin/sh
src=""; out=""; prev=""
for a in "$@"; do
  if [ "$prev" = "-i" ]; then src="\${a#file:}"; fi
  prev="$a"; out="$a"
done
if grep -q FAIL "$src"; then echo "stand-in: cannot decode $src" >&2; exit 1; fi
if grep -q SLOW "$src"; then exec sleep 30; fi
printf 'proxy of %s\\n' "$src" > "$out"
`;

export interface Sandbox {
  readonly root: string;
  readonly watch: string;
  readonly media: string;
  readonly out: string;
  /** PATH with the stand-in ffmpeg first. */
  readonly path: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'runner-e2e-'));
  const bin = join(root, 'bin');
  const sandbox: Sandbox = {
    root,
    watch: join(root, 'watch'),
    media: join(root, 'media'),
    out: join(root, 'out'),
    path: `${bin}:${process.env.PATH ?? ''}`,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const dir of [bin, sandbox.watch, sandbox.media, sandbox.out]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(bin, 'ffmpeg'), SCRIPT);
  chmodSync(join(bin, 'ffmpeg'), 0o755);
  return sandbox;
}

export function jobSpec(sandbox: Sandbox, sources: string[], extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      jobspec_version: '2.1',
      sources: sources.map((s) => join(sandbox.media, s)),
      output_directory: sandbox.out,
      codec: 'prores_proxy',
      container: 'mov',
      resolution: 'same',
      naming_template: '{source_name}_proxy',
      proxy_profile: 'proxy_prores_proxy',
      ...extra,
    },
    null,
    2,
  )}\n`;
}
