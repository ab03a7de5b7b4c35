// The API's JSON reader and writer against what Python's json module does (expected values were
// produced with CPython's json.dumps, json.loads, repr and round).
import { describe, expect, it } from 'vitest';
import {
  JsonSyntaxError,
  PyFloat,
  dumpPythonJson,
  PythonJsonListWriter,
  parsePythonJson,
  pythonFloatRepr,
  pythonRound2,
} from '../../src/http/api/healthchecks/python-json.js';

describe('dumpPythonJson', () => {
  it('separates items with ", " and keys with ": "', () => {
    expect(dumpPythonJson({ a: 1, b: [1, 2, { c: null, d: true }], e: {}, f: [] })).toBe(
      '{"a": 1, "b": [1, 2, {"c": null, "d": true}], "e": {}, "f": []}',
    );
  });

  it.each([
    ['é', '"\\u00e9"'],
    ['日本', '"\\u65e5\\u672c"'],
    ['😀', '"\\ud83d\\ude00"'],
    ['\x7f', '"\\u007f"'],
    ['\x00\x1f', '"\\u0000\\u001f"'],
    ['a"b\\c\n\r\t\b\f', '"a\\"b\\\\c\\n\\r\\t\\b\\f"'],
    ['/', '"/"'],
    ['\u2028', '"\\u2028"'],
    ['plain text', '"plain text"'],
  ])('escapes %j as Python does', (text, expected) => {
    expect(dumpPythonJson(text)).toBe(expected);
  });

  it.each([
    [300, '300.0'],
    [2.896736, '2.896736'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [123456789012345.6, '123456789012345.6'],
    [-0, '-0.0'],
    [1e22, '1e+22'],
    [1 / 3, '0.3333333333333333'],
    [-2.5e-7, '-2.5e-07'],
  ])('writes the float %s as repr() does', (value, expected) => {
    expect(pythonFloatRepr(value)).toBe(expected);
    expect(dumpPythonJson(new PyFloat(value))).toBe(expected);
  });

  it('writes plain numbers as JavaScript does: integers as Python does, floats need PyFloat', () => {
    expect(dumpPythonJson([0, 86400, -5, 0.5])).toBe('[0, 86400, -5, 0.5]');
    expect(dumpPythonJson([300, new PyFloat(300)])).toBe('[300, 300.0]');
  });

  it('writes the same with and without floats in the payload (fast and exact writers agree)', () => {
    let state = 42;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => String.fromCharCode(Math.floor(random() * 0x10000))).join('');
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 2 ? 4 : 6));
      if (kind === 0) return text();
      if (kind === 1) return Math.floor(random() * 1e9) - 5e8;
      if (kind === 2) return random() < 0.5;
      if (kind === 3) return null;
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [text(), value(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const sample = value(0);
      expect(dumpPythonJson([sample, new PyFloat(0.5)])).toBe(`[${dumpPythonJson(sample)}, 0.5]`);
    }
  });

  it('has room for text that grows most: DEL characters and separators', () => {
    expect(dumpPythonJson('\u007f'.repeat(1000))).toBe(`"${'\\u007f'.repeat(1000)}"`);
    expect(dumpPythonJson(['é'.repeat(500), Array(500).fill(0)])).toBe(`["${'\\u00e9'.repeat(500)}", [${Array(500).fill(0).join(', ')}]]`);
  });

  it('leaves out undefined object values like JSON.stringify', () => {
    expect(dumpPythonJson({ a: undefined, b: 1 })).toBe('{"b": 1}');
  });
});

describe('PythonJsonListWriter', () => {
  const write = (items: Record<string, unknown>[], key = 'checks') => {
    const writer = new PythonJsonListWriter(key);
    for (const item of items) {
      for (const [name, value] of Object.entries(item)) writer.member(name, value);
      writer.endItem();
    }
    return writer.finish().toString('latin1');
  };

  it.each([0, 1, 3, 250, 4000])('writes %i items exactly as dumpPythonJson writes the whole object', (count) => {
    const render = (n: number) => ({ n, name: `check ${n}`, ok: n % 2 === 0, score: new PyFloat(n / 4), note: n === 3 ? 'café' : null });
    const items = Array.from({ length: count }, (_, i) => render(i));
    expect(write(items)).toBe(dumpPythonJson({ checks: items }));
  });

  it('writes every kind of member value as dumpPythonJson does', () => {
    const items = [
      {},
      { text: '', plain: 'a b~!', quote: 'say "hi"', backslash: 'C:\\dir', controls: '\x00\x1f\n\t\x7f', unicode: 'café 日本 😀', lone: '\ud800x\udfff' },
      { zero: 0, big: Number.MAX_SAFE_INTEGER, beyond: 2 ** 53, negative: -42, fraction: 0.5, tiny: 1e-7, huge: 1e21, nan: NaN, inf: -Infinity, minusZero: -0 },
      { yes: true, no: false, nothing: null, skipped: undefined, float: new PyFloat(300), list: [1, 'é', { a: null }], object: { b: [] } },
      { 'ké"y': 1, '': 2 },
      {},
    ];
    expect(write(items)).toBe(dumpPythonJson({ checks: items }));
    expect(write(items, 'lïst')).toBe(dumpPythonJson({ 'lïst': items }));
  });

  it('writes a joined member as the joined string, whatever its parts hold', () => {
    const parts: [string, string, string][] = [
      ['https://hc.example.org/api/v3/checks/', '6f2a1d3e-0f4b-4c1a-9d2e-5b8e1f7a9c01', '/pause'],
      ['', '', ''],
      ['é "q" \\', 'x'.repeat(40), '\n\x7f'],
      // A surrogate pair split between the parts is escaped as the pair it makes.
      ['a\ud83d', '\ude00b\ud83d', '\ude00'],
      ['plain', 'ü'.repeat(40), 'plain'],
    ];
    const writer = new PythonJsonListWriter('checks');
    for (const [prefix, middle, suffix] of parts) {
      writer.joinedMember('url', prefix, middle, suffix);
      writer.member('after', 1);
      writer.endItem();
    }
    const expected = parts.map(([prefix, middle, suffix]) => ({ url: prefix + middle + suffix, after: 1 }));
    expect(writer.finish().toString('latin1')).toBe(dumpPythonJson({ checks: expected }));
  });
});

describe('pythonRound2', () => {
  it.each([
    [0.125, 0.12],
    [0.375, 0.38],
    [2.675, 2.67],
    [1.005, 1.0],
    [0.005, 0.01],
    [2.896736, 2.9],
    [120, 120],
  ])('rounds %s to %s like round(x, 2)', (value, expected) => {
    expect(pythonRound2(value)).toBe(expected);
  });
});

describe('parsePythonJson', () => {
  const read = (text: string) => parsePythonJson(text) as Record<string, unknown>;

  it('reads integers as numbers and numbers with a fraction or exponent as floats', () => {
    const value = read('{"i": 60, "f": 60.0, "e": 1e2, "n": -0}');
    expect(value.i).toBe(60);
    expect(value.f).toEqual(new PyFloat(60));
    expect(value.e).toEqual(new PyFloat(100));
    expect(value.n).toBe(0);
  });

  it('accepts NaN, Infinity and -Infinity as Python does', () => {
    const value = read('{"a": NaN, "b": Infinity, "c": -Infinity}');
    expect(String(value.a)).toBe('nan');
    expect(String(value.b)).toBe('inf');
    expect(String(value.c)).toBe('-inf');
  });

  it('decodes escapes, including surrogate pairs', () => {
    expect(read('{"a": "\\u00e9\\ud83d\\ude00\\/\\n"}').a).toBe('é😀/\n');
  });

  it('treats a key named __proto__ as an ordinary key', () => {
    const value = read('{"__proto__": {"x": 1}}');
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it.each([
    ['a trailing comma', '{"a": 1,}'],
    ['a leading zero', '{"a": 01}'],
    ['a raw control character in a string', '{"a": "\t"}'],
    ['a byte-order mark', '\ufeff{}'],
    ['an unknown escape', '{"a": "\\x"}'],
    ['trailing data', '{"a": 1} x'],
    ['an empty document', ''],
    ['a bare fraction', '{"a": .5}'],
    ['a plus sign', '{"a": +1}'],
    ['a non-breaking space', '\u00a0{}'],
  ])('refuses %s', (_label, text) => {
    expect(() => parsePythonJson(text)).toThrow(JsonSyntaxError);
  });
});
