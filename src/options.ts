// Command-line arguments → a command and its options (SPEC.md section 2). Pure: the caller prints and
// exits. Every option is declared once, in OPTIONS: the parser's table, the defaults, the checks, the
// usage text and the README's CLI reference (scripts/write-cli-reference.ts) are all made from it.

import { parseArgs } from 'node:util';

export const COMMAND_NAME = 'watch-folder-runner';

export type CommandName = 'run' | 'validate' | 'status' | 'submit';
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

interface Declared {
  readonly name: string;
  readonly short?: string;
  /** The commands it applies to; any other rejects it. */
  readonly commands: readonly CommandName[];
  readonly help: string;
}
interface FlagOption extends Declared {
  readonly kind: 'flag';
}
interface SecondsOption extends Declared {
  readonly kind: 'seconds';
  readonly default: number;
  readonly allowZero: boolean;
}
interface CountOption extends Declared {
  readonly kind: 'count';
  readonly default: number;
  readonly max: number;
}
interface ChoiceOption extends Declared {
  readonly kind: 'choice';
  readonly choices: readonly string[];
  readonly default: string;
}
interface TextOption extends Declared {
  readonly kind: 'text';
  readonly placeholder: string;
  /** What the value names, for the usage error of an empty one: `--to needs a folder`. */
  readonly noun: string;
}
export type OptionDeclaration = FlagOption | SecondsOption | CountOption | ChoiceOption | TextOption;

const RUN: readonly CommandName[] = ['run'];
const SUBMIT: readonly CommandName[] = ['submit'];
const REPORTS: readonly CommandName[] = ['validate', 'status', 'submit'];
const ALL: readonly CommandName[] = ['run', 'validate', 'status', 'submit'];

/** Every option of every command, in the order the usage text lists them. */
export const OPTIONS: readonly OptionDeclaration[] = [
  { name: 'once', kind: 'flag', commands: RUN, help: 'Perform a single scan and exit (do not poll)' },
  { name: 'poll-seconds', kind: 'seconds', default: 2, allowZero: false, commands: RUN, help: 'Seconds between scans in continuous mode; a change in pending/ (a filesystem event) starts one at once' },
  {
    name: 'settle-seconds',
    kind: 'seconds',
    default: 5,
    allowZero: true,
    commands: RUN,
    help: 'A JobSpec that is not a complete JSON object or array yet is processed only after it has stayed unchanged this long',
  },
  {
    name: 'max-workers',
    kind: 'count',
    default: 1,
    max: 64,
    commands: RUN,
    help: 'Run up to N jobs at once; they are still claimed one at a time in name order',
  },
  {
    name: 'shared',
    kind: 'flag',
    commands: RUN,
    help: 'Work the folder together with other runners started with --shared, on this host or others (a shared NAS folder)',
  },
  {
    name: 'lease-seconds',
    kind: 'seconds',
    default: 10,
    allowZero: false,
    commands: RUN,
    help: 'With --shared: this runner renews its lease at least this often (a third of it, in fact)',
  },
  {
    name: 'takeover-seconds',
    kind: 'seconds',
    default: 30,
    allowZero: true,
    commands: RUN,
    help: "With --shared: another runner's jobs are taken over only when its lease has gone unrenewed for its lease seconds plus this",
  },
  { name: 'clip-timeout-seconds', kind: 'seconds', default: 3600, allowZero: false, commands: RUN, help: 'Kill an FFmpeg run that takes longer than this' },
  {
    name: 'progress-seconds',
    kind: 'seconds',
    default: 10,
    allowZero: true,
    commands: RUN,
    help: 'Print a progress line of the running encode at most this often, as FFmpeg reports it (0: never)',
  },
  {
    name: 'on-filed',
    kind: 'text',
    placeholder: 'CMD',
    noun: 'a program',
    commands: RUN,
    help: 'Run the program CMD (no shell) after each job is filed, with the result path as its argument',
  },
  { name: 'hook-timeout-seconds', kind: 'seconds', default: 60, allowZero: false, commands: RUN, help: 'Kill an --on-filed program that runs longer than this' },
  { name: 'log-format', kind: 'choice', choices: LOG_FORMATS, default: 'text', commands: RUN, help: 'Console lines as text, or as JSON lines with stable fields' },
  { name: 'to', kind: 'text', placeholder: 'FOLDER', noun: 'a watch folder', commands: SUBMIT, help: 'The watch folder to submit to (required)' },
  { name: 'json', kind: 'flag', commands: REPORTS, help: 'Print the report as one JSON document' },
  { name: 'help', short: 'h', kind: 'flag', commands: ALL, help: 'Show this help and exit' },
  { name: 'version', kind: 'flag', commands: ALL, help: 'Show the version and exit' },
];

export interface RunnerOptions {
  readonly folder: string;
  readonly once: boolean;
  readonly pollSeconds: number;
  readonly settleSeconds: number;
  readonly clipTimeoutSeconds: number;
  readonly maxWorkers: number;
  /** --shared and its lease: null when the folder is this runner's alone. */
  readonly shared: { readonly leaseSeconds: number; readonly takeoverSeconds: number } | null;
  readonly progressSeconds: number;
  readonly onFiled: string | null;
  readonly hookTimeoutSeconds: number;
  readonly logFormat: LogFormat;
}

export type ParsedCommandLine =
  | { readonly kind: 'run'; readonly options: RunnerOptions }
  | { readonly kind: 'validate'; readonly files: readonly string[]; readonly json: boolean }
  | { readonly kind: 'status'; readonly folder: string; readonly json: boolean }
  | { readonly kind: 'submit'; readonly files: readonly string[]; readonly to: string; readonly json: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string };

/** The subcommands, by the word that names them; a first positional that is none of them is the folder to run. */
const SUBCOMMANDS: Readonly<Record<string, { readonly synopsis: string; readonly help: string }>> = {
  validate: { synopsis: 'validate FILE...', help: 'Check JobSpecs as the runner would and show what it would run; changes nothing' },
  status: { synopsis: 'status FOLDER', help: 'Show what a watch folder holds and what its runner is doing; changes nothing' },
  submit: {
    synopsis: 'submit JOBSPEC... --to FOLDER',
    help: "Check each JobSpec as the runner would and put the valid ones into FOLDER's pending/, never half-written, never replacing a file",
  },
};

const DECIMAL = /^\d+(\.\d+)?$/;
/** Node timers fire at once beyond 2^31-1 ms, so no longer timeout can be honoured. */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function seconds(option: SecondsOption, raw: string): number | { readonly error: string } {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < 0 || (!option.allowZero && value === 0) || value > MAX_SECONDS) {
    return { error: `--${option.name} must be a number ${option.allowZero ? '>= 0' : '> 0'} and at most ${MAX_SECONDS}, got '${raw}'` };
  }
  return value;
}

function count(option: CountOption, raw: string): number | { readonly error: string } {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > option.max) return { error: `--${option.name} must be a whole number from 1 to ${option.max}, got '${raw}'` };
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

type ParseArgsTable = Record<string, { type: 'boolean' | 'string'; short?: string }>;

function parserTable(): ParseArgsTable {
  const table: ParseArgsTable = {};
  for (const option of OPTIONS) {
    table[option.name] = { type: option.kind === 'flag' ? 'boolean' : 'string', ...(option.short === undefined ? {} : { short: option.short }) };
  }
  return table;
}

/** The option values of one command: each declared option's value or its default. */
class Values {
  constructor(private readonly raw: Readonly<Record<string, string | boolean | undefined>>) {}
  flag(name: string): boolean {
    return this.raw[name] === true;
  }
  text(name: string): string | null {
    const value = this.raw[name];
    return typeof value === 'string' ? value : null;
  }
}

/** The checked value of every valued option of `command`, or the first problem. */
function checkedValues(raw: Values, command: CommandName): Map<string, number | string> | { readonly error: string } {
  const checked = new Map<string, number | string>();
  for (const option of OPTIONS) {
    if (!option.commands.includes(command) || option.kind === 'flag') continue;
    const given = raw.text(option.name);
    if (option.kind === 'seconds' || option.kind === 'count') {
      const value = given === null ? option.default : option.kind === 'seconds' ? seconds(option, given) : count(option, given);
      if (typeof value !== 'number') return value;
      checked.set(option.name, value);
    } else if (option.kind === 'choice') {
      const value = given ?? option.default;
      if (!option.choices.includes(value)) return { error: `--${option.name} must be one of ${option.choices.join(', ')}, got '${value}'` };
      checked.set(option.name, value);
    } else if (given !== null) {
      if (given === '') return { error: `--${option.name} needs ${option.noun}, got ''` };
      checked.set(option.name, given);
    }
  }
  return checked;
}

function numberOf(values: ReadonlyMap<string, number | string>, name: string): number {
  const value = values.get(name);
  if (typeof value !== 'number') throw new Error(`--${name} has no number`);
  return value;
}

function textOf(values: ReadonlyMap<string, number | string>, name: string): string | null {
  const value = values.get(name);
  return typeof value === 'string' ? value : null;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: parserTable() });
  } catch (error) {
    return { kind: 'usage-error', message: argumentError(error) };
  }
  const raw = new Values(parsed.values);
  if (raw.flag('help')) return { kind: 'help' };
  if (raw.flag('version')) return { kind: 'version' };
  const [first, ...rest] = parsed.positionals;
  const command: CommandName = first === 'validate' || first === 'status' || first === 'submit' ? first : 'run';
  const operands = command === 'run' ? parsed.positionals : rest;
  for (const option of OPTIONS) {
    if (parsed.values[option.name] !== undefined && !option.commands.includes(command)) {
      return { kind: 'usage-error', message: `option '--${option.name}' does not apply to ${command === 'run' ? 'running a folder' : command}` };
    }
  }
  const values = checkedValues(raw, command);
  if ('error' in values) return { kind: 'usage-error', message: values.error };
  if (command === 'validate') {
    if (operands.length === 0) return { kind: 'usage-error', message: 'validate needs at least one JobSpec file' };
    return { kind: 'validate', files: operands, json: raw.flag('json') };
  }
  if (command === 'submit') {
    const to = textOf(values, 'to');
    if (to === null) return { kind: 'usage-error', message: 'submit needs --to FOLDER, the watch folder' };
    if (operands.length === 0) return { kind: 'usage-error', message: 'submit needs at least one JobSpec file' };
    return { kind: 'submit', files: operands, to, json: raw.flag('json') };
  }
  if (operands.length !== 1) {
    const what = command === 'status' ? 'status needs one watch folder' : 'expected one watch folder';
    return { kind: 'usage-error', message: operands.length === 0 ? `${command === 'run' ? 'the watch folder argument is required' : what}` : `${what}, got ${operands.length} arguments` };
  }
  const folder = operands[0] ?? '';
  if (command === 'status') return { kind: 'status', folder, json: raw.flag('json') };
  for (const name of ['lease-seconds', 'takeover-seconds']) {
    if (!raw.flag('shared') && raw.text(name) !== null) return { kind: 'usage-error', message: `option '--${name}' applies only with --shared` };
  }
  const logFormat = values.get('log-format') === 'json' ? 'json' : 'text';
  return {
    kind: 'run',
    options: {
      folder,
      once: raw.flag('once'),
      pollSeconds: numberOf(values, 'poll-seconds'),
      settleSeconds: numberOf(values, 'settle-seconds'),
      clipTimeoutSeconds: numberOf(values, 'clip-timeout-seconds'),
      maxWorkers: numberOf(values, 'max-workers'),
      shared: raw.flag('shared') ? { leaseSeconds: numberOf(values, 'lease-seconds'), takeoverSeconds: numberOf(values, 'takeover-seconds') } : null,
      progressSeconds: numberOf(values, 'progress-seconds'),
      onFiled: textOf(values, 'on-filed'),
      hookTimeoutSeconds: numberOf(values, 'hook-timeout-seconds'),
      logFormat,
    },
  };
}

const OPTION_COLUMN = 30;
const TEXT_WIDTH = 106;

function optionLabel(option: OptionDeclaration): string {
  const long = `--${option.name}`;
  const head = option.short === undefined ? `    ${long}` : `-${option.short}, ${long}`;
  if (option.kind === 'flag') return head;
  if (option.kind === 'seconds' || option.kind === 'count') return `${head} N`;
  if (option.kind === 'choice') return `${head} ${option.choices.join('|')}`;
  return `${head} ${option.placeholder}`;
}

function optionHelp(option: OptionDeclaration): string {
  if (option.kind === 'seconds') return `${option.help} (default: ${option.default}, ${option.allowZero ? '>= 0' : '> 0'})`;
  if (option.kind === 'count') return `${option.help} (default: ${option.default}, 1 to ${option.max})`;
  if (option.kind === 'choice') return `${option.help} (default: ${option.default})`;
  return option.help;
}

/** `label` and `text` as one entry of a two-column list, the text wrapped at word boundaries. */
function entry(label: string, text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && OPTION_COLUMN + line.length + 1 + word.length > TEXT_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  const first = `  ${label}`;
  const pad = (s: string): string => (s.length >= OPTION_COLUMN - 1 ? `${s}\n${' '.repeat(OPTION_COLUMN)}` : s.padEnd(OPTION_COLUMN));
  return lines.map((l, i) => (i === 0 ? pad(first) : ' '.repeat(OPTION_COLUMN)) + l).join('\n');
}

/** The options that apply to exactly `commands` (all of them: the general options), under `title`. */
function section(title: string, commands: readonly CommandName[]): string {
  const chosen = OPTIONS.filter((o) => o.commands.length === commands.length && commands.every((c) => o.commands.includes(c)));
  return [title, ...chosen.map((o) => entry(optionLabel(o), optionHelp(o)))].join('\n');
}

function usageText(): string {
  return [
    `usage: ${COMMAND_NAME} FOLDER [--once] [options]`,
    ...Object.values(SUBCOMMANDS).map((s) => `       ${COMMAND_NAME} ${s.synopsis} [--json]`),
    '',
    'Deterministic watch-folder runner for JobSpec 2.1 proxy jobs.',
    '',
    'commands:',
    entry('FOLDER', 'Run the watch folder: pending/, running/, completed/ and failed/ are created inside it when missing (the folder itself must exist)'),
    ...Object.values(SUBCOMMANDS).map((s) => entry(s.synopsis, s.help)),
    '',
    section('options of running a folder:', RUN),
    '',
    section('options of submit:', SUBMIT),
    '',
    section('options of validate, status and submit:', REPORTS),
    '',
    section('options:', ALL),
    '',
    'exit codes: 0 ok; 1 a job ended FAILED or PARTIAL (--once, recovery included), validate found an invalid',
    'JobSpec or submit refused one; 2 usage error (submit: not a watch folder); 3 folder in use by another runner;',
    '70 internal error or a failing disk',
  ].join('\n');
}

export const USAGE = usageText();
