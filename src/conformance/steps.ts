// The step language of scenario files: what happens to a scenario's tree, in order. Each kind is one
// schema entry here and one method of ScenarioBackend (interpreter.ts), which both backends implement:
// the in-memory harness (spec/harness/memory-run.ts) and the command-line one (external-run.ts).

import Type from 'typebox';

/** The errnos a `fail_fs_op` step can inject (reliability section 4). */
export const FS_FAULT_CODES = ['ENOSPC', 'EIO', 'EACCES', 'EPERM', 'EMFILE', 'ENOENT', 'EEXIST', 'EXDEV'] as const;
export type FsFaultCode = (typeof FS_FAULT_CODES)[number];

export const FsFailureSchema = Type.Object(
  {
    at: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The operation that fails, counted like crash_at_fs_op (with `op`: the at-th such operation); default 1' }),
    ),
    op: Type.Optional(
      Type.String({ description: 'Only operations named so count: the method and its first path relative to the root, e.g. "link watch/running/a.json"' }),
    ),
    code: Type.Enum(FS_FAULT_CODES),
    persistent: Type.Optional(Type.Boolean({ description: 'Every later operation fails too (default: only this one)' })),
    only: Type.Optional(
      Type.Literal('writes', { description: 'Only operations that need new space fail (exclusive writes, mkdir): a full disk' }),
    ),
    reply_lost: Type.Optional(
      Type.Boolean({
        description: 'A link or rename happens and then reports the code, as a network client retrying a call whose reply was lost does (other operations fail without happening)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** One runner of a `concurrently` step: its arguments and folder, no fault and no scheduled stop. */
export const ConcurrentRunSchema = Type.Object(
  {
    run: Type.Array(Type.String(), { description: 'Arguments after the watch folder; must include "--once"' }),
    folder: Type.Optional(Type.String({ description: 'The folder argument (default "{ROOT}/watch")' })),
  },
  { additionalProperties: false },
);

export const StepSchema = Type.Union([
  Type.Object(
    {
      run: Type.Array(Type.String(), { description: 'Arguments after the watch folder, e.g. ["--once"]' }),
      folder: Type.Optional(Type.String({ description: 'The folder argument (default "{ROOT}/watch")' })),
      stop_after_seconds: Type.Optional(Type.Number({ minimum: 0, description: 'Send SIGTERM this long after the start' })),
      crash_at_fs_op: Type.Optional(
        Type.Integer({ minimum: 1, description: 'The runner dies just before its k-th filesystem operation in this run (outcome "killed")' }),
      ),
      power_cut_at_fs_op: Type.Optional(
        Type.Integer({ minimum: 1, description: 'As crash_at_fs_op, and every change not yet made durable by an fsync is lost' }),
      ),
      fail_fs_op: Type.Optional(FsFailureSchema),
    },
    { additionalProperties: false, description: 'Run the runner once on the folder with these arguments' },
  ),
  Type.Object(
    { concurrently: Type.Array(ConcurrentRunSchema, { minItems: 2, maxItems: 8 }) },
    {
      additionalProperties: false,
      description:
        'Start one runner process per entry at once, on one tree, and wait for all of them; the golden records their exits sorted, so which runner ended how is not compared',
    },
  ),
  Type.Object(
    { advance_clock_seconds: Type.Number({ minimum: 0 }) },
    { additionalProperties: false, description: 'Let this many seconds pass before the next step' },
  ),
  Type.Object(
    { write: Type.Record(Type.String(), Type.Unknown()) },
    { additionalProperties: false, description: 'Add these entries to the tree (the same language as the scenario tree)' },
  ),
]);

export type Step = Type.Static<typeof StepSchema>;
export type RunStep = Extract<Step, { run: string[] }>;
export type ConcurrentRun = Type.Static<typeof ConcurrentRunSchema>;

export function isRunStep(step: Step): step is RunStep {
  return 'run' in step;
}

/** The filesystem fault fields a run step sets (at most one is allowed). */
export function faultFieldsOf(step: RunStep): string[] {
  return (['crash_at_fs_op', 'power_cut_at_fs_op', 'fail_fs_op'] as const).filter((field) => step[field] !== undefined);
}

/**
 * Why only the in-memory harness can act this step out (empty when a command line on a real folder can):
 * the portability lint reports these, and the command-line backend refuses such a step with the first.
 */
export function memoryOnlyReasons(step: Step): string[] {
  if (!isRunStep(step)) return [];
  const clock = step.stop_after_seconds === undefined ? [] : ['stop_after_seconds needs the in-memory clock'];
  return [...clock, ...faultFieldsOf(step).map((field) => `${field} needs the in-memory filesystem`)];
}
