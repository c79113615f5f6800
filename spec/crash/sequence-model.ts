// The command language of the crash property tests (reliability.md sections 3-4): what a user and the
// machine do to a watch folder over time (drop JobSpecs of every kind, let time pass, run the runner,
// kill it at a random filesystem operation, cut the power there, make it fail with an errno, stop it),
// as fast-check arbitraries, and the translation of a command list into an ordinary scenario (tree +
// steps), so that every failing case is a replayable scenario that can be printed as JSON.

import fc from 'fast-check';
import type { MediaDescriptor } from '../../src/conformance/media.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import type { FsFaultCode, Step } from '../../src/conformance/steps.ts';
import { TAGS } from '../../src/conformance/scenario.ts';
import { FS_FAULT_CODES } from '../../src/conformance/steps.ts';
import { jsonFileText } from '../../src/conformance/tree.ts';
import { MAX_JOBSPEC_BYTES } from '../../src/runner/read-jobspec.ts';
import type { Tag } from '../generated/base.ts';

/** How one clip's FFmpeg run ends: completes, exits 1 with a .partial, has no source file, SIGKILLs the runner. */
export type ClipOutcome = 'ok' | 'fail' | 'missing' | 'kill';

export type Content =
  | { readonly kind: 'valid'; readonly clips: readonly ClipOutcome[] }
  | { readonly kind: 'unknown-field' }
  | { readonly kind: 'invalid'; readonly which: number }
  /** A valid JobSpec's text cut before its closing brace (a writer still writing); `keep` in ‰ of the text. */
  | { readonly kind: 'truncated'; readonly keep: number; readonly clips: readonly ClipOutcome[] }
  | { readonly kind: 'huge'; readonly extraBytes: number }
  | { readonly kind: 'empty' };

export type Naming =
  /** A name nothing had before; `style` picks plain, dot-file, space or non-ASCII. */
  | { readonly kind: 'fresh'; readonly style: number }
  /** The name of a JobSpec already filed in completed/ or failed/ (before the scenario or by a clean run). */
  | { readonly kind: 'refile'; readonly pick: number; readonly sameBytes: boolean };

export type Command =
  | { readonly do: 'drop'; readonly content: Content; readonly naming: Naming }
  /** The writer of a half-written drop finishes it: the whole text lands under the same name. */
  | { readonly do: 'complete'; readonly pick: number }
  | { readonly do: 'advance'; readonly seconds: number }
  | { readonly do: 'run'; readonly settleZero: boolean }
  | { readonly do: 'crash'; readonly atOp: number; readonly settleZero: boolean }
  /** A continuous run that receives SIGTERM after this many (fake) seconds. */
  | { readonly do: 'stop'; readonly afterSeconds: number }
  /** The power fails just before operation `atOp`: what was not fsynced is lost. */
  | { readonly do: 'power-cut'; readonly atOp: number; readonly settleZero: boolean }
  /** Operation `atOp` fails with `code` (and every later one too when persistent). */
  | { readonly do: 'fail'; readonly atOp: number; readonly code: FsFaultCode; readonly persistent: boolean; readonly settleZero: boolean };

/** The runner's default --settle-seconds. */
export const SETTLE_SECONDS = 5;
/** The final clean run comes this long after the last command, beyond the settle window. */
export const FINAL_ADVANCE_SECONDS = 2 * SETTLE_SECONDS;

/** Hostile contents that are not a valid JobSpec: each is filed in failed/ once it is claimable. */
export const INVALID_TEXTS: readonly unknown[] = [
  'not json at all\n',
  '{"jobspec_version": "2.1", "job_id": "cut",',
  '[1, 2, 3]\n',
  '"a JSON string"\n',
  'null\n',
  '{}\n',
  '{"a": 1}{"b": 2}\n',
  '{"jobspec_version": "2.1", "job_id": "dup", "job_id": "dup2"}\n',
  '\uFEFF{"jobspec_version": "2.1"}\n',
  { $base64: '/wD+e30=' },
  { $json: ['{ROOT}/media/clip.mov'] },
];

const clipOutcome: fc.Arbitrary<ClipOutcome> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<ClipOutcome>('ok') },
  { weight: 2, arbitrary: fc.constant<ClipOutcome>('fail') },
  { weight: 1, arbitrary: fc.constant<ClipOutcome>('missing') },
  { weight: 1, arbitrary: fc.constant<ClipOutcome>('kill') },
);
const clips = fc.array(clipOutcome, { minLength: 1, maxLength: 3 });

export const contentArb: fc.Arbitrary<Content> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('valid' as const), clips }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown-field' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('invalid' as const), which: fc.nat({ max: INVALID_TEXTS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncated' as const), keep: fc.nat({ max: 999 }), clips }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), extraBytes: fc.nat({ max: 4096 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
);

export const namingArb: fc.Arbitrary<Naming> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('fresh' as const), style: fc.nat({ max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refile' as const), pick: fc.nat({ max: 20 }), sameBytes: fc.boolean() }) },
);

/** An operation number: start-up and recovery (the first few dozen) as often as anywhere later. */
const opNumber = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 250 }));

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ do: fc.constant('drop' as const), content: contentArb, naming: namingArb }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('complete' as const), pick: fc.nat({ max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 3, arbitrary: fc.record({ do: fc.constant('run' as const), settleZero: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({ do: fc.constant('crash' as const), atOp: opNumber, settleZero: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('stop' as const), afterSeconds: fc.integer({ min: 0, max: 12 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ do: fc.constant('power-cut' as const), atOp: opNumber, settleZero: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      do: fc.constant('fail' as const),
      atOp: opNumber,
      code: fc.constantFrom(...FS_FAULT_CODES),
      persistent: fc.boolean(),
      settleZero: fc.boolean(),
    }),
  },
);

export const commandsArb: fc.Arbitrary<Command[]> = fc.array(commandArb, { minLength: 0, maxLength: 30, size: 'max' });

// ---------------------------------------------------------------------------------------------------
// Commands → scenario

/** A JobSpec that was settled before the scenario starts, and so a name that a drop can collide with. */
export const INITIAL_TREE: Readonly<Record<string, unknown>> = {
  'watch/completed/done.json': validSpec('done1', ['{ROOT}/media/done.mov']),
  'watch/completed/done.result.json': { job_id: 'done1', final_status: 'COMPLETED', note: 'settled by an earlier run' },
  'watch/completed/lonely.result.json': { job_id: 'lonely', final_status: 'COMPLETED', note: 'its JobSpec was taken away by hand' },
  'watch/failed/bad.json': '{"jobspec_version": "2.1",\n',
  'watch/failed/bad.result.json': { job_id: 'unknown', final_status: 'PARTIAL', note: 'settled by an earlier run' },
  'media/done.mov': { $media: { exit: 0 } },
  'out/done1_done.mp4': { $size: 1024 },
};
const INITIAL_NAMES: readonly string[] = ['done.json', 'bad.json', 'lonely.json'];

function validSpec(jobId: string, sources: readonly string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobspec_version: '2.1',
    job_id: jobId,
    sources,
    output_directory: '{ROOT}/out',
    codec: 'h264',
    container: 'mp4',
    resolution: 'half',
    naming_template: '{job_id}_{source_name}',
    proxy_profile: 'proxy_h264_low',
    ...extra,
  };
}

const MEDIA: Readonly<Record<Exclude<ClipOutcome, 'missing'>, MediaDescriptor>> = {
  ok: { exit: 0 },
  fail: { exit: 1, output_bytes: 256, stderr: 'Conversion failed!\n' },
  kill: { kill_runner: true },
};

function freshName(n: number, style: number): string {
  return [`j${n}.json`, `.j${n}.json`, `J ${n}.json`, `\u00e9${n}.json`][style % 4] ?? `j${n}.json`;
}

/** What the builder knows about one dropped JobSpec (to know when its name may be reused). */
interface DropRecord {
  readonly name: string;
  readonly entry: unknown;
  /** Claimable at once: a JSON object, or a file over 1 MiB (filed unread). */
  readonly readyAtOnce: boolean;
  /** For a half-written drop: the whole JobSpec its writer will finish. */
  readonly whole: { readonly entry: unknown; readonly clips: readonly ClipOutcome[] } | null;
  /** It has a clip that SIGKILLs the runner. */
  readonly kills: boolean;
  /** Valid with every clip succeeding: it may end in completed/. */
  readonly mayComplete: boolean;
  secondsSinceDrop: number;
  filed: boolean;
}

type DropFacts = Pick<DropRecord, 'readyAtOnce' | 'whole' | 'kills' | 'mayComplete'>;

const INVALID: DropFacts = { readyAtOnce: false, whole: null, kills: false, mayComplete: false };

export interface BuiltScenario {
  readonly scenario: Scenario;
  /** The JobSpec entries that may legitimately end in completed/ (valid, every clip succeeds). */
  readonly mayComplete: readonly unknown[];
  /** Write steps that may replace a JobSpec still in pending/: a writer finishing a half-written file. */
  readonly overwrites: ReadonlyArray<{ readonly step: number; readonly path: string }>;
}

/**
 * The scenario of a command list, followed by the final clean run: the clock advanced beyond the settle
 * window, then `--once` as many times as drops may still kill the runner, plus one.
 *
 * A `refile` drop reuses the name of a JobSpec that is certainly filed by then: one settled before the
 * scenario, or one that a clean run (no crash, no stop, no runner-killing clip waiting) found claimable.
 * So a drop never overwrites a JobSpec still in pending/, unless the runner failed to file it (which the
 * checker then reports). Without such a name, the drop gets a fresh name.
 */
export function buildScenario(commands: readonly Command[]): BuiltScenario {
  const steps: Step[] = [];
  const mayComplete: unknown[] = [];
  const overwrites: Array<{ step: number; path: string }> = [];
  // `timing`: the final clean run comes after a clock step.
  const tags = new Set<Tag>(['timing']);
  const records: DropRecord[] = [];
  /** Names that can be dropped again: their last JobSpec is certainly filed. Initial names first. */
  const latest = new Map<string, DropRecord | null>(INITIAL_NAMES.map((name) => [name, null]));
  let drops = 0;
  let unabsorbedKills = 0;

  const isFree = (name: string): boolean => {
    const record = latest.get(name);
    return record === null || (record !== undefined && record.filed);
  };
  const addDrop = (name: string, entry: unknown, write: Record<string, unknown>, facts: DropFacts): void => {
    write[`watch/pending/${name}`] = entry;
    steps.push({ write });
    const dropped: DropRecord = { name, entry, ...facts, secondsSinceDrop: 0, filed: false };
    records.push(dropped);
    latest.set(name, dropped);
    if (facts.kills) unabsorbedKills += 1;
    if (facts.kills) tags.add('crash').add('recovery');
    if (facts.mayComplete) mayComplete.push(entry);
  };
  const mediaFor = (n: number, outcomes: readonly ClipOutcome[], write: Record<string, unknown>): string[] => {
    if (outcomes.length > 1) tags.add('multi-clip');
    return outcomes.map((outcome, k) => {
      const path = `media/p${n}-${k + 1}.mov`;
      if (outcome !== 'missing') write[path] = { $media: MEDIA[outcome] };
      return `{ROOT}/${path}`;
    });
  };
  const runnable = (outcomes: readonly ClipOutcome[]): Pick<DropFacts, 'kills' | 'mayComplete'> => ({
    kills: outcomes.includes('kill'),
    mayComplete: outcomes.every((c) => c === 'ok'),
  });
  /** A run that certainly claims every claimable JobSpec; `settleZero`: everything is claimable. */
  const cleanRun = (settleZero: boolean): void => {
    if (unabsorbedKills > 0) {
      // The first job with a runner-killing clip ends this run; the next start recovers it.
      unabsorbedKills -= 1;
      return;
    }
    for (const record of records) {
      if (record.readyAtOnce || settleZero || record.secondsSinceDrop >= SETTLE_SECONDS) record.filed = true;
    }
  };
  const INITIAL_DROPS: Readonly<Record<string, { entry: unknown; facts: DropFacts }>> = {
    'done.json': { entry: INITIAL_TREE['watch/completed/done.json'], facts: { readyAtOnce: true, whole: null, kills: false, mayComplete: true } },
    'bad.json': { entry: INITIAL_TREE['watch/failed/bad.json'], facts: INVALID },
  };

  for (const command of commands) {
    switch (command.do) {
      case 'drop': {
        drops += 1;
        const n = drops;
        const free = [...latest.keys()].filter(isFree);
        const reused = command.naming.kind === 'refile' && free.length > 0 ? free[command.naming.pick % free.length] : undefined;
        const name = reused ?? freshName(n, command.naming.kind === 'fresh' ? command.naming.style : 0);
        const write: Record<string, unknown> = {};
        if (reused !== undefined) tags.add('naming');
        if (command.content.kind !== 'valid') tags.add('hostile');
        if (reused !== undefined && command.naming.kind === 'refile' && command.naming.sameBytes) {
          // The same bytes again: a re-submission of a job that was already filed.
          const previous = latest.get(reused);
          const again = previous === null || previous === undefined ? INITIAL_DROPS[reused] : { entry: previous.entry, facts: previous };
          if (again !== undefined) {
            const { readyAtOnce, whole, kills, mayComplete: may } = again.facts;
            addDrop(name, again.entry, write, { readyAtOnce, whole, kills, mayComplete: may });
            break;
          }
        }
        const content = command.content;
        switch (content.kind) {
          case 'valid': {
            const entry = validSpec(`p${n}`, mediaFor(n, content.clips, write));
            addDrop(name, entry, write, { readyAtOnce: true, whole: null, ...runnable(content.clips) });
            break;
          }
          case 'unknown-field':
            addDrop(name, validSpec(`p${n}`, mediaFor(n, ['ok'], write), { priority: 1 }), write, { ...INVALID, readyAtOnce: true });
            break;
          case 'invalid': {
            const entry = INVALID_TEXTS[content.which % INVALID_TEXTS.length];
            addDrop(name, entry, write, { ...INVALID, readyAtOnce: entry === '{}\n' });
            break;
          }
          case 'truncated': {
            const whole = validSpec(`p${n}`, mediaFor(n, content.clips, write));
            const text = jsonFileText(whole);
            // Cut before the closing brace: at most text.length - 2 characters (`}\n` ends the text).
            const cut = Math.floor((content.keep / 1000) * (text.length - 1));
            addDrop(name, text.slice(0, cut), write, { ...INVALID, whole: { entry: whole, clips: content.clips } });
            break;
          }
          case 'huge':
            addDrop(name, { $size: MAX_JOBSPEC_BYTES + 1 + content.extraBytes }, write, { ...INVALID, readyAtOnce: true });
            break;
          case 'empty':
            addDrop(name, '', write, INVALID);
            break;
        }
        break;
      }
      case 'complete': {
        // Only the latest drop of a name can still be being written.
        const halfWritten = records.filter((r) => r.whole !== null && latest.get(r.name) === r);
        const target = halfWritten[command.pick % Math.max(1, halfWritten.length)];
        if (target === undefined || target.whole === null) break;
        addDrop(target.name, target.whole.entry, {}, { readyAtOnce: true, whole: null, ...runnable(target.whole.clips) });
        overwrites.push({ step: steps.length - 1, path: `watch/pending/${target.name}` });
        break;
      }
      case 'advance':
        steps.push({ advance_clock_seconds: command.seconds });
        for (const record of records) record.secondsSinceDrop += command.seconds;
        break;
      case 'run':
        steps.push({ run: command.settleZero ? ['--once', '--settle-seconds', '0'] : ['--once'] });
        cleanRun(command.settleZero);
        break;
      case 'crash':
        tags.add('crash').add('recovery');
        steps.push({ run: command.settleZero ? ['--once', '--settle-seconds', '0'] : ['--once'], crash_at_fs_op: command.atOp });
        break;
      case 'stop':
        tags.add('signals');
        steps.push({ run: [], stop_after_seconds: command.afterSeconds });
        break;
      case 'power-cut':
        tags.add('crash').add('recovery').add('fs-fault');
        steps.push({ run: command.settleZero ? ['--once', '--settle-seconds', '0'] : ['--once'], power_cut_at_fs_op: command.atOp });
        break;
      case 'fail':
        tags.add('fs-fault');
        steps.push({
          run: command.settleZero ? ['--once', '--settle-seconds', '0'] : ['--once'],
          fail_fs_op: command.persistent ? { at: command.atOp, code: command.code, persistent: true } : { at: command.atOp, code: command.code },
        });
        break;
    }
  }

  steps.push({ advance_clock_seconds: FINAL_ADVANCE_SECONDS });
  for (let i = 0; i <= unabsorbedKills; i += 1) steps.push({ run: ['--once'] });
  const scenario: Scenario = {
    description: `property sequence of ${commands.length} command(s), then a clean --once after the settle window`,
    requirements: ['R4.14', 'R11.9'],
    tags: TAGS.filter((tag) => tags.has(tag)),
    tree: { ...INITIAL_TREE },
    steps,
  };
  return { scenario, mayComplete, overwrites };
}
