// @ts-check
// ffprobe's output writers for the stand-in ffprobe: `json`, `csv` / `compact` (with `p=0`, `s=x`, `nk=1`)
// and `default` (with `noprint_wrappers=1` / `nw=1`, `nokey=1` / `nk=1`), as ffprobe prints them.

/** @typedef {Record<string, string | number>} Section */

/**
 * `json`, `csv=p=0`, `default=noprint_wrappers=1:nokey=1` → writer name and its options.
 * @param {string} spec
 */
function writerOf(spec) {
  const [name = 'default', rest = ''] = spec.split(/=(.*)/s);
  /** @type {Map<string, string>} */
  const options = new Map();
  for (const pair of rest.split(':').filter((p) => p !== '')) {
    const [key = '', value = ''] = pair.split('=');
    options.set(key, value);
  }
  return { name, options };
}

/**
 * @param {{ streams: Section[] | null, format: Section | null }} shown
 * @param {string} spec
 */
export function render(shown, spec) {
  const { name, options } = writerOf(spec);
  if (name === 'json') {
    /** @type {Record<string, unknown>} */
    const doc = {};
    if (shown.streams !== null) Object.assign(doc, { programs: [], streams: shown.streams });
    if (shown.format !== null) doc.format = shown.format;
    return `${JSON.stringify(doc, null, 4)}\n`;
  }
  /** @type {[string, Section][]} */
  const sections = [...(shown.streams ?? []).map((s) => /** @type {[string, Section]} */ (['stream', s])), ...(shown.format === null ? [] : [/** @type {[string, Section]} */ (['format', shown.format])])];
  if (name === 'csv' || name === 'compact') {
    const withName = (options.get('p') ?? options.get('print_section') ?? '1') !== '0';
    const separator = options.get('s') ?? (name === 'csv' ? ',' : '|');
    return sections
      .map(([section, values]) => [...(withName ? [section] : []), ...Object.entries(values).map(([k, v]) => (name === 'compact' && options.get('nk') !== '1' ? `${k}=${v}` : String(v)))].join(separator))
      .map((line) => `${line}\n`)
      .join('');
  }
  const wrappers = (options.get('noprint_wrappers') ?? options.get('nw') ?? '0') !== '1';
  const keys = (options.get('nokey') ?? options.get('nk') ?? '0') !== '1';
  return sections
    .map(([section, values]) => {
      const lines = Object.entries(values).map(([k, v]) => (keys ? `${k}=${v}` : String(v)));
      return wrappers ? [`[${section.toUpperCase()}]`, ...lines, `[/${section.toUpperCase()}]`] : lines;
    })
    .flat()
    .map((line) => `${line}\n`)
    .join('');
}
