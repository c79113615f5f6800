// The runner's ports on a bare memfs volume, for unit tests of one runner module at a time: the fake
// clock, host and FFmpeg, a filesystem whose calls are recorded and can be made to fail one by one (per
// method, in call order), and a look at what a folder holds afterwards.

import { Volume } from 'memfs';
import type { Deps, Fs } from '../../src/ports.ts';
import type { FakeClock } from '../harness/fake-clock.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeHost } from '../harness/fake-host.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { createMemFs } from '../harness/mem-fs.ts';
import { createFakeHooks } from '../harness/fake-hooks.ts';
import { keptLog } from './silent-log.ts';

/** Per method, the errno each of its calls fails with, in call order (undefined: that call works). */
export type Faults = Partial<Record<keyof Fs, ReadonlyArray<string | undefined>>>;

export interface MemDeps {
  readonly deps: Deps;
  readonly clock: FakeClock;
  readonly vol: Volume;
  /** Every filesystem call, as `<method> <path> [<path>]`. */
  readonly calls: string[];
  /** The regular files directly in `dir`, name → text. */
  files(dir: string): Record<string, string>;
}

export const fsError = (code: string): Error => Object.assign(new Error(`${code}: injected`), { code });

/** `dirs` are created first, then `files` (path → text) are written. */
export function memDeps(setup: { dirs?: readonly string[]; files?: Record<string, string>; faults?: Faults } = {}): MemDeps {
  const vol = new Volume();
  for (const dir of setup.dirs ?? []) vol.mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(setup.files ?? {})) vol.writeFileSync(path, text);
  const base = createMemFs(vol);
  const calls: string[] = [];
  const seen = new Map<string, number>();
  const fs = Object.fromEntries(
    Object.entries(base).map(([method, fn]) => [
      method,
      async (...args: unknown[]) => {
        calls.push([method, ...args.filter((a) => typeof a === 'string')].join(' '));
        const index = seen.get(method) ?? 0;
        seen.set(method, index + 1);
        const code = setup.faults?.[method as keyof Fs]?.[index];
        if (code !== undefined) throw fsError(code);
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as Fs;
  const clock = createFakeClock();
  const deps: Deps = {
    fs,
    clock,
    transcoder: createFakeTranscoder({ fs, clock, ffmpegPath: null, killRunner: (why) => { throw new Error(why); } }),
    host: createFakeHost(),
    hooks: createFakeHooks(),
    log: keptLog(),
    cwd: '/',
  };
  const files = (dir: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of vol.readdirSync(dir) as string[]) {
      if (vol.lstatSync(`${dir}/${name}`).isFile()) out[name] = String(vol.readFileSync(`${dir}/${name}`));
    }
    return out;
  };
  return { deps, clock, vol, calls, files };
}
