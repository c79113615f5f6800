// Where things live inside a watch folder. One place, so no module spells a folder name itself (file
// names are filing-names.ts's).

import { join } from 'node:path';
import { LOCK_NAME } from './filing-names.ts';

export interface Layout {
  readonly root: string;
  readonly pending: string;
  readonly running: string;
  readonly completed: string;
  readonly failed: string;
  readonly lock: string;
  /** Where `submit` writes a JobSpec before linking it into pending/ (submission.ts); not a state folder. */
  readonly submitting: string;
  /** --shared: the runners' leases (membership.ts); not a state folder. */
  readonly runners: string;
}

export const STATE_FOLDERS = ['pending', 'running', 'completed', 'failed'] as const;

export function layoutOf(root: string): Layout {
  return {
    root,
    pending: join(root, 'pending'),
    running: join(root, 'running'),
    completed: join(root, 'completed'),
    failed: join(root, 'failed'),
    lock: join(root, LOCK_NAME),
    submitting: join(root, '.submitting'),
    runners: join(root, '.runners'),
  };
}

/** UTF-16 code-unit order (plain `<`), never locale order: `10.json` < `9.json` < `B.json` < `a.json`. */
export { compareCodeUnits as byCodeUnits } from '../jobspec/schema.ts';
