import { describe, expect, it } from 'vitest';
import { encodeName } from '../../src/path-bytes.ts';
import {
  NAME_MAX_BYTES, filingStems, isFilingStemOf, isJobSpecName, isLockName, jobSpecNameOf, lockAsideNameOf, lockTempNameOf, maskStamps, partialPathOf,
  pidOfLockScratch, resultNameOf, resultTempNameOf, runnerIdMasker, runnerIdOf, stemOf, stemOfResultName, stemOfResultTemp,
} from '../../src/runner/filing-names.ts';

const AT = Date.UTC(2026, 2, 4, 5, 6, 7, 890);

function firstStems(stem: string, count: number): string[] {
  const out: string[] = [];
  for (const candidate of filingStems(stem, AT)) {
    out.push(candidate);
    if (out.length === count) break;
  }
  return out;
}

describe('JobSpec and result names', () => {
  it('a JobSpec name ends in .json but not in .result.json; dot-files and a bare .json count', () => {
    for (const name of ['a.json', '.hidden.json', '.json', 'x.result.json.json']) expect(isJobSpecName(name)).toBe(true);
    for (const name of ['a.result.json', 'a.JSON', 'a.json.bak', 'a', '.result.json']) expect(isJobSpecName(name)).toBe(false);
  });

  it('stem, JobSpec name and result name derive from one another', () => {
    expect(stemOf('job.json')).toBe('job');
    expect(stemOf('.json')).toBe('');
    expect(jobSpecNameOf('job')).toBe('job.json');
    expect(resultNameOf('job')).toBe('job.result.json');
    expect(stemOfResultName('job.result.json')).toBe('job');
    expect(stemOfResultName('.result.json')).toBe('');
    expect(stemOfResultName('job.json')).toBeNull();
  });
});

describe('result temp names', () => {
  it('the matcher inverts the maker, for every stem', () => {
    for (const stem of ['job', '', 'a.b', 'x_20260304T050607Z_2', 'ünï cødé', '.hidden']) {
      expect(stemOfResultTemp(resultTempNameOf(stem))).toBe(stem);
    }
  });

  it('the temp name is hidden and is neither a JobSpec nor a result name', () => {
    const temp = resultTempNameOf('job');
    expect(temp.startsWith('.')).toBe(true);
    expect(isJobSpecName(temp)).toBe(false);
    expect(stemOfResultName(temp)).toBeNull();
  });

  it('recognises nothing else: backups, copies and other temp files are not the runner\'s', () => {
    const temp = resultTempNameOf('job');
    for (const foreign of [
      'job.result.json.bak', `.job.result.json.bak`, temp.slice(1), `${temp}.old`, `${temp}~`, `x${temp}`, '.job.tmp', '.notes.tmp',
      'job.result.json', 'job.json', '.tmp', '.', '', '.result.tmp', 'result.tmp',
    ]) {
      expect(stemOfResultTemp(foreign), foreign).toBeNull();
    }
  });
});

describe('the collision suffix', () => {
  it('offers the name itself, then the UTC stamp, then the stamp and a counter from 2', () => {
    expect(firstStems('job', 4)).toEqual(['job', 'job_20260304T050607Z', 'job_20260304T050607Z_2', 'job_20260304T050607Z_3']);
  });

  it('recognises every stem it offers, and only those', () => {
    for (const candidate of firstStems('job', 12)) expect(isFilingStemOf('job', candidate), candidate).toBe(true);
    expect(isFilingStemOf('job', 'job_20991231T235959Z_99999')).toBe(true);
    for (const other of ['jo', 'job2', 'job_', 'job_20260304T050607Z_1', 'job_20260304T050607Z_0', 'job_20260304T050607Z_02', 'job_20260304T050607Z_100000', 'job_2026030T050607Z', 'xjob_20260304T050607Z', 'job_20260304T050607Z_2_3']) {
      expect(isFilingStemOf('job', other), other).toBe(false);
    }
  });

  it('a stem that itself looks stamped is still told apart from its own suffixed names', () => {
    const stem = 'job_20200101T000000Z';
    expect(isFilingStemOf(stem, `${stem}_20260304T050607Z`)).toBe(true);
    expect(isFilingStemOf('job', stem)).toBe(true);
    expect(isFilingStemOf(stem, 'job')).toBe(false);
  });

  it('masks stamps for comparisons across runs made at other instants', () => {
    expect(maskStamps('watch/failed/job_20260304T050607Z_2.json')).toBe('watch/failed/job_<UTCSTAMP>_2.json');
  });
});

describe('long names: every name the filesystem accepts can be filed', () => {
  const bytesOf = (name: string): number => encodeName(name).length;
  const stamped = (stem: string): string => firstStems(stem, 2).find((candidate) => candidate !== stem) ?? '';

  it('a stem of 243 bytes (result name exactly 255) is filed under its own name; its temp name fits too', () => {
    for (const stem of ['b'.repeat(243), '€'.repeat(81), `${'x'.repeat(242)}\udcff`]) {
      expect(firstStems(stem, 1)).toEqual([stem]);
      expect(bytesOf(resultNameOf(stem))).toBe(NAME_MAX_BYTES);
      expect(bytesOf(resultTempNameOf(stem))).toBeLessThanOrEqual(NAME_MAX_BYTES);
    }
  });

  it('a longer stem is offered only shortened: its beginning plus the stamp', () => {
    const stem = 'a'.repeat(250);
    const [first] = firstStems(stem, 1);
    expect(first).toBe(`${'a'.repeat(226)}_20260304T050607Z`);
    expect(isFilingStemOf(stem, stem)).toBe(false);
    expect(isFilingStemOf(stem, first ?? '')).toBe(true);
  });

  it('the cut never splits a character, and counts a byte that is not UTF-8 as one byte', () => {
    expect(stamped('€'.repeat(81))).toBe(`${'€'.repeat(75)}_20260304T050607Z`);
    expect(stamped(`${'y'.repeat(225)}\udcff${'z'.repeat(17)}`)).toBe(`${'y'.repeat(225)}\udcff_20260304T050607Z`);
    expect(stamped(`${'y'.repeat(225)}😀${'z'.repeat(17)}`)).toBe(`${'y'.repeat(225)}_20260304T050607Z`);
  });

  it('for every stem length up to 250 bytes, each name offered fits, and the matcher knows it (and no other cut)', () => {
    for (const unit of ['a', 'é', '€', '😀', '\udcff']) {
      for (let count = 1; bytesOf(unit.repeat(count)) <= 250; count += 1) {
        const stem = unit.repeat(count);
        for (const candidate of firstStems(stem, 4)) {
          expect(bytesOf(resultNameOf(candidate)), candidate).toBeLessThanOrEqual(NAME_MAX_BYTES);
          expect(bytesOf(resultTempNameOf(candidate)), candidate).toBeLessThanOrEqual(NAME_MAX_BYTES);
          expect(bytesOf(jobSpecNameOf(candidate)), candidate).toBeLessThanOrEqual(NAME_MAX_BYTES);
          expect(isFilingStemOf(stem, candidate)).toBe(true);
        }
      }
    }
    const long = 'a'.repeat(250);
    expect(isFilingStemOf(long, `${'a'.repeat(225)}_20260304T050607Z`)).toBe(false);
    expect(isFilingStemOf(long, `${'a'.repeat(227)}_20260304T050607Z`)).toBe(false);
  });
});

describe('lock and partial names', () => {
  it('lock temp and aside names carry the pid and are recognised with it', () => {
    expect(pidOfLockScratch(lockTempNameOf(4242))).toBe(4242);
    expect(pidOfLockScratch(lockAsideNameOf(17))).toBe(17);
    expect(isLockName('.runner.lock')).toBe(true);
    expect(isLockName(lockTempNameOf(1))).toBe(true);
    for (const other of ['.runner.lock.tmp', '.runner.lock.x.tmp', '.runner.lock.1.tmp.bak', 'runner.lock', '.runner.lock.stale.', '.runner.lock.stale.1.old', 'x.runner.lock.5.tmp', 'old.runner.lock.stale.5']) {
      expect(isLockName(other), other).toBe(false);
      expect(pidOfLockScratch(other), other).toBeNull();
    }
  });

  it('partialPathOf appends .partial', () => {
    expect(partialPathOf('/out/a.mov')).toBe('/out/a.mov.partial');
  });
});

describe('shared runner ids', () => {
  it('names a runner by host, pid and start, and the mask finds only ids of that host', () => {
    const id = runnerIdOf('render node.7', 41, 1_700_000_000_000);
    expect(id).toBe('render_node.7-41-loyw3v28');
    const mask = runnerIdMasker('render node.7');
    expect(mask(`/w/running/${id}/a.json`)).toBe('/w/running/<RUNNER>/a.json');
    expect(mask(`.runners/.${id}.tmp and .runners/${id}.lease`)).toBe('.runners/.<RUNNER>.tmp and .runners/<RUNNER>.lease');
    // Another host's id, a longer host name ending in ours, and a dot that is not the host's own stay.
    for (const kept of ['/w/running/other-41-loyw3v28/a.json', 'big-render_node.7-41-abc', 'render_nodeX7-41-abc', `${id}Z`]) expect(mask(kept), kept).toBe(kept);
    expect(runnerIdOf('', 1, 0)).toBe('host-1-0');
  });
});
