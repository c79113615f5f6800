// The lock record's format (SPEC.md R11.13) and the state folders that come back when removed (R4.19),
// at the module level: the goldens leave lock files out, and a state folder that exists but cannot be
// looked at is a case no scenario builds.

import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type { Fs } from '../../src/ports.ts';
import type { LockRecord } from '../../src/runner/lock-record.ts';
import { readLockRecord, writeLockRecord } from '../../src/runner/lock-record.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import { fsyncStateFolder, recreateIfMissing } from '../../src/runner/state-folders.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeHost } from '../harness/fake-host.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { createMemFs, fsError } from '../harness/mem-fs.ts';
import { createFakeHooks } from '../harness/fake-hooks.ts';
import type { KeptLog } from '../support/silent-log.ts';
import { keptLog } from '../support/silent-log.ts';

const RECORD: LockRecord = {
  pid: 4242,
  host: 'edit-bay-3',
  boot_id: 'b00t',
  start_time: 'T1',
  started_at: '2026-03-04T05:06:07.000+00:00',
  ffmpeg_pid: 5000,
  ffmpeg_start_time: 'F1',
};

function volumeWith(files: Record<string, string> = {}): { vol: Volume; fs: Fs } {
  const vol = new Volume();
  vol.mkdirSync('/w', { recursive: true });
  for (const [path, text] of Object.entries(files)) vol.writeFileSync(path, text);
  return { vol, fs: createMemFs(vol) };
}

describe('the lock record', () => {
  it('is one line of JSON, and reads back as written', async () => {
    const { vol, fs } = volumeWith();
    await writeLockRecord(fs, '/w/.runner.lock', RECORD);

    expect(vol.readFileSync('/w/.runner.lock', 'utf8')).toBe(`${JSON.stringify(RECORD)}\n`);
    expect(await readLockRecord(fs, '/w/.runner.lock')).toEqual(RECORD);
  });

  it('reads optional fields of the wrong type as absent, and a missing started_at as empty', async () => {
    const { fs } = volumeWith({ '/w/.runner.lock': JSON.stringify({ pid: 7, host: 'h', boot_id: 1, start_time: null, ffmpeg_pid: '5000', ffmpeg_start_time: 3 }) });

    expect(await readLockRecord(fs, '/w/.runner.lock')).toEqual({
      pid: 7,
      host: 'h',
      boot_id: null,
      start_time: null,
      started_at: '',
      ffmpeg_pid: null,
      ffmpeg_start_time: null,
    });
  });

  it('is no record without a numeric pid and a string host, or when it is not a JSON object', async () => {
    for (const text of ['{"host": "h"}', '{"pid": 7}', '{"pid": "7", "host": "h"}', '{"pid": 7, "host": 1}', '[7, "h"]', 'not json', '']) {
      const { fs } = volumeWith({ '/w/.runner.lock': text });
      expect(await readLockRecord(fs, '/w/.runner.lock'), text).toBeNull();
    }
  });

  it('is no record when the file is missing, but a read error other than ENOENT propagates', async () => {
    const { fs } = volumeWith();
    expect(await readLockRecord(fs, '/w/.runner.lock')).toBeNull();

    const failing: Fs = { ...fs, readFile: async (path) => Promise.reject(fsError('EIO', 'open', path)) };
    await expect(readLockRecord(failing, '/w/.runner.lock')).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe('a state folder', () => {
  function depsOn(fs: Fs, log: KeptLog) {
    const clock = createFakeClock();
    return {
      fs,
      clock,
      transcoder: createFakeTranscoder({ fs, clock, ffmpegPath: null, killRunner: (why: string): never => { throw new Error(why); } }),
      host: createFakeHost(),
      hooks: createFakeHooks(),
      log,
      cwd: '/',
    };
  }

  it('is created again when missing, made durable, and the console says so', async () => {
    const { vol, fs } = volumeWith();
    const log = keptLog();
    const synced: string[] = [];
    const watching: Fs = { ...fs, fsyncDir: async (path) => void synced.push(path) };

    expect(await recreateIfMissing(depsOn(watching, log), layoutOf('/w'), '/w/completed')).toBe(true);
    expect(vol.statSync('/w/completed').isDirectory()).toBe(true);
    expect(synced).toEqual(['/w']);
    expect(log.messages()).toEqual(['completed/ was missing from /w (removed while the runner was working): created it again']);
  });

  it('is left alone when it is there, and an error other than ENOENT looking at it propagates', async () => {
    const { vol, fs } = volumeWith();
    vol.mkdirSync('/w/failed');
    const log = keptLog();
    expect(await recreateIfMissing(depsOn(fs, log), layoutOf('/w'), '/w/failed')).toBe(false);
    expect(log.messages()).toEqual([]);

    const refusing: Fs = { ...fs, lstat: async (path) => Promise.reject(fsError('EACCES', 'lstat', path)) };
    await expect(recreateIfMissing(depsOn(refusing, log), layoutOf('/w'), '/w/pending')).rejects.toMatchObject({ code: 'EACCES' });
    expect(vol.existsSync('/w/pending')).toBe(false);
  });

  it('made by someone else at the same instant is taken as it is', async () => {
    const { vol, fs } = volumeWith();
    const log = keptLog();
    const racing: Fs = {
      ...fs,
      mkdir: async (path) => {
        vol.mkdirSync(path);
        throw fsError('EEXIST', 'mkdir', path);
      },
    };

    expect(await recreateIfMissing(depsOn(racing, log), layoutOf('/w'), '/w/running')).toBe(false);
    expect(log.messages()).toEqual([]);
  });

  it('that cannot be created for another reason makes the error propagate', async () => {
    const { fs } = volumeWith();
    const refusing: Fs = { ...fs, mkdir: async (path) => Promise.reject(fsError('EACCES', 'mkdir', path)) };

    await expect(recreateIfMissing(depsOn(refusing, keptLog()), layoutOf('/w'), '/w/running')).rejects.toMatchObject({ code: 'EACCES' });
  });

  it('fsynced after it was removed is recreated; any other fsync error propagates', async () => {
    const { vol, fs } = volumeWith();
    const log = keptLog();
    await fsyncStateFolder(depsOn(fs, log), layoutOf('/w'), '/w/running');
    expect(vol.statSync('/w/running').isDirectory()).toBe(true);
    expect(log.messages()).toHaveLength(1);

    const failing: Fs = { ...fs, fsyncDir: async (path) => Promise.reject(fsError('EIO', 'fsync', path)) };
    await expect(fsyncStateFolder(depsOn(failing, log), layoutOf('/w'), '/w/running')).rejects.toMatchObject({ code: 'EIO' });
  });
});
