// The repository's Dockerfile read as data, and its steps replayed on this machine without Docker (which
// CI does not have): the build stage's files copied from the build context as .dockerignore leaves it, its
// `RUN npm run build` run for real, and the runtime stage's COPY lines filling an image root whose /app is
// then run like the image's ENTRYPOINT. Only the steps this module knows are replayed; any other step in
// the build stage fails the replay, so a Dockerfile change cannot slip past the tests unreplayed.

import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { execa } from 'execa';
import { REPO } from '../../scripts/bundle-cli.ts';
import { HANG_MS } from '../support/polling.ts';

export interface Instruction {
  /** The keyword in upper case (FROM, RUN, COPY, …). */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly args: string;
}

export interface Stage {
  readonly image: string;
  /** The `AS` name, or null for an unnamed stage. */
  readonly name: string | null;
  /** The stage's instructions after its FROM. */
  readonly instructions: readonly Instruction[];
}

/** The instructions of a Dockerfile: comment lines dropped, `\` continuations joined (Docker's rules). */
export function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // A comment line inside a continued instruction is dropped too, as Docker does.
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    const continued = line.endsWith('\\');
    pending += `${pending === '' ? '' : ' '}${continued ? line.slice(0, -1).trim() : line}`;
    if (continued) continue;
    const match = /^(\S+)\s*(.*)$/.exec(pending);
    if (match !== null) instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '' });
    pending = '';
  }
  if (pending !== '') throw new Error(`Dockerfile ends inside a continued instruction: ${pending}`);
  return instructions;
}

/** The stages of a Dockerfile, in order. */
export function parseStages(text: string): Stage[] {
  const stages: { image: string; name: string | null; instructions: Instruction[] }[] = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' && name !== undefined ? name : null, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`${instruction.keyword} before the first FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

export function readStages(): Stage[] {
  return parseStages(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
}

/** The exec (JSON array) form of ENTRYPOINT or CMD; null for the shell form, which would put sh in between. */
export function execForm(args: string): string[] | null {
  if (!args.trimStart().startsWith('[')) return null;
  const value: unknown = JSON.parse(args);
  if (!Array.isArray(value) || !value.every((part): part is string => typeof part === 'string')) {
    throw new Error(`not a JSON array of strings: ${args}`);
  }
  return value;
}

/** The last instruction of `keyword` in a stage (Docker uses the last ENTRYPOINT, CMD, USER, …). */
export function last(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
}

export interface Copy {
  /** `--from=<stage>`, or null for the build context. */
  readonly from: string | null;
  readonly sources: readonly string[];
  readonly dest: string;
}

/** A shell-form COPY: its flags (only --from is understood; --chown and --chmod are accepted) and paths. */
export function parseCopy(args: string): Copy {
  const words = args.split(/\s+/).filter((word) => word !== '');
  let from: string | null = null;
  const paths: string[] = [];
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length);
    else if (/^--(chown|chmod|link)(=|$)/.test(word)) continue;
    else if (word.startsWith('--')) throw new Error(`COPY flag this replay does not know: ${word}`);
    else paths.push(word);
  }
  const dest = paths.pop();
  if (dest === undefined || paths.length === 0) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { from, sources: paths, dest };
}

/** A .dockerignore pattern as a regular expression over context paths: `*` and `?` within a name, `**` across names. */
function globRegex(pattern: string): RegExp {
  let regex = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? '';
    if (pattern.startsWith('**/', index)) {
      regex += '(?:.*/)?';
      index += 2;
    } else if (pattern.startsWith('**', index)) {
      regex += '.*';
      index += 1;
    } else if (char === '*') regex += '[^/]*';
    else if (char === '?') regex += '[^/]';
    else regex += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`);
}

/** .dockerignore's patterns as matchers, in order (a later `!pattern` lets a path back in). */
function ignoreRules(): { exclude: boolean; regex: RegExp }[] {
  const path = join(REPO, '.dockerignore');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exclude = !line.startsWith('!');
      const pattern = posix.normalize((exclude ? line : line.slice(1)).replace(/^\/+/, '')).replace(/\/+$/, '');
      return { exclude, regex: globRegex(pattern) };
    });
}

/** Whether the build context Docker sends holds `path` (relative to the repository): a match on a parent excludes it too. */
export function inContext(path: string): boolean {
  const parts = path.split('/');
  const prefixes = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let included = true;
  for (const rule of ignoreRules()) {
    if (prefixes.some((prefix) => rule.regex.test(prefix))) included = !rule.exclude;
  }
  return included;
}

/** Copies `source` (relative to the repository) to `dest` as the build context has it: ignored files left out. */
function copyFromContext(source: string, dest: string): void {
  const relativeSource = posix.normalize(source).replace(/\/+$/, '');
  if (!inContext(relativeSource)) throw new Error(`COPY ${source}: not in the build context (.dockerignore)`);
  const from = join(REPO, relativeSource);
  if (!lstatSync(from).isDirectory()) {
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(from, dest);
    return;
  }
  mkdirSync(dest, { recursive: true });
  for (const name of readdirSync(from)) {
    const child = posix.join(relativeSource, name);
    if (inContext(child)) copyFromContext(child, join(dest, name));
  }
}

/**
 * Where a COPY puts one source, on this machine: a directory's contents go into the destination itself
 * (Docker's rule, whatever the destination looks like); a file goes into a destination ending in `/` (or
 * shared by several sources) under its own name, else onto the destination's name.
 */
function copyTarget(root: string, workdir: string, copy: Copy, source: string, sourceIsDir: boolean): string {
  const absolute = posix.resolve(workdir, copy.dest);
  const into = copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1;
  return join(root, into && !sourceIsDir ? posix.join(absolute, posix.basename(source)) : absolute);
}

export interface ReplayOptions {
  /** An empty directory: the build stage's filesystem is made in `<dir>/build`, the runtime stage's in `<dir>/image`. */
  readonly dir: string;
  /** The PATH the replayed `RUN npm run build` sees. */
  readonly pathEnv: string;
}

export interface Replay {
  /** The runtime stage's filesystem root: what its COPY lines put there, nothing of the base image. */
  readonly imageRoot: string;
}

/**
 * Replays the build stage on this machine: WORKDIR, COPY from the context, `RUN npm ci` (this checkout's
 * installed node_modules linked in its place: the lockfile is the same, and a second install would cost
 * minutes), `RUN npm run build` for real. Then fills the runtime stage's root from its COPY lines (its RUN
 * lines install Debian packages; the tests check their words, and this machine's Debian provides them).
 */
export async function replayImage({ dir, pathEnv }: ReplayOptions): Promise<Replay> {
  const [build, runtime, ...more] = readStages();
  if (build === undefined || runtime === undefined || more.length > 0) throw new Error('the Dockerfile is expected to have exactly two stages');
  const buildRoot = join(dir, 'build');
  let workdir = '/';
  for (const { keyword, args } of build.instructions) {
    if (keyword === 'WORKDIR') {
      workdir = posix.resolve(workdir, args);
      mkdirSync(join(buildRoot, workdir), { recursive: true });
    } else if (keyword === 'COPY') {
      const copy = parseCopy(args);
      if (copy.from !== null) throw new Error(`the build stage copies from ${copy.from}, which this replay does not know`);
      for (const source of copy.sources) {
        copyFromContext(source, copyTarget(buildRoot, workdir, copy, source, lstatSync(join(REPO, source)).isDirectory()));
      }
    } else if (keyword === 'RUN' && /^npm ci(\s|$)/.test(args)) {
      symlinkSync(join(REPO, 'node_modules'), join(buildRoot, workdir, 'node_modules'));
    } else if (keyword === 'RUN' && args === 'npm run build') {
      await execa('npm', ['run', 'build'], { cwd: join(buildRoot, workdir), env: { PATH: pathEnv, HOME: dir }, extendEnv: false, timeout: HANG_MS });
    } else {
      throw new Error(`a build-stage step this replay does not know: ${keyword} ${args}`);
    }
  }

  const imageRoot = join(dir, 'image');
  let runtimeWorkdir = '/';
  for (const { keyword, args } of runtime.instructions) {
    if (keyword === 'WORKDIR') {
      runtimeWorkdir = posix.resolve(runtimeWorkdir, args);
      mkdirSync(join(imageRoot, runtimeWorkdir), { recursive: true });
    } else if (keyword === 'COPY') {
      const copy = parseCopy(args);
      if (copy.from !== null && copy.from !== build.name) throw new Error(`the runtime stage copies from ${copy.from}, which is not the build stage`);
      for (const source of copy.sources) {
        // --from paths are relative to the build stage's root (Docker ignores its WORKDIR for them).
        const from = copy.from === null ? join(REPO, source) : join(buildRoot, posix.resolve('/', source));
        const target = copyTarget(imageRoot, runtimeWorkdir, copy, source, lstatSync(from).isDirectory());
        if (copy.from === null) copyFromContext(source, target);
        else {
          mkdirSync(dirname(target), { recursive: true });
          cpSync(from, target, { recursive: true });
        }
      }
    }
  }
  return { imageRoot };
}

/** The files under `root`, relative to it, sorted (what a stage's COPY lines left there). */
export function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** Copies the whole build context (the repository less what .dockerignore leaves out) to `dest`. */
export function copyContext(dest: string): void {
  copyFromContext('.', dest);
}

/**
 * A PATH on which the one program is `node` (a link to this Node) and, when given, the stand-ins before it:
 * the machine's own /usr/bin holds far more (perhaps a real ffmpeg), and an installed runner must need none of it.
 */
export function nodeOnlyPath(dir: string, before: readonly string[] = []): string {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'node'))) symlinkSync(process.execPath, join(dir, 'node'));
  return [...before, dir].join(':');
}
