// Family `naming` (SPEC section 8, and R6.7 for unknown tokens): every token alone, inside literal
// text, in every pair and all together; token values that are themselves odd (a job_id with a slash, a
// source name starting with '-', a value that looks like a token); every name safety rule; the `__`
// collapse, strip and empty-name fallback; the byte limit at its edges with 1- to 4-byte characters;
// and collisions between the clips of one job. {date} and {time} read the clock: those are `timing`.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { JobSpecDraft, Tag } from './base.ts';
import { baseJobSpec, defaultTree, generated, media, mediaPath, shown, withFields } from './base.ts';

const TOKENS = ['source_name', 'source_ext', 'job_id', 'date', 'time', 'index', 'codec', 'resolution'];

interface Case {
  readonly name: string;
  readonly template: string;
  readonly description: string;
  /** Other JobSpec fields (job_id, sources) the case needs. */
  readonly fields?: JobSpecDraft;
  /** Media files (tree paths under media/) besides media/clip.mov. */
  readonly media?: readonly string[];
  /** The SPEC.md requirements the case pins. */
  readonly requirements: readonly string[];
  readonly tags?: readonly Tag[];
}

/** Substitution (R8.1), and the job's start time for {date} and {time} (R8.2). */
function substitution(template: string): string[] {
  return /\{(date|time)\}/.test(template) ? ['R8.1', 'R8.2'] : ['R8.1'];
}

function tagsOf(template: string, extra: readonly Tag[] = []): Tag[] {
  return [...extra, 'naming', ...(/\{(date|time)\}/.test(template) ? (['timing'] as const) : [])];
}

function tokenCases(): Case[] {
  const token = (name: string, template: string, description: string): Case => ({ name, template, description, requirements: substitution(template) });
  const alone = TOKENS.map((t) => token(`token-${t}`, `{${t}}`, `{${t}} alone is the whole name`));
  const inText = TOKENS.map((t) => token(`token-${t}-in-text`, `take {${t}} v2`, `{${t}} inside literal text (spaces kept)`));
  const pairs = TOKENS.flatMap((a, i) => TOKENS.slice(i + 1).map((b) => token(`tokens-${a}-${b}`, `{${a}}_{${b}}`, `{${a}} and {${b}} combined`)));
  const doubled = token('token-repeated', '{index}{source_name}{index}', 'a token used twice is substituted both times');
  const all = token('tokens-all', TOKENS.map((t) => `{${t}}`).join('_'), 'all eight tokens in one template');
  return [...alone, ...inText, ...pairs, doubled, all];
}

function valueCases(): Case[] {
  const source = (file: string): JobSpecDraft => ({ sources: [mediaPath(file)] });
  const id = (jobId: string): JobSpecDraft => ({ job_id: jobId });
  return [
    { name: 'source-many-dots', template: '{source_name}.{source_ext}', fields: source('a.b.c.mov'), media: ['a.b.c.mov'], description: '{source_name} drops only the last extension', requirements: ['R8.1'] },
    { name: 'source-ext-original-case', template: '{source_name}_{source_ext}', fields: source('CLIP.MOV'), media: ['CLIP.MOV'], description: '{source_ext} keeps the original case', requirements: ['R8.1'] },
    { name: 'source-with-spaces', template: '{source_name}_proxy', fields: source('my clip.mov'), media: ['my clip.mov'], description: 'spaces in the source name are kept', requirements: ['R8.1'] },
    { name: 'source-non-ascii', template: '{source_name}_proxy', fields: source('cl\u00e9 \u6620\u50cf.mov'), media: ['cl\u00e9 \u6620\u50cf.mov'], description: 'non-ASCII source names are kept', requirements: ['R8.1'] },
    { name: 'source-leading-dash', template: '{source_name}', fields: source('-y.mov'), media: ['-y.mov'], description: 'a source name starting with - makes an unsafe output name', requirements: ['R8.8'] },
    { name: 'source-looks-like-token', template: '{source_name}_{index}', fields: source('{index}.mov'), media: ['{index}.mov'], description: 'a value that looks like a token is not substituted again', requirements: ['R8.3'] },
    { name: 'source-trailing-underscore', template: '{source_name}_', fields: source('clip_.mov'), media: ['clip_.mov'], description: "'clip_' + '_' collapses and the trailing _ is stripped", requirements: ['R8.4'] },
    { name: 'job-id-slash', template: '{job_id}', fields: id('a/b'), description: 'a job_id with / makes the name unsafe (separator)', requirements: ['R8.6'] },
    { name: 'job-id-dot-dot', template: '{job_id}', fields: id('..'), description: "a job_id of '..' makes the name a relative directory name", requirements: ['R8.6'] },
    { name: 'job-id-dot', template: '{job_id}', fields: id('.'), description: "a job_id of '.' makes the name a relative directory name", requirements: ['R8.6'] },
    { name: 'job-id-leading-dash', template: '{job_id}', fields: id('-n'), description: 'a job_id starting with - makes the name unsafe', requirements: ['R8.8'] },
    { name: 'job-id-control', template: '{job_id}', fields: id('a\u0007b'), description: 'a job_id with a BEL control character makes the name unsafe', requirements: ['R8.7'] },
    { name: 'job-id-empty', template: '{job_id}__{source_name}', fields: id(''), description: 'an empty job_id leaves __ that collapses and is stripped', requirements: ['R8.4'] },
    { name: 'job-id-underscores', template: '{job_id}', fields: id('__'), description: 'a job_id of __ collapses to nothing: the name falls back to the source name', requirements: ['R8.4'] },
    { name: 'job-id-looks-like-token', template: '{job_id}', fields: id('{source_name}'), description: 'a job_id that looks like a token is used literally', requirements: ['R8.3'] },
  ];
}

function safetyCases(): Case[] {
  const unsafe = (name: string, template: string, why: string, requirement: string): Case => ({
    name: `unsafe-${name}`, template, description: `${shown(template)} is refused: ${why}`, requirements: [requirement], tags: ['hostile'],
  });
  const controls: Array<[string, string]> = [
    ['nul', '\u0000'], ['soh', '\u0001'], ['tab', '\t'], ['newline', '\n'], ['carriage-return', '\r'], ['unit-separator', '\u001f'],
    ['del', '\u007f'], ['nel', '\u0085'], ['csi', '\u009b'],
  ];
  return [
    unsafe('slash', 'a/b', 'path separator', 'R8.6'),
    unsafe('leading-slash', '/{source_name}', 'path separator (absolute)', 'R8.6'),
    unsafe('token-then-slash', '{source_name}/x', 'path separator after a token', 'R8.6'),
    unsafe('parent-escape', '../{source_name}', 'path separator (parent directory)', 'R8.6'),
    unsafe('backslash', 'a\\b', 'backslash separator', 'R8.6'),
    unsafe('dot', '.', 'relative directory name', 'R8.6'),
    unsafe('dot-dot', '..', 'relative directory name', 'R8.6'),
    ...controls.map(([name, c]) => unsafe(`control-${name}`, `a${c}b`, 'control character', 'R8.7')),
    unsafe('leading-dash', '-y', 'would be read as an FFmpeg option', 'R8.8'),
    unsafe('lone-dash', '-', 'starts with -', 'R8.8'),
    unsafe('dash-token', '-{source_name}', 'starts with - after substitution', 'R8.8'),
    unsafe('dash-after-strip', '_-{source_name}', 'starts with - once the leading _ is stripped', 'R8.8'),
    { name: 'safe-three-dots', template: '...', description: "'...' is not a relative directory name: it is allowed", requirements: ['R8.6'] },
    { name: 'safe-space-dash', template: ' -y', description: "' -y' does not start with -: it is allowed", requirements: ['R8.8'] },
    { name: 'safe-inner-dash', template: '{source_name}-proxy', description: 'a - inside the name is fine', requirements: ['R8.8'] },
  ];
}

/** Output file names (with `.mp4`) of exactly `bytes` bytes, made of characters `bytesPerChar` long. */
function lengthCase(bytes: number, char: string): Case {
  const width = Buffer.byteLength(char, 'utf8');
  const nameBytes = bytes - '.mp4'.length;
  const template = char.repeat(Math.floor(nameBytes / width)) + 'a'.repeat(nameBytes % width);
  const partial = bytes + '.partial'.length;
  return {
    name: `length-${bytes}-bytes-${width}-byte-chars`,
    template,
    description: `an output name of ${bytes} bytes with .mp4 in ${width}-byte characters (${partial} bytes as .partial; limit 255)`,
    requirements: ['R8.9'],
  };
}

function collapseCases(): Case[] {
  const c = (name: string, template: string, what: string): Case => ({ name: `collapse-${name}`, template, description: `${shown(template)}: ${what}`, requirements: ['R8.4'] });
  return [
    c('double', 'a__b', '__ collapses to _'),
    c('triple', 'a___b', '___ collapses to _'),
    c('quadruple', 'a____b', '____ collapses to _'),
    c('around', '__a__', 'collapsed, then leading and trailing _ stripped'),
    c('single-around', '_a_', 'leading and trailing _ stripped'),
    c('spaced', 'a_ _b', '_ _ is not __: kept'),
    c('between-tokens', '{source_name}__{index}', '__ between tokens collapses'),
    c('only-underscore', '_', 'nothing left: falls back to the source name'),
    c('only-underscores', '____', 'nothing left: falls back to the source name'),
    c('empty-template', '', 'an empty template falls back to the source name'),
  ];
}

function unknownTokenCases(): Case[] {
  // A brace that does not make a known token is literal text (R8.3) once R6.7 has let the template through.
  const u = (name: string, template: string, what: string, literal = false): Case => ({
    name: `token-form-${name}`, template, description: `${shown(template)}: ${what}`, requirements: literal ? ['R6.7', 'R8.3'] : ['R6.7'],
  });
  return [
    u('wrong-case', '{Source_Name}', 'tokens are case-sensitive: unknown'),
    u('inner-spaces', '{ source_name }', 'spaces inside braces: unknown'),
    u('hyphen', '{source-name}', 'hyphen for underscore: unknown'),
    u('empty-braces', 'clip{}', '{} is an unknown token'),
    u('several-unknown', '{take}{index}{shot}{take}', 'each unknown token listed once, in order of appearance'),
    u('doubled-braces', '{{index}}', 'the inner {index} is known and substituted inside literal braces', true),
    u('unclosed', '{index', 'an unclosed brace is literal text', true),
    u('unopened', 'index}', 'a lone closing brace is literal text', true),
  ];
}

function collisionScenarios(): LoadedScenario[] {
  const c = (name: string, files: readonly string[], template: string, what: string): LoadedScenario => {
    const tree = defaultTree(withFields(baseJobSpec(), { sources: files.map((f) => mediaPath(f)), naming_template: template }));
    for (const file of files) tree[`media/${file}`] = media();
    return generated({ family: 'naming', name: `collision-${name}`, description: `${files.join(' + ')} with ${shown(template)}: ${what}`, requirements: ['R8.10'], tags: ['naming', 'multi-clip'], tree });
  };
  return [
    c('same-name-other-folder', ['a/clip.mov', 'b/clip.mov'], '{source_name}', 'both resolve to clip.mp4: PARTIAL before FFmpeg'),
    c('case-only', ['Clip.mov', 'clip.mov'], '{source_name}', 'names differing only in case collide'),
    c('other-extension', ['clip.mov', 'clip.mxf'], '{source_name}', 'the source extension is dropped: collision'),
    c('extension-token-separates', ['clip.mov', 'clip.mxf'], '{source_name}_{source_ext}', '{source_ext} keeps them apart: completes'),
    c('index-separates', ['a/clip.mov', 'b/clip.mov'], '{index}', '{index} keeps them apart: completes'),
    c('collapse-makes-collision', ['a_.mov', 'a.mov'], '{source_name}_', 'a_ + _ and a + _ both collapse to a'),
  ];
}

export function namingScenarios(): LoadedScenario[] {
  const cases = [
    ...tokenCases(),
    ...valueCases(),
    ...safetyCases(),
    ...collapseCases(),
    ...unknownTokenCases(),
    ...[247, 248, 255, 256].map((n) => lengthCase(n, 'a')),
    ...['\u00e9', '\u20ac', '\u{1f3ac}'].flatMap((ch) => [247, 248].map((n) => lengthCase(n, ch))),
  ];
  const single = cases.map((c) => {
    const tree = defaultTree(withFields(baseJobSpec(), { ...c.fields, naming_template: c.template }));
    for (const file of c.media ?? []) tree[`media/${file}`] = media();
    return generated({ family: 'naming', name: c.name, description: c.description, requirements: c.requirements, tags: tagsOf(c.template, c.tags), tree });
  });
  return [...single, ...collisionScenarios()];
}
