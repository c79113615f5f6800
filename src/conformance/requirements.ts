// SPEC.md's requirement list, read back: the one place that knows how a requirement line is written
// (`- **R5.4** *(reference)* …`), so the coverage doc, the coverage tests and the behaviour catalogue
// agree on which ids exist, what kind each one is and which section it belongs to. `parseSpec` is pure;
// `readSpecOutline` is the one read of the file.

import { readFileSync } from 'node:fs';

/**
 * `normative`: every implementation must do it, so a portable scenario checks it at `core`.
 * `reference`: a choice of this implementation (lock format, temp names, console wording).
 * `memory`: observable only with the in-memory harness (faults, power cuts, durability).
 */
export type RequirementKind = 'normative' | 'reference' | 'memory';

export interface Requirement {
  /** `R5.4` */
  readonly id: string;
  /** The top-level SPEC section, from the id: `R5.4` → `5`. */
  readonly section: string;
  readonly kind: RequirementKind;
  /** The statement's first sentence, markdown as written. */
  readonly summary: string;
}

export interface SpecOutline {
  /** `Spec version: X.Y.Z`, or null when the line is missing. */
  readonly version: string | null;
  /** Top-level section number → its heading text (`5` → `JobSpec 2.1: schema and parse-time checks`). */
  readonly sections: ReadonlyMap<string, string>;
  readonly requirements: readonly Requirement[];
  /** Lines that look like requirements but are not well formed, and duplicate ids. */
  readonly problems: readonly string[];
}

/** A requirement list item starts exactly so: its id in bold, then an optional kind marker. */
export const REQUIREMENT_LINE = /^- \*\*(R\d+\.\d+)\*\*(?: \*\((reference|memory)\)\*)?/;
export const REQUIREMENT_ID = /^R\d+\.\d+$/;
const SPEC_VERSION_LINE = /^Spec version: (\d+\.\d+\.\d+)\s*$/m;
const SECTION_HEADING = /^## (\d+)\.? +(.+?)\s*$/;

/** `R5.4` → `5`. */
export function sectionOf(id: string): string {
  return id.slice(1).split('.')[0] ?? '';
}

/** Orders ids number by number: R5.9 < R5.10 < R11.1. */
export function compareRequirementIds(a: string, b: string): number {
  const [x1 = 0, x2 = 0] = a.slice(1).split('.').map(Number);
  const [y1 = 0, y2 = 0] = b.slice(1).split('.').map(Number);
  return x1 - y1 || x2 - y2;
}

/**
 * The first sentence: up to the first `.`, `!` or `?` that is followed by a space or the end, outside
 * backtick code (so `-f null -` or `.result.json` does not end it).
 */
export function firstSentence(text: string): string {
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && (c === '.' || c === '!' || c === '?') && (i + 1 === text.length || text[i + 1] === ' ')) return text.slice(0, i + 1);
  }
  return text;
}

/** A list item's text: its first line after the marker and the indented lines that continue it. */
function itemText(lines: readonly string[], start: number, firstLineRest: string): string {
  const parts = [firstLineRest.trim()];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!/^\s+\S/.test(line)) break;
    parts.push(line.trim());
  }
  return parts.filter((p) => p !== '').join(' ');
}

export function parseSpec(text: string): SpecOutline {
  const lines = text.split(/\r?\n/);
  const sections = new Map<string, string>();
  const requirements: Requirement[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const heading = SECTION_HEADING.exec(line);
    if (heading?.[1] !== undefined && heading[2] !== undefined && !sections.has(heading[1])) sections.set(heading[1], heading[2]);
    const match = REQUIREMENT_LINE.exec(line);
    if (match === null) {
      if (/^- \*\*R\d/.test(line)) problems.push(`line ${i + 1}: a requirement item that does not match ${REQUIREMENT_LINE.source}`);
      continue;
    }
    const id = match[1] ?? '';
    if (seen.has(id)) problems.push(`line ${i + 1}: ${id} is defined twice`);
    seen.add(id);
    const kind: RequirementKind = match[2] === 'reference' || match[2] === 'memory' ? match[2] : 'normative';
    requirements.push({ id, section: sectionOf(id), kind, summary: firstSentence(itemText(lines, i, line.slice(match[0].length))) });
  }
  return { version: SPEC_VERSION_LINE.exec(text)?.[1] ?? null, sections, requirements, problems };
}

/** SPEC.md (at the repository root) as an outline. */
export function readSpecOutline(file: string): SpecOutline {
  return parseSpec(readFileSync(file, 'utf8'));
}
