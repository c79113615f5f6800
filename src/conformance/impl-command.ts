// The shell command line that runs the implementation under test for one `run` step: the user's template
// with `{watch}` replaced by the step's folder, then the step's arguments, each quoted for /bin/sh.

export const WATCH_PLACEHOLDER = '{watch}';

/** Single-quotes `text` for a POSIX shell (a `'` inside becomes `'\''`). */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

export function buildImplCommand(template: string, folder: string, args: readonly string[]): string {
  const command = template.replaceAll(WATCH_PLACEHOLDER, shellQuote(folder));
  return args.length === 0 ? command : `${command} ${args.map(shellQuote).join(' ')}`;
}
