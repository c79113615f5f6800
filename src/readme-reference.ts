// The README's generated parts, made from the one declaration of each: the CLI reference from USAGE
// (options.ts), and the table of `--log-format json` events from LOG_EVENTS (log-events.ts). Each sits in
// the README between a begin and an end marker; scripts/write-readme-reference.ts rewrites them, and
// spec/unit/readme-reference.test.ts fails while the README differs from what they would write.

import { LOG_EVENTS } from './log-events.ts';
import { USAGE } from './options.ts';

export interface GeneratedPart {
  readonly name: string;
  readonly body: string;
}

function eventTable(): string {
  const rows = Object.entries(LOG_EVENTS).map(([name, e]) => `| \`${name}\` | ${e.level} | ${e.fields.length === 0 ? '–' : e.fields.map((f) => `\`${f}\``).join(', ')} | ${e.about} |`);
  return ['| event | level | fields | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export const GENERATED_PARTS: readonly GeneratedPart[] = [
  { name: 'cli-reference', body: ['```', USAGE, '```'].join('\n') },
  { name: 'log-events', body: eventTable() },
];

const begin = (name: string): string => `<!-- generated: ${name} (npm run docs) -->`;
const end = (name: string): string => `<!-- end: ${name} -->`;

/** The README with every generated part replaced by its current text; throws when a marker is missing. */
export function withGeneratedParts(readme: string): string {
  let text = readme;
  for (const part of GENERATED_PARTS) {
    const from = text.indexOf(begin(part.name));
    const to = text.indexOf(end(part.name));
    if (from < 0 || to < from) throw new Error(`README.md has no ${begin(part.name)} … ${end(part.name)} section`);
    text = `${text.slice(0, from)}${begin(part.name)}\n${part.body}\n${text.slice(to)}`;
  }
  return text;
}
