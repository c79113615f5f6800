// A strict RFC 8259 parser for JobSpec files. JSON.parse is not used because its error messages differ
// between Node versions (results must be byte-for-byte reproducible) and because it silently keeps the
// last of two duplicate keys, which would let a JobSpec say two things at once.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type JsonParse = { ok: true; value: JsonValue } | { ok: false; message: string };

/** Deeper input is rejected before recursing further, so hostile nesting can never overflow the stack. */
export const MAX_NESTING = 64;

class JsonSyntaxError extends Error {}

/**
 * The JSON object in `bytes`, or null when they are not valid UTF-8 or not a JSON object. For the runner's
 * yes/no questions (is a pending file complete? what does a leftover or a lock say?); a JobSpec being
 * validated goes through parseJobSpec, which explains every refusal.
 */
export function parseJsonObject(bytes: Uint8Array): JsonObject | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
  const parsed = parseStrictJson(text);
  return parsed.ok && parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? parsed.value : null;
}

/**
 * Whether `bytes` are one complete JSON object or array, by RFC 8259's grammar alone: the readiness
 * question of SPEC.md R3.5. A complete container cannot be the beginning of a longer JSON text (only
 * whitespace or something invalid can follow it), so a writer that is still busy cannot be cut short by
 * this answer; a bare scalar can (`12` may become `123`), so it never counts, nor does an empty file.
 *
 * Everything a complete file may still be refused for is left to parseJobSpec, which gives the reason:
 * duplicate keys (R5.6), nesting deeper than MAX_NESTING (R5.7), numbers whose value would change (R5.8),
 * a byte order mark (R5.3) and bytes that are not UTF-8 (R5.4). Appending cannot cure any of them, and
 * the operator would rather see the file filed with its reason now than wait for the settle window. So
 * the text is decoded leniently: the decoder drops one leading BOM, and a byte that is not part of
 * well-formed UTF-8 becomes U+FFFD, an ordinary character inside a string and an error outside one,
 * which is exactly what such a byte is to the grammar. A truncated multi-byte sequence can only be at
 * the end, where a complete container has its closing bracket. Linear in the input, whatever its depth.
 */
export function isCompleteJsonContainer(bytes: Uint8Array): boolean {
  const parser = new Parser(new TextDecoder('utf-8').decode(bytes));
  try {
    parser.skipWhitespace();
    parser.skipContainer();
    parser.skipWhitespace();
    return parser.atEnd();
  } catch (error) {
    if (error instanceof JsonSyntaxError) return false;
    throw error;
  }
}

export function parseStrictJson(text: string): JsonParse {
  const parser = new Parser(text);
  try {
    parser.skipWhitespace();
    const value = parser.parseValue(0);
    parser.skipWhitespace();
    if (!parser.atEnd()) parser.failUnexpected();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipWhitespace(): void {
    // RFC 8259 whitespace is exactly these four characters; NBSP, BOM and friends are errors.
    while (!this.atEnd()) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  parseValue(depth: number): JsonValue {
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (depth >= MAX_NESTING) throw new JsonSyntaxError(`nesting deeper than ${MAX_NESTING} levels`);
      return c === '{' ? this.parseObject(depth + 1) : this.parseArray(depth + 1);
    }
    return this.parseScalar('checked');
  }

  /**
   * A string, number, true, false or null. `numbers`: `checked` refuses a number whose value would change
   * (R5.8); `grammar` only walks its digits, for skipContainer, which judges completeness, not values.
   */
  private parseScalar(numbers: 'checked' | 'grammar'): JsonValue {
    if (this.atEnd()) this.failUnexpected();
    const c = this.text[this.pos];
    if (c === '"') return this.parseString();
    if (c === 't') return this.parseLiteral('true', true);
    if (c === 'f') return this.parseLiteral('false', false);
    if (c === 'n') return this.parseLiteral('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (numbers === 'checked') return this.parseNumber();
      this.scanNumber();
      return null; // stands in for a value the walk never needs
    }
    return this.failUnexpected();
  }

  /**
   * Walks one object or array at the cursor to its closing bracket, checking the grammar only (keys may
   * repeat, numbers are not evaluated). An explicit stack of the brackets still open instead of
   * recursion: the parser stops at MAX_NESTING, but this walk must reach the end of any depth to say
   * whether the text is complete, without overflowing the call stack.
   */
  skipContainer(): void {
    const closers: ('}' | ']')[] = [];
    if (this.text[this.pos] !== '{' && this.text[this.pos] !== '[') this.failUnexpected();
    for (;;) {
      // The cursor is at a value.
      const c = this.text[this.pos];
      if (c === '{' || c === '[') {
        const closer = c === '{' ? '}' : ']';
        this.pos++;
        this.skipWhitespace();
        if (this.text[this.pos] !== closer) {
          closers.push(closer);
          if (closer === '}') this.skipKey();
          continue;
        }
        this.pos++; // an empty container is a whole value
      } else {
        this.parseScalar('grammar');
      }
      // After a value: close what ends here, then move on to the next member or element.
      for (;;) {
        const closer = closers.at(-1);
        if (closer === undefined) return;
        this.skipWhitespace();
        if (this.text[this.pos] !== closer) break;
        this.pos++;
        closers.pop();
      }
      this.expect(',');
      this.skipWhitespace();
      if (closers.at(-1) === '}') this.skipKey();
    }
  }

  /** A member's key and its colon, up to its value. */
  private skipKey(): void {
    if (this.text[this.pos] !== '"') this.failUnexpected();
    this.parseString();
    this.skipWhitespace();
    this.expect(':');
    this.skipWhitespace();
  }

  private parseObject(depth: number): JsonObject {
    // No prototype: a "__proto__" or "constructor" key is then an ordinary own key and no
    // prototype (least of all Object.prototype) can be reached through the parsed value.
    const object: JsonObject = Object.create(null) as JsonObject;
    this.pos++; // '{'
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return object;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.failUnexpected();
      const key = this.parseString();
      if (Object.hasOwn(object, key)) throw new JsonSyntaxError(`duplicate key '${printable(key)}'`);
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      object[key] = this.parseValue(depth);
      this.skipWhitespace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return object;
      }
      this.expect(',');
      this.skipWhitespace();
    }
  }

  private parseArray(depth: number): JsonValue[] {
    const array: JsonValue[] = [];
    this.pos++; // '['
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return array;
    }
    for (;;) {
      array.push(this.parseValue(depth));
      this.skipWhitespace();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return array;
      }
      this.expect(',');
      this.skipWhitespace();
    }
  }

  private parseString(): string {
    this.pos++; // opening quote
    let result = '';
    let runStart = this.pos;
    for (;;) {
      if (this.atEnd()) this.failUnexpected();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        result += this.text.slice(runStart, this.pos);
        this.pos++;
        return result;
      }
      // RFC 8259 section 7: U+0000 to U+001F must be escaped inside strings.
      if (c < 0x20) this.failUnexpected();
      if (c === 0x5c) {
        result += this.text.slice(runStart, this.pos);
        this.pos++;
        result += this.parseEscape();
        runStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private parseEscape(): string {
    if (this.atEnd()) this.failUnexpected();
    const c = this.text[this.pos];
    const simple = c === undefined ? undefined : SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      this.pos++;
      return simple;
    }
    if (c !== 'u') this.failUnexpected();
    this.pos++;
    let code = 0;
    for (let i = 0; i < 4; i++) {
      if (this.atEnd()) this.failUnexpected();
      const digit = HEX_DIGITS.indexOf(this.text.charAt(this.pos).toLowerCase());
      if (digit < 0) this.failUnexpected();
      code = code * 16 + digit;
      this.pos++;
    }
    // Each \u escape is one UTF-16 code unit, so a pair of escapes forms a surrogate pair on its own;
    // a lone surrogate is kept as is (RFC 8259 allows it, and rejecting it protects nothing here).
    return String.fromCharCode(code);
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    for (const expected of word) {
      if (this.atEnd() || this.text[this.pos] !== expected) this.failUnexpected();
      this.pos++;
    }
    return value;
  }

  private parseNumber(): number {
    const start = this.pos;
    const literal = this.scanNumber();
    const value = Number(literal);
    // JSON has no Infinity; a value that overflows a double would otherwise silently become one.
    if (!Number.isFinite(value)) {
      throw new JsonSyntaxError(`number out of range '${literal}' at ${this.locate(start)}`);
    }
    // Nor may a number silently become another one: an integer beyond 2^53 is rounded, and a tiny
    // non-zero value underflows to 0. Rejecting them keeps "no guessing" true for every numeric field.
    const mantissa = literal.split(/[eE]/)[0] ?? '';
    if (value === 0 && /[1-9]/.test(mantissa)) {
      throw new JsonSyntaxError(`number out of range '${literal}' at ${this.locate(start)}`);
    }
    if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(value)) {
      throw new JsonSyntaxError(`number '${literal}' cannot be represented exactly at ${this.locate(start)}`);
    }
    return value;
  }

  /** The number at the cursor by JSON's grammar, as written; what it is worth is parseNumber's question. */
  private scanNumber(): string {
    const start = this.pos;
    if (this.text[this.pos] === '-') this.pos++;
    // A leading zero stands alone ("01" is not a number), so only 1-9 may start a longer run.
    if (this.text[this.pos] === '0') this.pos++;
    else this.digits();
    if (this.text[this.pos] === '.') {
      this.pos++;
      this.digits();
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      this.digits();
    }
    return this.text.slice(start, this.pos);
  }

  /** One or more decimal digits. */
  private digits(): void {
    const start = this.pos;
    while (!this.atEnd()) {
      const c = this.text.charCodeAt(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    if (this.pos === start) this.failUnexpected();
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) this.failUnexpected();
    this.pos++;
  }

  failUnexpected(): never {
    if (this.atEnd()) throw new JsonSyntaxError(`Unexpected end of input at ${this.locate(this.pos)}`);
    const code = this.text.codePointAt(this.pos) ?? 0;
    throw new JsonSyntaxError(`Unexpected character ${describeChar(code)} at ${this.locate(this.pos)}`);
  }

  /** "line L column C", both 1-based; columns count code points; only LF starts a new line. */
  private locate(index: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < index; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    let column = 1;
    for (let i = lineStart; i < index; i++) {
      // The second half of a surrogate pair belongs to the same column as the first.
      const continuesPair = i > lineStart && isLowSurrogate(this.text.charCodeAt(i)) && isHighSurrogate(this.text.charCodeAt(i - 1));
      if (!continuesPair) column++;
    }
    return `line ${line} column ${column}`;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const HEX_DIGITS = '0123456789abcdef';

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Printable ASCII is quoted; anything else is named by code point so messages stay one clean line. */
function describeChar(code: number): string {
  if (code >= 0x21 && code <= 0x7e) return `'${String.fromCharCode(code)}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Escapes control and line-separator characters so a key cannot break a message across lines. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
