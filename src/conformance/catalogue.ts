// The behaviour catalogue (docs/behaviour.md): every hand-written scenario, grouped by the contract
// section it pins, so the fixtures read as documentation. Pure: the scenarios come in, the markdown
// goes out, and spec/unit/behaviour-doc.test.ts compares it with the committed file.

/** What the catalogue reads of a scenario: a LoadedScenario (from loadScenarios) is one. */
export interface CatalogueEntry {
  /** `area/name`, the path under fixtures/ without `.json`. */
  readonly id: string;
  readonly scenario: { readonly description: string; readonly contract: string; readonly tags: readonly string[] };
}

export const BEHAVIOUR_DOC_COMMAND = 'npx tsx scripts/write-behaviour-doc.ts';

/**
 * Section titles (markdown), so a reader knows what "5.4" is about. Subsections are the numbered steps of
 * section 4 and the numbered checks of sections 5 and 6.
 */
const SECTION_TITLES: Readonly<Record<string, string>> = {
  '1': 'Principles',
  '2': 'Command line',
  '3': 'Scanning `pending/`',
  '4': 'Job lifecycle',
  '5': 'JobSpec 2.1: schema and parse-time checks',
  '6': 'Sources, then execution-time validation',
  '7': 'Engine routing and proxy profiles',
  '8': 'Output naming, collisions, partial outputs',
  '9': 'Execution and verification',
  '10': 'The result file `<stem>.result.json`',
  '11': 'Startup, recovery, single instance, signals',
  '12': 'Console output',
  '13': 'Deliberate differences from the Proxx V2 runner',
  '4.1': 'Claim',
  '4.2': 'Read',
  '4.3': 'Parse, validate, route, preflight',
  '4.4': 'Execute',
  '4.5': 'Settle',
  '5.0': 'UTF-8 and JSON syntax',
  '5.1': 'A JSON object',
  '5.2': '`jobspec_version` present',
  '5.3': '`jobspec_version` is `"2.1"`',
  '5.4': 'Unknown keys',
  '5.5': 'Missing required keys',
  '5.6': 'Types',
  '5.7': '`codec`',
  '5.8': '`container`',
  '5.9': '`fps_mode`',
  '5.10': '`resolution`',
  '5.11': '`requires_resolve_edition`',
  '6.1': '`sources` non-empty',
  '6.2': 'Codec/container pairing',
  '6.3': 'Unknown template tokens',
  '6.4': '`fps_explicit`',
  '6.5': 'Multi-clip names',
  '6.6': '`lut_id`',
  '6.7': 'Output directory',
};

/** "5.10" → [5, 10]: sections compare number by number, so 5.9 < 5.10 and 5 < 5.0 < 5.1. */
function sectionParts(section: string): number[] {
  return section.split('.').map(Number);
}

export function compareSections(a: string, b: string): number {
  const x = sectionParts(a);
  const y = sectionParts(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Descriptions are plain text: escape what markdown would otherwise read as markup (`<p>`, `__proto__`). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

function entryLine({ id, scenario }: CatalogueEntry): string {
  const tags = scenario.tags.length === 0 ? '(no tags)' : scenario.tags.map((t) => `\`${t}\``).join(' ');
  return `- [${id}](../fixtures/${id}.json): ${escapeMarkdown(scenario.description)} ${tags}`;
}

function byId(a: CatalogueEntry, b: CatalogueEntry): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function renderBehaviourCatalogue(scenarios: readonly CatalogueEntry[]): string {
  const bySection = new Map<string, CatalogueEntry[]>();
  for (const loaded of scenarios) {
    const list = bySection.get(loaded.scenario.contract) ?? [];
    list.push(loaded);
    bySection.set(loaded.scenario.contract, list);
  }
  // Every top-level section that has scenarios (directly or in a subsection) gets its own heading.
  const sections = new Set([...bySection.keys(), ...[...bySection.keys()].map((s) => s.split('.')[0] ?? s)]);

  const lines = [
    '# Behaviour catalogue',
    '',
    `Every hand-written scenario under \`fixtures/\` (${scenarios.length} in all), grouped by the contract section it`,
    'pins (the sections of `SPEC.md`), with its one-line description and tags. Each scenario has its expected',
    'outcome in `golden/` under the same name.',
    '',
    `Generated from the scenario files by \`${BEHAVIOUR_DOC_COMMAND}\`; do not edit by hand.`,
  ];
  for (const section of [...sections].sort(compareSections)) {
    const title = SECTION_TITLES[section];
    const sub = section.includes('.');
    const named = title === undefined ? section : `${section}${sub ? '' : '.'} ${title}`;
    lines.push('', `${sub ? '###' : '##'} ${named}`);
    const entries = (bySection.get(section) ?? []).sort(byId);
    if (entries.length > 0) lines.push('', ...entries.map(entryLine));
  }
  return `${lines.join('\n')}\n`;
}
