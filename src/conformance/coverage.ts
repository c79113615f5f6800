// Which scenarios pin which SPEC.md requirement: the markdown of docs/coverage.md, and the rules the suite
// keeps (every scenario names known requirements, every normative requirement is checked by a scenario that
// any implementation can run at `core`, every in-memory requirement by some scenario). Pure: the spec's
// outline and the scenarios come in, markdown or a list of problems goes out.

import type { Requirement, SpecOutline } from './requirements.ts';
import { compareRequirementIds } from './requirements.ts';

/** What coverage reads of a scenario: a LoadedScenario is one. Hand-written scenarios have no family. */
export interface CoverageEntry {
  readonly id: string;
  readonly scenario: { readonly requirements: readonly string[]; readonly tags: readonly string[]; readonly family?: string | undefined };
}

export const COVERAGE_DOC_COMMAND = 'npx tsx scripts/write-coverage-doc.ts';

const isPortable = (entry: CoverageEntry): boolean => entry.scenario.tags.includes('portable');
/** Runs at `core` against any implementation: portable and not about a reference-only choice. */
const checkedAtCore = (entry: CoverageEntry): boolean => isPortable(entry) && !entry.scenario.tags.includes('reference');

function scenariosByRequirement(scenarios: readonly CoverageEntry[]): Map<string, CoverageEntry[]> {
  const by = new Map<string, CoverageEntry[]>();
  for (const entry of scenarios) {
    for (const id of new Set(entry.scenario.requirements)) by.set(id, [...(by.get(id) ?? []), entry]);
  }
  return by;
}

/** Scenarios that name an id SPEC.md does not define (a typo, or a requirement that was never written). */
export function unknownRequirementProblems(spec: SpecOutline, scenarios: readonly CoverageEntry[]): string[] {
  const known = new Set(spec.requirements.map((r) => r.id));
  return scenarios.flatMap(({ id, scenario }) => {
    const unknown = scenario.requirements.filter((r) => !known.has(r));
    return unknown.length === 0 ? [] : [`${id}: names ${unknown.join(', ')}, not a requirement of SPEC.md`];
  });
}

/** Requirements of `kind` that no scenario passing `counts` names. */
function uncovered(spec: SpecOutline, scenarios: readonly CoverageEntry[], kind: Requirement['kind'], counts: (entry: CoverageEntry) => boolean): Requirement[] {
  const by = scenariosByRequirement(scenarios);
  return spec.requirements.filter((r) => r.kind === kind && !(by.get(r.id) ?? []).some(counts));
}

/**
 * Normative requirements that no portable scenario can reach with today's step language, and why: they
 * are the known holes in what other implementations are checked against (docs/coverage.md lists them).
 * An entry goes as soon as a portable scenario names the requirement, or SPEC.md stops calling it normative.
 */
export const PORTABLE_GAPS: ReadonlyMap<string, string> = new Map([
  ['R2.14', 'needs a stop signal; stop_after_seconds runs only in memory'],
  ['R2.16', 'needs an injected disk failure (fail_fs_op runs only in memory)'],
  ['R3.4', 'needs a file to arrive in the middle of a scan'],
  ['R3.10', 'needs another process to take a candidate between the listing and the claim'],
  ['R3.11', 'needs a stop signal to end continuous mode; stop_after_seconds runs only in memory'],
  ['R4.2', 'recovery empties running/ before any scan; only spec/unit/claim.test.ts reaches it'],
  ['R4.6', 'the tree language has no FIFO, socket or device entry; spec/realfs/fifo.test.ts covers FIFOs'],
  ['R4.18', 'needs another process to move or delete the JobSpec mid-encode (a descriptor\'s meanwhile runs only in memory); spec/realfs/operator-moves.test.ts covers it'],
  ['R4.19', 'needs another process to remove a state folder mid-encode (meanwhile runs only in memory); spec/realfs/operator-moves.test.ts covers it'],
  ['R8.2', 'the names would hold the real date and time of the run'],
  ['R9.11', 'needs the source to change during its encode (meanwhile runs only in memory); spec/realfs/source-change.test.ts covers it'],
  ['R11.15', 'needs an orphaned FFmpeg process; spec/realfs and spec/ffmpeg cover it'],
  ['R11.16', 'a lock left behind by a dead runner is stale and replaced anyway, so the tree cannot show it'],
  ['R11.17', 'needs a stop signal; stop_after_seconds runs only in memory'],
  ['R11.18', 'needs a stop signal; stop_after_seconds runs only in memory'],
  ['R11.19', 'needs a stop signal; stop_after_seconds runs only in memory'],
  ['R11.20', 'needs a stop signal and a process table; spec/ffmpeg/processes.test.ts covers it'],
  ['R12.5', 'needs the console to go away while the runner works; spec/e2e/broken-console.test.ts covers it'],
]);

/** Normative requirements without a portable scenario (other than the known gaps): no other implementation is checked against them. */
export function normativeWithoutPortable(spec: SpecOutline, scenarios: readonly CoverageEntry[], gaps: ReadonlyMap<string, string> = PORTABLE_GAPS): string[] {
  return uncovered(spec, scenarios, 'normative', isPortable)
    .filter((r) => !gaps.has(r.id))
    .map((r) => `${r.id}: ${r.summary}`);
}

/** Gap entries that are no longer true: the requirement is gone, not normative, or has a portable scenario now. */
export function staleGaps(spec: SpecOutline, scenarios: readonly CoverageEntry[], gaps: ReadonlyMap<string, string> = PORTABLE_GAPS): string[] {
  const open = new Set(uncovered(spec, scenarios, 'normative', isPortable).map((r) => r.id));
  return [...gaps.keys()].filter((id) => !open.has(id)).map((id) => `${id} is listed as a portable gap but ${spec.requirements.some((r) => r.id === id) ? 'is covered or not normative' : 'is not in SPEC.md'}`);
}

/** In-memory requirements without any scenario. */
export function memoryWithoutScenario(spec: SpecOutline, scenarios: readonly CoverageEntry[]): string[] {
  return uncovered(spec, scenarios, 'memory', () => true).map((r) => `${r.id}: ${r.summary}`);
}

/**
 * The `reference` tag and the requirements must agree: a tagged scenario names a *(reference)* requirement,
 * and a portable scenario that names only *(reference)* requirements carries the tag (else `core` would hold
 * other implementations to this one's choices).
 */
export function referenceTagProblems(spec: SpecOutline, scenarios: readonly CoverageEntry[]): string[] {
  const kindOf = new Map(spec.requirements.map((r) => [r.id, r.kind]));
  return scenarios.flatMap(({ id, scenario }) => {
    const kinds = scenario.requirements.map((r) => kindOf.get(r));
    const tagged = scenario.tags.includes('reference');
    if (tagged && !kinds.includes('reference')) return [`${id}: tagged reference but names no (reference) requirement`];
    if (!tagged && scenario.tags.includes('portable') && kinds.every((k) => k === 'reference')) {
      return [`${id}: portable and pins only (reference) requirements, so it must be tagged reference (skipped at core)`];
    }
    return [];
  });
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function link(id: string): string {
  return `[${id}](../fixtures/${id}.json)`;
}

/** Hand-written ids (portable ones in bold), then `family ×n (p portable)` per generated family. */
function scenarioCell(entries: readonly CoverageEntry[]): string {
  const handWritten = entries
    .filter((e) => e.scenario.family === undefined)
    .map((e) => e.id)
    .sort();
  const portable = new Set(entries.filter(isPortable).map((e) => e.id));
  const families = new Map<string, CoverageEntry[]>();
  for (const e of entries) if (e.scenario.family !== undefined) families.set(e.scenario.family, [...(families.get(e.scenario.family) ?? []), e]);
  const parts = handWritten.map((id) => (portable.has(id) ? `**${link(id)}**` : link(id)));
  for (const [family, members] of [...families].sort(([a], [b]) => (a < b ? -1 : 1))) {
    parts.push(`generated \`${family}\` ×${members.length} (${members.filter(isPortable).length} portable)`);
  }
  return parts.length === 0 ? '—' : parts.join(', ');
}

function row(requirement: Requirement, entries: readonly CoverageEntry[]): string {
  const kind = requirement.kind === 'normative' ? '' : requirement.kind;
  const counts = [entries.filter(checkedAtCore).length, entries.filter(isPortable).length, entries.length].map(String);
  return `| ${[requirement.id, kind, escapeCell(requirement.summary), ...counts, scenarioCell(entries)].join(' | ')} |`;
}

function listed(requirements: readonly Requirement[], reasons: ReadonlyMap<string, string> = new Map()): string[] {
  if (requirements.length === 0) return ['None.'];
  return requirements.map((r) => {
    const why = reasons.get(r.id);
    return `- ${r.id}${r.kind === 'normative' ? '' : ` *(${r.kind})*`}: ${r.summary}${why === undefined ? '' : ` — not portable: ${why}.`}`;
  });
}

export function renderCoverageDoc(spec: SpecOutline, scenarios: readonly CoverageEntry[]): string {
  const by = scenariosByRequirement(scenarios);
  const covering = (r: Requirement): CoverageEntry[] => by.get(r.id) ?? [];
  const requirements = [...spec.requirements].sort((a, b) => compareRequirementIds(a.id, b.id));
  const handWritten = scenarios.filter((s) => s.scenario.family === undefined).length;
  const lines = [
    '# Requirement coverage',
    '',
    `Which scenarios pin each requirement of [SPEC.md](../SPEC.md)${spec.version === null ? '' : ` (spec version ${spec.version})`}:`,
    `${requirements.length} requirements, ${handWritten} hand-written and ${scenarios.length - handWritten} generated scenarios.`,
    'Kind is empty for a normative requirement, `reference` for a choice of this implementation, `memory` for one',
    'only the in-memory harness can observe. The counts are scenarios checked at `core` (portable, not tagged',
    '`reference`), portable ones (checked at `strict`) and all of them. Hand-written scenarios are listed by id,',
    'portable ones in **bold**; generated ones are counted per family.',
    '',
    `Generated from SPEC.md and the scenarios by \`${COVERAGE_DOC_COMMAND}\` (\`npm run docs\`); do not edit by hand.`,
  ];
  for (const section of [...new Set(requirements.map((r) => r.section))]) {
    const title = spec.sections.get(section);
    lines.push('', `## ${section}.${title === undefined ? '' : ` ${title}`}`, '');
    lines.push('| requirement | kind | statement | core | portable | all | scenarios |', '|---|---|---|---|---|---|---|');
    for (const requirement of requirements.filter((r) => r.section === section)) lines.push(row(requirement, covering(requirement)));
  }
  lines.push('', '## Requirements without a portable scenario', '');
  lines.push('Other implementations are not checked against these. For a normative one the reason is given: the');
  lines.push('scenario language cannot reach it portably yet.', '');
  lines.push(...listed(requirements.filter((r) => !covering(r).some(isPortable)), PORTABLE_GAPS));
  lines.push('', '## Normative requirements checked only at `strict`', '');
  lines.push('Their portable scenarios also depend on a reference-only choice (they are tagged `reference`).', '');
  lines.push(...listed(requirements.filter((r) => r.kind === 'normative' && covering(r).some(isPortable) && !covering(r).some(checkedAtCore))));
  return `${lines.join('\n')}\n`;
}
