import { describe, it, expect } from 'vitest';
import { OPTIONS, USAGE, parseCommandLine, type ParsedCommandLine, type RunnerOptions } from '../../src/options.ts';

const run = (argv: string[]): RunnerOptions => {
  const r = parseCommandLine(argv);
  if (r.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(r)}`);
  return r.options;
};

const usageError = (argv: string[]): string => {
  const r: ParsedCommandLine = parseCommandLine(argv);
  if (r.kind !== 'usage-error') throw new Error(`expected a usage error, got ${JSON.stringify(r)}`);
  return r.message;
};

const oneLine = (message: string): void => {
  expect(message).not.toBe('');
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/^\s*at /m);
};

const MAX = 2147483; // floor((2^31 - 1) / 1000): the longest timer Node can honour, in seconds.
const badNumber = (opt: string, raw: string, allowZero = false): string =>
  `--${opt} must be a number ${allowZero ? '>= 0' : '> 0'} and at most ${MAX}, got '${raw}'`;

describe('parseCommandLine', () => {
  it('applies the contract defaults', () => {
    expect(parseCommandLine(['/watch'])).toEqual({
      kind: 'run',
      options: { folder: '/watch', once: false, pollSeconds: 2, settleSeconds: 5, clipTimeoutSeconds: 3600, maxWorkers: 1, shared: null, progressSeconds: 10, onFiled: null, hookTimeoutSeconds: 60, logFormat: 'text' },
    });
  });

  it('--once', () => {
    expect(run(['/watch', '--once']).once).toBe(true);
    expect(run(['--once', '/watch']).folder).toBe('/watch');
  });

  it('--poll-seconds N', () => {
    expect(run(['/w', '--poll-seconds', '10']).pollSeconds).toBe(10);
    expect(run(['/w', '--poll-seconds=0.25']).pollSeconds).toBe(0.25);
  });

  it('--settle-seconds N', () => {
    expect(run(['/w', '--settle-seconds', '30']).settleSeconds).toBe(30);
    expect(run(['/w', '--settle-seconds', '1.5']).settleSeconds).toBe(1.5);
  });

  it('--settle-seconds 0 is allowed', () => {
    expect(run(['/w', '--settle-seconds', '0']).settleSeconds).toBe(0);
    expect(run(['/w', '--settle-seconds', '0.0']).settleSeconds).toBe(0);
  });

  it('--clip-timeout-seconds N', () => {
    expect(run(['/w', '--clip-timeout-seconds', '60']).clipTimeoutSeconds).toBe(60);
  });

  it('all options together, in any order', () => {
    const argv = ['--clip-timeout-seconds', '7', '--once', '--settle-seconds', '3', '/w', '--poll-seconds', '4', '--progress-seconds', '0'];
    argv.push('--on-filed', '/usr/local/bin/notify', '--hook-timeout-seconds', '9', '--log-format', 'json', '--max-workers', '3');
    expect(run(argv)).toEqual({
      folder: '/w',
      once: true,
      pollSeconds: 4,
      settleSeconds: 3,
      clipTimeoutSeconds: 7,
      maxWorkers: 3,
      shared: null,
      progressSeconds: 0,
      onFiled: '/usr/local/bin/notify',
      hookTimeoutSeconds: 9,
      logFormat: 'json',
    });
  });

  it('accepts the largest honourable number', () => {
    expect(run(['/w', '--clip-timeout-seconds', String(MAX)]).clipTimeoutSeconds).toBe(MAX);
    expect(run(['/w', '--poll-seconds', String(MAX)]).pollSeconds).toBe(MAX);
  });

  it('a folder after -- may start with a dash', () => {
    expect(run(['--', '-odd']).folder).toBe('-odd');
  });

  it('-h and --help', () => {
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['/w', '--help'])).toEqual({ kind: 'help' });
    // Help does not need a valid command line otherwise.
    expect(parseCommandLine(['/a', '/b', '-h', '--poll-seconds', '0'])).toEqual({ kind: 'help' });
  });

  it('--version', () => {
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
    expect(parseCommandLine(['/w', '--version'])).toEqual({ kind: 'version' });
  });

  it('the usage text names every declared option with its default, and both subcommands', () => {
    for (const o of OPTIONS) {
      expect(USAGE).toContain(`--${o.name}`);
      if (o.kind === 'seconds' || o.kind === 'choice') expect(USAGE).toContain(`(default: ${o.default}`);
    }
    for (const o of ['FOLDER', 'validate FILE...', 'status FOLDER', '-h, --help']) expect(USAGE).toContain(o);
  });

  it('every declared default is the one the parser applies', () => {
    const parsed = run(['/w']);
    const shared = run(['/w', '--shared']).shared;
    const byName: Record<string, unknown> = {
      'lease-seconds': shared?.leaseSeconds,
      'takeover-seconds': shared?.takeoverSeconds,
      'max-workers': parsed.maxWorkers,
      'poll-seconds': parsed.pollSeconds,
      'settle-seconds': parsed.settleSeconds,
      'clip-timeout-seconds': parsed.clipTimeoutSeconds,
      'progress-seconds': parsed.progressSeconds,
      'hook-timeout-seconds': parsed.hookTimeoutSeconds,
      'log-format': parsed.logFormat,
    };
    for (const o of OPTIONS) if (o.kind === 'seconds' || o.kind === 'count' || o.kind === 'choice') expect(byName[o.name]).toBe(o.default);
  });

  describe('subcommands', () => {
    it('validate takes one or more files and --json', () => {
      expect(parseCommandLine(['validate', 'a.json', 'b.json'])).toEqual({ kind: 'validate', files: ['a.json', 'b.json'], json: false });
      expect(parseCommandLine(['validate', '--json', 'a.json'])).toEqual({ kind: 'validate', files: ['a.json'], json: true });
      expect(usageError(['validate'])).toBe('validate needs at least one JobSpec file');
    });

    it('status takes one folder and --json', () => {
      expect(parseCommandLine(['status', '/w', '--json'])).toEqual({ kind: 'status', folder: '/w', json: true });
      expect(usageError(['status'])).toBe('status needs one watch folder');
      expect(usageError(['status', '/a', '/b'])).toBe('status needs one watch folder, got 2 arguments');
    });

    it('submit takes one or more files, --to FOLDER and --json', () => {
      expect(parseCommandLine(['submit', 'a.json', 'b.json', '--to', '/w'])).toEqual({ kind: 'submit', files: ['a.json', 'b.json'], to: '/w', json: false });
      expect(parseCommandLine(['submit', '--json', '--to=/w', 'a.json'])).toEqual({ kind: 'submit', files: ['a.json'], to: '/w', json: true });
      expect(usageError(['submit', 'a.json'])).toBe('submit needs --to FOLDER, the watch folder');
      expect(usageError(['submit', '--to', '/w'])).toBe('submit needs at least one JobSpec file');
      expect(usageError(['/w', '--to', '/x'])).toBe("option '--to' does not apply to running a folder");
      expect(usageError(['submit', 'a.json', '--to', '/w', '--max-workers', '2'])).toBe("option '--max-workers' does not apply to submit");
    });

    it('--shared takes its lease terms; they alone are a usage error', () => {
      expect(run(['/w', '--shared']).shared).toEqual({ leaseSeconds: 10, takeoverSeconds: 30 });
      expect(run(['/w', '--shared', '--lease-seconds', '2', '--takeover-seconds', '0']).shared).toEqual({ leaseSeconds: 2, takeoverSeconds: 0 });
      expect(usageError(['/w', '--lease-seconds', '2'])).toBe("option '--lease-seconds' applies only with --shared");
      expect(usageError(['/w', '--takeover-seconds', '5'])).toBe("option '--takeover-seconds' applies only with --shared");
    });

    it('rejects an option of another command', () => {
      expect(usageError(['status', '/w', '--once'])).toBe("option '--once' does not apply to status");
      expect(usageError(['validate', 'a.json', '--poll-seconds', '3'])).toBe("option '--poll-seconds' does not apply to validate");
      expect(usageError(['/w', '--json'])).toBe("option '--json' does not apply to running a folder");
    });

    it('a folder that is named like a subcommand is run when written as a path', () => {
      expect(run(['./status']).folder).toBe('./status');
    });
  });

  it('--log-format takes text or json only', () => {
    expect(usageError(['/w', '--log-format', 'xml'])).toBe("--log-format must be one of text, json, got 'xml'");
  });

  it('--on-filed needs a program', () => {
    expect(usageError(['/w', '--on-filed='])).toBe("--on-filed needs a program, got ''");
  });

  describe('usage errors (one line each)', () => {
    it('an unknown long option', () => {
      const m = usageError(['/w', '--bogus']);
      oneLine(m);
      expect(m).toBe("unknown option '--bogus'");
    });

    it('an unknown short option', () => {
      const m = usageError(['-x', '/w']);
      oneLine(m);
      expect(m).toBe("unknown option '-x'");
    });

    it('a value for a flag', () => {
      const m = usageError(['/w', '--once=yes']);
      oneLine(m);
      expect(m).toBe("option '--once' does not take a value");
    });

    it('a missing value', () => {
      const m = usageError(['/w', '--poll-seconds']);
      oneLine(m);
      expect(m).toBe("option '--poll-seconds' needs a value");
    });

    it('a missing folder', () => {
      expect(usageError([])).toBe('the watch folder argument is required');
      expect(usageError(['--once'])).toBe('the watch folder argument is required');
    });

    it('two folders', () => {
      expect(usageError(['/a', '/b'])).toBe('expected one watch folder, got 2 arguments');
      expect(usageError(['/a', '/b', '/c'])).toBe('expected one watch folder, got 3 arguments');
    });

    it.each(['poll-seconds', 'clip-timeout-seconds'])('--%s 0 is rejected', (opt) => {
      expect(usageError(['/w', `--${opt}`, '0'])).toBe(badNumber(opt, '0'));
      expect(usageError(['/w', `--${opt}`, '0.0'])).toBe(badNumber(opt, '0.0'));
    });

    it.each(['poll-seconds', 'settle-seconds', 'clip-timeout-seconds'])('--%s rejects negatives', (opt) => {
      const allowZero = opt === 'settle-seconds';
      expect(usageError(['/w', `--${opt}=-1`])).toBe(badNumber(opt, '-1', allowZero));
      expect(usageError(['/w', `--${opt}=-0`])).toBe(badNumber(opt, '-0', allowZero));
      // As a separate argument, parseArgs itself refuses a value that starts with '-'.
      const m = usageError(['/w', `--${opt}`, '-5']);
      oneLine(m);
      expect(m).toBe(`option '--${opt}' needs a value; write --${opt}=VALUE for a value that starts with '-'`);
    });

    it.each(['poll-seconds', 'settle-seconds', 'clip-timeout-seconds'])('--%s rejects non-decimal spellings', (opt) => {
      const allowZero = opt === 'settle-seconds';
      for (const raw of ['abc', '1e3', '1E3', '0x10', 'Infinity', 'NaN', '', ' 5', '5 ', '5s', '.5', '5.', '+5', '1,5', '١']) {
        const m = usageError(['/w', `--${opt}`, raw]);
        oneLine(m);
        expect(m).toBe(badNumber(opt, raw, allowZero));
      }
    });

    it.each(['poll-seconds', 'settle-seconds', 'clip-timeout-seconds'])('--%s rejects huge numbers', (opt) => {
      const allowZero = opt === 'settle-seconds';
      for (const raw of [String(MAX + 1), '99999999999', `1${'0'.repeat(400)}`]) {
        expect(usageError(['/w', `--${opt}`, raw])).toBe(badNumber(opt, raw, allowZero));
      }
    });

    it('reports the first bad number in option order poll, settle, timeout', () => {
      expect(usageError(['/w', '--clip-timeout-seconds', 'x', '--poll-seconds', 'y'])).toBe(badNumber('poll-seconds', 'y'));
      expect(usageError(['/w', '--clip-timeout-seconds', 'x', '--settle-seconds', 'y'])).toBe(badNumber('settle-seconds', 'y', true));
    });
  });
});
