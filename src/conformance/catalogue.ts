// The behaviour catalogue (docs/behaviour.md): every hand-written scenario, grouped by the SPEC.md section
// of the first requirement it pins, so the fixtures read as documentation. Pure: the scenarios and the
// section titles come in, the markdown goes out, and spec/unit/behaviour-doc.test.ts compares it with the
// committed file.

import { compareRequirementIds, sectionOf } from './requirements.ts';

/** What the catalogue reads of a scenario: a LoadedScenario (from loadScenarios) is one. */
export interface CatalogueEntry {
  /** `area/name`, the path under fixtures/ without `.json`. */
  readonly id: string;
  readonly scenario: { readonly description: string; readonly requirements: readonly string[]; readonly tags: readonly string[] };
}

export const BEHAVIOUR_DOC_COMMAND = 'npx tsx scripts/write-behaviour-doc.ts';

/** Descriptions are plain text: escape what markdown would otherwise read as markup (`<p>`, `__proto__`). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

function entryLine({ id, scenario }: CatalogueEntry): string {
  const tags = scenario.tags.length === 0 ? '(no tags)' : scenario.tags.map((t) => `\`${t}\``).join(' ');
  return `- [${id}](../fixtures/${id}.json) ${scenario.requirements.join(', ')}: ${escapeMarkdown(scenario.description)} ${tags}`;
}

const firstRequirement = (entry: CatalogueEntry): string => entry.scenario.requirements[0] ?? '';

/** By the first requirement (R5.9 before R5.10), then by id. */
function byRequirementThenId(a: CatalogueEntry, b: CatalogueEntry): number {
  return compareRequirementIds(firstRequirement(a), firstRequirement(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** `sectionTitles`: SPEC.md's top-level section number → heading text. */
export function renderBehaviourCatalogue(scenarios: readonly CatalogueEntry[], sectionTitles: ReadonlyMap<string, string>): string {
  const bySection = new Map<string, CatalogueEntry[]>();
  for (const entry of scenarios) {
    const section = sectionOf(firstRequirement(entry));
    bySection.set(section, [...(bySection.get(section) ?? []), entry]);
  }
  const lines = [
    '# Behaviour catalogue',
    '',
    `Every hand-written scenario under \`fixtures/\` (${scenarios.length} in all), grouped by the [SPEC.md](../SPEC.md) section of`,
    'the first requirement it pins, with the requirements, its one-line description and tags. Each scenario has',
    'its expected outcome in `golden/` under the same name; [coverage.md](coverage.md) lists them by requirement.',
    '',
    `Generated from the scenario files by \`${BEHAVIOUR_DOC_COMMAND}\`; do not edit by hand.`,
  ];
  for (const section of [...bySection.keys()].sort((a, b) => Number(a) - Number(b))) {
    const title = sectionTitles.get(section);
    lines.push('', `## ${section}.${title === undefined ? '' : ` ${title}`}`, '');
    lines.push(...(bySection.get(section) ?? []).sort(byRequirementThenId).map(entryLine));
  }
  return `${lines.join('\n')}\n`;
}
