// The conformance runner's arguments, the --expect file, and the implementation's command line.

import { describe, expect, it } from 'vitest';
import { implWarning, parseConformanceArgs, parseExpectFile } from '../../src/conformance/cli-options.ts';
import { buildImplCommand } from '../../src/conformance/impl-command.ts';

const defaults = { suite: '/repo/suite', jobs: 4 };

describe('parseConformanceArgs', () => {
  it('takes the defaults: strict, the default tier, the jobs it is given, 60 s, this repository', () => {
    expect(parseConformanceArgs(['--impl', 'runner {watch}'], defaults)).toEqual({
      kind: 'run',
      options: { impl: 'runner {watch}', level: 'strict', report: null, junit: null, expect: null, keep: false, filters: [], jobs: 4, timeoutSeconds: 60, tier: 'default', suite: '/repo/suite', golden: null },
    });
  });

  it('reads every flag, --filter repeatable', () => {
    const command = parseConformanceArgs(
      ['--impl', 'r {watch}', '--level', 'core', '--tier', 'full', '--filter', 'parse/', '--filter', 'scan/', '--expect', 'x.txt', '--report', 'r.json', '--junit', 'r.xml', '--keep', '--jobs', '3', '--timeout-seconds', '1.5', '--suite', 's', '--golden', 'g'],
      defaults,
    );
    expect(command).toMatchObject({
      kind: 'run',
      options: { level: 'core', tier: 'full', filters: ['parse/', 'scan/'], expect: 'x.txt', report: 'r.json', junit: 'r.xml', keep: true, jobs: 3, timeoutSeconds: 1.5, suite: 's', golden: 'g' },
    });
  });

  it('answers usage errors in one line', () => {
    const cases: [string[], RegExp][] = [
      [[], /--impl is required/],
      [['--impl', 'runner ./watch'], /must contain \{watch\}/],
      [['--impl', 'r {watch}', '--level', 'loose'], /--level must be core or strict/],
      [['--impl', 'r {watch}', '--tier', 'all'], /--tier must be default or full, got 'all'/],
      [['--impl', 'r {watch}', '--jobs', '0'], /--jobs must be a whole number > 0/],
      [['--impl', 'r {watch}', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['--impl', 'r {watch}', '--filter', '(parse'], /--filter '\(parse' is not a valid regular expression/],
    ];
    for (const [argv, message] of cases) {
      const command = parseConformanceArgs(argv, defaults);
      expect(command.kind).toBe('usage-error');
      if (command.kind === 'usage-error') {
        expect(command.message).toMatch(message);
        expect(command.message).not.toContain('\n');
      }
    }
    expect(parseConformanceArgs(['--help'], defaults)).toEqual({ kind: 'help' });
  });
});

describe('implWarning', () => {
  it('warns when the command changes directory, which moves every relative path of the scenario', () => {
    for (const impl of ['cd impl && python -m runner {watch}', '  cd /abs/impl; ./runner {watch}', 'true && cd x && r {watch}', '(cd x; r {watch})']) {
      expect(implWarning(impl)).toMatch(/^--impl changes directory \(cd\): every run starts in the scenario root/);
    }
  });

  it('stays quiet for commands that only name a cd-like word', () => {
    for (const impl of ['PYTHONPATH=/abs/impl python3 -m runner {watch}', 'node /opt/cdn/cli.js {watch}', 'abcd {watch}', 'r --cd {watch}']) {
      expect(implWarning(impl)).toBeNull();
    }
  });
});

describe('parseExpectFile', () => {
  it('reads a JSON list or one id per line with comments', () => {
    expect(parseExpectFile('["parse/a", "scan/b"]\n')).toEqual(['parse/a', 'scan/b']);
    expect(parseExpectFile('# known divergences\nparse/a\n\n  scan/b  \n')).toEqual(['parse/a', 'scan/b']);
    expect(parseExpectFile('')).toEqual([]);
    expect(parseExpectFile('[1, 2]')).toBe('a JSON --expect file must be a list of scenario ids');
    expect(parseExpectFile('[oops')).toMatch(/^not valid JSON/);
  });
});

describe('buildImplCommand', () => {
  it('puts the quoted folder where {watch} is and appends the quoted arguments', () => {
    expect(buildImplCommand('python -m runner {watch}', "/tmp/it's here/watch", ['--once', '--settle-seconds', '0'])).toBe(
      "python -m runner '/tmp/it'\\''s here/watch' '--once' '--settle-seconds' '0'",
    );
    expect(buildImplCommand('r {watch}', '/w', [])).toBe("r '/w'");
  });
});
