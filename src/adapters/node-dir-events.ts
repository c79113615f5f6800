// DirectoryEvents over node:fs.watch (inotify on Linux). The watch never keeps the process alive, and a
// watch that cannot be made (an inotify limit reached, a filesystem without events) or that fails later
// (the folder removed) is simply gone: continuous mode then goes on polling, as it does on network shares,
// which report no other client's changes.

import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import type { DirectoryEvents } from '../ports.ts';

export function createDirectoryEvents(): DirectoryEvents {
  return {
    watch(dir, onChange) {
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, { persistent: false }, () => onChange());
      } catch {
        return () => undefined;
      }
      watcher.on('error', () => watcher.close());
      return () => watcher.close();
    },
  };
}
