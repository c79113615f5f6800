import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeHost } from '../../../src/adapters/node-host.ts';
import { waitFor } from '../../support/polling.ts';

/** Starts `script` as an executable named `name` and returns its pid, plus a way to stop it. */
async function startNamed(name: string, script: string): Promise<{ pid: number; stop: () => Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'node-host-'));
  const file = path.join(dir, name);
  await fsp.writeFile(file, script, { mode: 0o755 });
  const child = spawn(file, [], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('no pid');
  // Until the exec is done /proc/<pid>/comm names node: wait for the script's name, however long a loaded
  // machine takes (15 bytes is the kernel's limit for comm).
  await waitFor(`pid ${pid} to exec ${name}`, () => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name.slice(0, 15) ? true : null;
    } catch {
      return null;
    }
  });
  return {
    pid,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

describe('createNodeHost', () => {
  const host = createNodeHost();

  it('describes this process', () => {
    expect(host.pid).toBe(process.pid);
    expect(host.hostname).toBe(os.hostname());
    expect(host.isAlive(process.pid)).toBe(true);
  });

  it('never treats 0, negative or fractional pids as alive or signals them', () => {
    for (const pid of [0, -1, 1.5, Number.NaN]) {
      expect(host.isAlive(pid)).toBe(false);
      expect(() => host.kill(pid, 'SIGTERM')).toThrow(RangeError);
    }
  });

  it('recognises an ffmpeg process by name, and nothing else', async () => {
    const ffmpeg = await startNamed('ffmpeg', '#!/bin/sh\nsleep 30\n');
    const other = await startNamed('not-ffmpeg', '#!/bin/sh\nsleep 30\n');
    try {
      expect(await host.isFfmpeg(ffmpeg.pid)).toBe(true);
      expect(await host.isFfmpeg(other.pid)).toBe(false);
      expect(await host.isFfmpeg(process.pid)).toBe(false);
      expect(await host.isFfmpeg(0)).toBe(false);
    } finally {
      await ffmpeg.stop();
      await other.stop();
    }
  });

  it('kills, then reports dead and ignores ESRCH on a second kill', async () => {
    const child = await startNamed('ffmpeg', '#!/bin/sh\nsleep 30\n');
    try {
      host.kill(child.pid, 'SIGKILL');
    } finally {
      await child.stop(); // waits for the exit
    }
    expect(host.isAlive(child.pid)).toBe(false);
    expect(await host.isFfmpeg(child.pid)).toBe(false);
    expect(() => host.kill(child.pid, 'SIGTERM')).not.toThrow();
  });
});
