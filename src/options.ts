// Command-line arguments → options (contract section 2). Pure: the caller prints and exits.

import { parseArgs } from 'node:util';

export interface RunnerOptions {
  readonly folder: string;
  readonly once: boolean;
  readonly pollSeconds: number;
  readonly settleSeconds: number;
  readonly clipTimeoutSeconds: number;
}

export type ParsedCommandLine =
  | { readonly kind: 'run'; readonly options: RunnerOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string };

export const USAGE = `usage: watch-folder-runner <folder> [--once] [--poll-seconds N] [--settle-seconds N] [--clip-timeout-seconds N]

Deterministic watch-folder runner for JobSpec 2.1 proxy jobs.

positional arguments:
  folder                    Root watch directory (pending/, running/, completed/, failed/ are created inside)

options:
  -h, --help                Show this help and exit
  --version                 Show the version and exit
  --once                    Perform a single scan and exit (don't poll)
  --poll-seconds N          Seconds between scans in continuous mode (default: 2, must be > 0)
  --settle-seconds N        Seconds a JobSpec that does not parse yet must stay unchanged before it is
                            processed anyway (default: 5, must be >= 0)
  --clip-timeout-seconds N  Kill an FFmpeg run that takes longer than this (default: 3600, must be > 0)

exit codes: 0 ok; 1 a job failed or was partial (--once); 2 usage error; 3 folder in use by another
runner; 70 internal error`;

const DECIMAL = /^\d+(\.\d+)?$/;
/** Node timers fire at once beyond 2^31-1 ms, so no longer timeout can be honoured. */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function seconds(name: string, raw: string | undefined, fallback: number, allowZero: boolean): number | string {
  if (raw === undefined) return fallback;
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0) || value > MAX_SECONDS) {
    return `--${name} must be a number ${allowZero ? '>= 0' : '> 0'} and at most ${MAX_SECONDS}, got '${raw}'`;
  }
  return value;
}

/** parseArgs's messages span lines and carry hints for other CLIs; say it in one sentence of ours. */
function argumentError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]*)/.exec(text)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take/.test(text)) return `option '${option}' does not take a value`;
    return /ambiguous/.test(text)
      ? `option '${option}' needs a value; write ${option}=VALUE for a value that starts with '-'`
      : `option '${option}' needs a value`;
  }
  return text.split('\n')[0] ?? 'invalid arguments';
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        once: { type: 'boolean' },
        'poll-seconds': { type: 'string' },
        'settle-seconds': { type: 'string' },
        'clip-timeout-seconds': { type: 'string' },
      },
    });
  } catch (error) {
    return { kind: 'usage-error', message: argumentError(error) };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  if (positionals.length !== 1) {
    return { kind: 'usage-error', message: positionals.length === 0 ? 'the watch folder argument is required' : `expected one watch folder, got ${positionals.length} arguments` };
  }
  const poll = seconds('poll-seconds', values['poll-seconds'], 2, false);
  const settle = seconds('settle-seconds', values['settle-seconds'], 5, true);
  const timeout = seconds('clip-timeout-seconds', values['clip-timeout-seconds'], 3600, false);
  for (const v of [poll, settle, timeout]) if (typeof v === 'string') return { kind: 'usage-error', message: v };
  return {
    kind: 'run',
    options: {
      folder: positionals[0] ?? '',
      once: values.once === true,
      pollSeconds: poll as number,
      settleSeconds: settle as number,
      clipTimeoutSeconds: timeout as number,
    },
  };
}
