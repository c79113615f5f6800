// The conformance runner's command line and its --expect file. Pure: src/conformance/cli.ts prints and exits.

import { parseArgs } from 'node:util';
import type { Level } from './compare.ts';
import { LEVELS } from './compare.ts';
import type { Tier } from './scenario.ts';
import { TIERS } from './scenario.ts';
import { WATCH_PLACEHOLDER } from './impl-command.ts';

export interface ConformanceOptions {
  readonly impl: string;
  readonly level: Level;
  readonly report: string | null;
  readonly junit: string | null;
  readonly expect: string | null;
  readonly keep: boolean;
  readonly filters: readonly string[];
  readonly jobs: number;
  readonly timeoutSeconds: number;
  readonly tier: Tier;
  /** The suite folder: its manifest.json says where scenarios and goldens are. */
  readonly suite: string;
  /** Goldens from here instead of where the manifest says. */
  readonly golden: string | null;
}

export type ConformanceCommand =
  | { readonly kind: 'run'; readonly options: ConformanceOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

export const CONFORMANCE_USAGE = `usage: conformance --impl '<command with {watch}>' [--level core|strict] [--tier default|full]
                   [--filter REGEX]... [--expect FILE] [--report FILE] [--junit FILE] [--keep] [--jobs N]
                   [--timeout-seconds N] [--suite DIR] [--golden DIR]

Runs every scenario of the suite tagged "portable" against another implementation of the watch-folder
runner, on a real temporary folder with stand-in ffmpeg/ffprobe first on PATH, and compares with the goldens.

options:
  --impl CMD             the implementation's command line (run by /bin/sh); {watch} becomes the watch
                         folder, and the scenario's arguments (e.g. --once) are appended
  --level core|strict    core: exit codes, which paths exist, the bytes of every file but results, result
                         essentials (scenarios tagged reference are skipped); strict: the whole normalised
                         tree (default)
  --tier default|full    default: the default tier (default); full: every tier, the bulk generated families too
  --filter REGEX         only scenarios whose id matches (repeatable: any of them), e.g. parse/ or ^scan/dot
  --expect FILE          scenario ids expected to fail (JSON list, or one per line; # comments)
  --report FILE          write the verdicts as JSON, every difference included
  --junit FILE           write the verdicts as JUnit XML, each run's output in <system-out>
  --keep                 keep each scenario's temporary folder and print where they are
  --jobs N               scenarios run at once (default: 2 per CPU core)
  --timeout-seconds N    kill a run that takes longer (default 60)
  --suite DIR            the suite folder with manifest.json (default: this repository's suite/)
  --golden DIR           the goldens (default: where the manifest says)

exit codes: 0 every scenario as expected; 1 an unexpected failure or pass; 2 usage error`;

export interface OptionDefaults {
  readonly suite: string;
  /**
   * Scenarios at once when --jobs is not given. A run spends much of its time starting processes and
   * waiting for the stand-in FFmpeg, so two per core keep the cores busy; more only queue for them.
   */
  readonly jobs: number;
}

function positiveNumber(name: string, raw: string | undefined, fallback: number, integer: boolean): number | string {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || (integer && !Number.isInteger(value))) return `--${name} must be a ${integer ? 'whole ' : ''}number > 0, got '${raw}'`;
  return value;
}

export function parseConformanceArgs(argv: readonly string[], defaults: OptionDefaults): ConformanceCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        impl: { type: 'string' },
        level: { type: 'string', default: 'strict' },
        tier: { type: 'string', default: 'default' },
        filter: { type: 'string', multiple: true, default: [] },
        expect: { type: 'string' },
        report: { type: 'string' },
        junit: { type: 'string' },
        keep: { type: 'boolean', default: false },
        jobs: { type: 'string' },
        'timeout-seconds': { type: 'string' },
        suite: { type: 'string', default: defaults.suite },
        golden: { type: 'string' },
      },
    }));
  } catch (error) {
    return { kind: 'usage-error', message: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'invalid arguments' };
  }
  if (values.help === true) return { kind: 'help' };
  if (values.impl === undefined || values.impl.trim() === '') return { kind: 'usage-error', message: '--impl is required' };
  if (!values.impl.includes(WATCH_PLACEHOLDER)) return { kind: 'usage-error', message: `--impl must contain ${WATCH_PLACEHOLDER} where the watch folder goes` };
  const level = LEVELS.find((l) => l === values.level);
  if (level === undefined) return { kind: 'usage-error', message: `--level must be core or strict, got '${values.level}'` };
  const tier = TIERS.find((t) => t === values.tier);
  if (tier === undefined) return { kind: 'usage-error', message: `--tier must be ${TIERS.join(' or ')}, got '${values.tier}'` };
  for (const filter of values.filter) {
    try {
      new RegExp(filter, 'u');
    } catch {
      return { kind: 'usage-error', message: `--filter '${filter}' is not a valid regular expression` };
    }
  }
  const jobs = positiveNumber('jobs', values.jobs, defaults.jobs, true);
  const timeoutSeconds = positiveNumber('timeout-seconds', values['timeout-seconds'], 60, false);
  if (typeof jobs === 'string') return { kind: 'usage-error', message: jobs };
  if (typeof timeoutSeconds === 'string') return { kind: 'usage-error', message: timeoutSeconds };
  return {
    kind: 'run',
    options: {
      impl: values.impl,
      level,
      report: values.report ?? null,
      junit: values.junit ?? null,
      expect: values.expect ?? null,
      keep: values.keep,
      filters: values.filter,
      jobs,
      timeoutSeconds,
      tier,
      suite: values.suite,
      golden: values.golden ?? null,
    },
  };
}

/** The ids an --expect file lists: a JSON array of strings, or one id per line (blank lines and # comments skipped). */
export function parseExpectFile(text: string): string[] | string {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return `not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) return 'a JSON --expect file must be a list of scenario ids';
    return value;
  }
  return trimmed
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** `cd dir && runner …` as the start of a command, or after `;`, `&&`, `||`, `(`. */
const CHANGES_DIRECTORY = /(^|[;&|(])\s*cd(\s|$)/;

/**
 * Why an --impl line probably does not test what its author meant, or null. Every run starts in the
 * scenario root, and JobSpecs name their sources and output folder relative to it (`media/clip.mov`,
 * `out`): a command that changes directory first makes the runner resolve them somewhere else.
 */
export function implWarning(impl: string): string | null {
  if (!CHANGES_DIRECTORY.test(impl)) return null;
  return '--impl changes directory (cd): every run starts in the scenario root, and the relative paths in its JobSpecs (media/clip.mov, out) only mean the scenario\'s files from there; point your interpreter at your code with an environment variable (e.g. PYTHONPATH=/abs/src) instead (spec/IMPLEMENTING.md)';
}
