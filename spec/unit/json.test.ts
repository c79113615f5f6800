import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { isCompleteJsonContainer, parseJsonObject, parseStrictJson, type JsonParse } from '../../src/jobspec/json.ts';
import { compareCodeUnits } from '../../src/jobspec/schema.ts';

function message(text: string): string {
  const result: JsonParse = parseStrictJson(text);
  if (result.ok) throw new Error(`expected a parse failure for ${JSON.stringify(text)}`);
  return result.message;
}

function value(text: string): unknown {
  const result = parseStrictJson(text);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('parseStrictJson: accepts RFC 8259 JSON', () => {
  it.each([
    ['null', null],
    ['true', true],
    ['false', false],
    ['0', 0],
    ['-12.5e+2', -1250],
    ['1E-2', 0.01],
    ['"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"', 'a"b\\c/d\b\f\n\r\t'],
    ['"\\u00e9\\uD83D\\uDE00"', 'é😀'],
    ['"é😀"', 'é😀'],
    [' \t\r\n[ 1 , "x" , [] , {} ] \n', [1, 'x', [], {}]],
    ['{"a":{"b":[true,null]}}', { a: { b: [true, null] } }],
  ])('%s', (text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it('keeps -0 and the largest exact integers', () => {
    expect(Object.is(value('-0'), -0)).toBe(true);
    expect(value('9007199254740991')).toBe(2 ** 53 - 1);
    expect(value('-9007199254740991')).toBe(-(2 ** 53 - 1));
  });

  it('rejects numbers that would silently become another number', () => {
    expect(parseStrictJson('9007199254740993')).toEqual({ ok: false, message: "number '9007199254740993' cannot be represented exactly at line 1 column 1" });
    expect(parseStrictJson('[1e-400]')).toEqual({ ok: false, message: "number out of range '1e-400' at line 1 column 2" });
    expect(value('0e-400')).toBe(0);
    expect(value('1.5e300')).toBe(1.5e300);
  });

  it('accepts a lone surrogate escape', () => {
    expect(value('"\\uD800"')).toBe('\uD800');
  });

  it('accepts exactly 64 levels of nesting', () => {
    expect(parseStrictJson('['.repeat(64) + ']'.repeat(64)).ok).toBe(true);
    expect(parseStrictJson('{"a":'.repeat(64) + '1' + '}'.repeat(64)).ok).toBe(true);
  });
});

describe('parseStrictJson: rejects with deterministic one-line messages', () => {
  it.each([
    ['', 'Unexpected end of input at line 1 column 1'],
    ['   ', 'Unexpected end of input at line 1 column 4'],
    ['\n\n', 'Unexpected end of input at line 3 column 1'],
    ['{"a": 1,', 'Unexpected end of input at line 1 column 9'],
    ['{"a": tru', 'Unexpected end of input at line 1 column 10'],
    ['"abc', 'Unexpected end of input at line 1 column 5'],
    ['{"a":1 x', "Unexpected character 'x' at line 1 column 8"],
    ['{\n  "a": 1,\n}', "Unexpected character '}' at line 3 column 1"],
    ['[1,]', "Unexpected character ']' at line 1 column 4"],
    ["{'a':1}", "Unexpected character ''' at line 1 column 2"],
    ['{a:1}', "Unexpected character 'a' at line 1 column 2"],
    ['01', "Unexpected character '1' at line 1 column 2"],
    ['1.', 'Unexpected end of input at line 1 column 3'],
    ['-', 'Unexpected end of input at line 1 column 2'],
    ['+1', "Unexpected character '+' at line 1 column 1"],
    ['.5', "Unexpected character '.' at line 1 column 1"],
    ['NaN', "Unexpected character 'N' at line 1 column 1"],
    ['Infinity', "Unexpected character 'I' at line 1 column 1"],
    ['nul1', "Unexpected character '1' at line 1 column 4"],
    ['{} {}', "Unexpected character '{' at line 1 column 4"],
    ['"\\x"', "Unexpected character 'x' at line 1 column 3"],
    ['"\\u12G4"', "Unexpected character 'G' at line 1 column 6"],
    ['"a\tb"', 'Unexpected character U+0009 at line 1 column 3'],
    ['"a\nb"', 'Unexpected character U+000A at line 1 column 3'],
    ['\u00a01', 'Unexpected character U+00A0 at line 1 column 1'],
    ['\ufeff{}', 'Unexpected character U+FEFF at line 1 column 1'],
    ['["😀", x]', "Unexpected character 'x' at line 1 column 7"], // the emoji is one column
    ['😀', 'Unexpected character U+1F600 at line 1 column 1'],
  ])('%j', (text, expected) => {
    expect(message(text)).toBe(expected);
  });

  it('rejects NUL bytes anywhere', () => {
    expect(message('\u0000{}')).toBe('Unexpected character U+0000 at line 1 column 1');
    expect(message('{"a":"x\u0000y"}')).toBe('Unexpected character U+0000 at line 1 column 8');
    expect(message('{}\u0000')).toBe('Unexpected character U+0000 at line 1 column 3');
  });

  it('rejects non-finite numbers with the literal and its position', () => {
    expect(message('{"fps": 1e400}')).toBe("number out of range '1e400' at line 1 column 9");
    expect(message('[\n-1E+999]')).toBe("number out of range '-1E+999' at line 2 column 1");
  });

  it('rejects duplicate keys, escaping control characters in the key', () => {
    expect(message('{"k": 1, "k": 2}')).toBe("duplicate key 'k'");
    expect(message('{"a": {"x": 1, "x": 1}}')).toBe("duplicate key 'x'");
    // The same key spelled two ways is still a duplicate.
    expect(message('{"k": 1, "\\u006b": 2}')).toBe("duplicate key 'k'");
    expect(message('{"a\\nb": 1, "a\\nb": 2}')).toBe("duplicate key 'a\\u000ab'");
    expect(message('{"__proto__": 1, "__proto__": 2}')).toBe("duplicate key '__proto__'");
  });

  it('rejects nesting deeper than 64 levels', () => {
    expect(message('['.repeat(65) + ']'.repeat(65))).toBe('nesting deeper than 64 levels');
    expect(message('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toBe('nesting deeper than 64 levels');
    expect(message('[{"a":'.repeat(33) + '1' + '}]'.repeat(33))).toBe('nesting deeper than 64 levels');
  });

  it('rejects 100,000-deep nesting without overflowing the stack', () => {
    expect(message('['.repeat(100_000))).toBe('nesting deeper than 64 levels');
    expect(message('{"a":'.repeat(100_000))).toBe('nesting deeper than 64 levels');
  });
});

describe('parseStrictJson: prototype safety', () => {
  it('makes __proto__ and constructor plain own keys of null-prototype objects', () => {
    const result = value('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    expect(Object.getPrototypeOf(result)).toBeNull();
    expect(Object.keys(result as object)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

// Plain it() blocks, one behaviour each: a mutation tester maps covering tests by name, and these must be
// found for the code they pin (positions in messages, exponents, the byte-level helper).
describe('parseStrictJson: positions count UTF-16 units, a surrogate pair as one column', () => {
  it('counts every character before the error on its line', () => {
    expect(message('{"a":1 x')).toBe("Unexpected character 'x' at line 1 column 8");
    expect(message('[1,\n  x]')).toBe("Unexpected character 'x' at line 2 column 3");
  });

  it('counts the pairs at both ends of the supplementary range as one column each', () => {
    expect(message('["\u{10000}", x]')).toBe("Unexpected character 'x' at line 1 column 7");
    expect(message('["\u{10FFFF}", x]')).toBe("Unexpected character 'x' at line 1 column 7");
  });

  it('counts a lone high surrogate and the character after it as two columns', () => {
    expect(message('["\ud800", x]')).toBe("Unexpected character 'x' at line 1 column 7");
    expect(message('["\ud800a", x]')).toBe("Unexpected character 'x' at line 1 column 8");
    expect(message('["\ud800\ue000", x]')).toBe("Unexpected character 'x' at line 1 column 8");
  });

  it('counts a lone low surrogate after a character that is no high surrogate as its own column', () => {
    expect(message('["a\udc00", x]')).toBe("Unexpected character 'x' at line 1 column 8");
    expect(message('["\ud7ff\udc00", x]')).toBe("Unexpected character 'x' at line 1 column 8");
    expect(message('["\ue000\udc00", x]')).toBe("Unexpected character 'x' at line 1 column 8");
  });
});

describe('parseStrictJson: details a message or a value depends on', () => {
  it('quotes the printable ASCII characters at both ends of the range', () => {
    expect(message('!')).toBe("Unexpected character '!' at line 1 column 1");
    expect(message('~')).toBe("Unexpected character '~' at line 1 column 1");
    expect(message(' ')).toBe('Unexpected end of input at line 1 column 2');
  });

  it('reads exponents with and without a sign', () => {
    expect(value('1e5')).toBe(100_000);
    expect(value('2E+2')).toBe(200);
    expect(value('5e-1')).toBe(0.5);
  });

  it('stops at the end of input inside a \\u escape', () => {
    expect(message('"\\u12')).toBe('Unexpected end of input at line 1 column 6');
  });
});

describe('parseJsonObject: the yes/no question "is this a JSON object?"', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('answers with the object for a JSON object', () => {
    expect(parseJsonObject(bytes('{"a": 1}'))).toEqual({ a: 1 });
  });

  it('answers null for any other JSON value', () => {
    for (const text of ['"x"', '5', 'true', 'null', '[]', '[{}]']) expect(parseJsonObject(bytes(text)), text).toBeNull();
  });

  it('answers null for bytes that are not UTF-8, and for a byte order mark before the object', () => {
    expect(parseJsonObject(new Uint8Array([0x7b, 0xff, 0x7d]))).toBeNull();
    expect(parseJsonObject(new Uint8Array([0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d]))).toBeNull();
    expect(parseJsonObject(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{}')]))).toBeNull();
  });
});

describe('isCompleteJsonContainer: may a pending file be judged now? (SPEC.md R3.5)', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const complete = (text: string): boolean => isCompleteJsonContainer(bytes(text));

  it('a whole object or array, with JSON whitespace around it, is complete', () => {
    for (const text of ['{}', '[]', ' \t\r\n{"a": [1, -2.5e+3, true, false, null, "x\\"\\u00e9", {}]}\n', '[[], {"b": {"c": []}}, "]", "}"]']) {
      expect(complete(text), text).toBe(true);
    }
  });

  it('a whole container the parser refuses for what it says is complete: duplicate keys, too deep, numbers out of range', () => {
    for (const text of ['{"k": 1, "k": 2}', '{"a": {"x": 1, "x": 1}}', '['.repeat(65) + ']'.repeat(65), '[1e400, 1e-400, 9007199254740993]']) {
      expect(parseStrictJson(text).ok, text).toBe(false);
      expect(complete(text), text).toBe(true);
    }
  });

  it('walks any depth to its end without overflowing the stack', () => {
    expect(complete('['.repeat(500_000) + ']'.repeat(500_000))).toBe(true);
    expect(complete('{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000))).toBe(true);
    expect(complete('['.repeat(500_000) + ']'.repeat(499_999))).toBe(false);
  });

  it('encoding defects that validation names do not make a whole container incomplete: a leading BOM, bytes that are not UTF-8 inside a string', () => {
    expect(isCompleteJsonContainer(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes('{}')]))).toBe(true);
    expect(isCompleteJsonContainer(Uint8Array.from([...bytes('{"a": "'), 0xff, 0xc3, ...bytes('"}')]))).toBe(true);
    expect(isCompleteJsonContainer(Uint8Array.from([...bytes('["'), 0xed, 0xa0, 0x80, ...bytes('"]')]))).toBe(true); // an encoded surrogate
  });

  it('a byte that is not UTF-8 outside a string, a second BOM or one after whitespace breaks the grammar: incomplete', () => {
    expect(isCompleteJsonContainer(Uint8Array.from([...bytes('{"a": 1'), 0xff, ...bytes('}')]))).toBe(false);
    expect(isCompleteJsonContainer(Uint8Array.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...bytes('{}')]))).toBe(false);
    expect(isCompleteJsonContainer(Uint8Array.from([0x20, 0xef, 0xbb, 0xbf, ...bytes('{}')]))).toBe(false);
    expect(isCompleteJsonContainer(Uint8Array.from([...bytes('{"a": "'), 0xc3]))).toBe(false); // cut inside a character
  });

  it('a bare scalar is never complete, however whole it looks: a writer may still extend it', () => {
    for (const text of ['12', '-0', '"x"', 'true', 'false', 'null', ' 1 ']) expect(complete(text), text).toBe(false);
  });

  it('nothing, or anything that does not follow the grammar to its end, is incomplete', () => {
    for (const text of [
      '', ' \n', '{', '[', '{"a"', '{"a":', '{"a": 1', '{"a": 1,', '[1', '[1,', '["x', '["\\', '["\\u00', '{"a": tru',
      '[1,]', '{"a": 1,}', '{"a" 1}', '{1: 2}', "{'a': 1}", '{a: 1}', '{a": 1}', '[01]', '[1.]', '[-]', '[+1]', '[.5]', '[NaN]',
      '["a\tb"]', '["\\x"]', '["\\u12G4"]', '[1 2]', '{"a": 1 "b": 2}', '[}', '{]', '{} {}', '{} x', '[] ,', '{}\u0000',
      '\u00a0{}', '/* c */ {}', '{} // c',
    ]) {
      expect(complete(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('every container JSON.stringify writes is complete (the parser may still refuse its numbers), and no proper prefix of one is', () => {
    const container = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 4 })), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })));
    fc.assert(
      fc.property(container, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(complete(text)).toBe(true);
        for (let end = 0; end < text.length; end++) expect(complete(text.slice(0, end)), text.slice(0, end)).toBe(false);
      }),
    );
  });
});

describe('compareCodeUnits', () => {
  it('orders by UTF-16 code units and calls equal strings equal', () => {
    expect(compareCodeUnits('a', 'b')).toBe(-1);
    expect(compareCodeUnits('b', 'a')).toBe(1);
    expect(compareCodeUnits('a', 'a')).toBe(0);
    expect(compareCodeUnits('B', 'a')).toBe(-1);
    expect(compareCodeUnits('\uffff', '\u{10000}')).toBe(1);
  });
});
