// JSON as Python's `json` module reads and writes it, because Healthchecks clients see exactly
// that: `json.dumps` defaults on the way out (", " and ": " separators, every character outside
// printable ASCII escaped as \uXXXX, floats always with a fraction or an exponent) and
// `json.loads` on the way in (floats stay distinguishable from integers, NaN and Infinity are
// accepted, a byte-order mark is an error).

// Set when JSON.stringify meets a PyFloat: its output then needs the exact (slower) writer.
let floatsSeen = false;

/** A JSON number that Python holds as a float: `60.0` is not the integer `60` to a strict validator. */
export class PyFloat {
  constructor(readonly value: number) {}

  /** Python's `str(float)` (what a key in a JSON body becomes): json.dumps differs only for nan and inf. */
  toString(): string {
    if (Number.isNaN(this.value)) return 'nan';
    if (!Number.isFinite(this.value)) return this.value > 0 ? 'inf' : '-inf';
    return pythonFloatRepr(this.value);
  }

  toJSON(): number {
    floatsSeen = true;
    return this.value;
  }
}

export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest digits that round-trip, as repr does.
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  // repr switches to scientific notation below 1e-4 and from 1e16 on.
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  } else if (exponent < 0) {
    out = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  } else if (digits.length <= exponent + 1) {
    out = `${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  }
  return negative ? `-${out}` : out;
}

/** Python's round(x, 2): the exact binary value decides, and exact ties go to the even digit. */
export function pythonRound2(value: number): number {
  // toFixed rounds the exact binary value too, but sends exact ties up. Ties are only possible
  // for multiples of 1/8 (0.125, 0.375, …), where value * 100 is exact.
  const hundredths = value * 100;
  const floor = Math.floor(hundredths);
  if (Number.isInteger(value * 8) && hundredths - floor === 0.5) return (floor % 2 === 0 ? floor : floor + 1) / 100;
  return Number(value.toFixed(2));
}

// ---- writing ----

/**
 * `json.dumps(value)` with Python's defaults. Numbers are written as JavaScript writes them (the
 * same as Python for integers); wrap a float in PyFloat to get Python's `300.0`. Object keys come
 * in JavaScript's order, which puts integer-like keys first.
 */
export function dumpPythonJson(value: unknown): string {
  return dumpPythonJsonBytes(value).toString('latin1');
}

/** The same as ASCII bytes, ready for a socket (a list of 10,000 checks is ~10 MB). */
export function dumpPythonJsonBytes(value: unknown): Buffer {
  floatsSeen = false;
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`cannot write ${typeof value} as JSON`);
  // The native writer does the heavy lifting; only payloads with floats, which are small (ping
  // logs), take the exact path.
  return floatsSeen ? Buffer.from(dumpTree(value), 'latin1') : pythonLayout(json);
}

/** Receives an object's members in order (see PythonJsonListWriter and ObjectMembers). */
export interface MemberSink {
  member(key: string, value: unknown): void;
  /**
   * The string member `prefix + middle + suffix`, whose prefix and suffix are the same few
   * strings in every object (URLs): a writer may keep their bytes rather than join each time.
   */
  joinedMember(key: string, prefix: string, middle: string, suffix: string): void;
}

/** Collects members into a plain object, for dumpPythonJson or a reply. */
export class ObjectMembers implements MemberSink {
  readonly object: Record<string, unknown> = {};

  member(key: string, value: unknown): void {
    this.object[key] = value;
  }

  joinedMember(key: string, prefix: string, middle: string, suffix: string): void {
    this.object[key] = prefix + middle + suffix;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FIRST_BUFFER_BYTES = 64 * 1024;
// From about a UUID's length on, a regular expression test and Buffer.write (native code, with a
// cost per call) copy plain text faster than a loop over its characters (measured).
const NATIVE_COPY_FROM = 32;

/**
 * `json.dumps({key: [object, …]})` for a long list of objects (10,000 checks make ~10 MB), each
 * given member by member and written straight into bytes: no object per item, no JSON.stringify
 * walk and no second pass into Python's layout. Strings that are printable ASCII without `"` or
 * `\` (nearly all) are copied as they are, others escaped by pythonString; numbers, booleans and
 * null are written as JSON.stringify writes them, and any other value by dumpPythonJson. So the
 * bytes are always what dumpPythonJson writes for the list of objects that ObjectMembers would
 * collect from the same members (undefined is left out, as JSON.stringify leaves it out).
 */
export class PythonJsonListWriter implements MemberSink {
  private bytes = Buffer.allocUnsafe(FIRST_BUFFER_BYTES);
  private length = 0;
  private items = 0;
  private membersOfItem = 0;
  // Per key, `"key": ` and `, "key": ` as bytes: every item repeats the same few keys.
  private readonly keyBytes = new Map<string, [Buffer, Buffer]>();
  // The escaped prefixes and suffixes of joinedMember.
  private readonly constantBodies = new Map<string, Buffer>();

  constructor(key: string) {
    this.ascii(`{${pythonString(key)}: [`);
  }

  member(key: string, value: unknown): void {
    if (value === undefined) return;
    this.key(key);
    if (typeof value === 'string') this.string(value);
    // As JSON.stringify writes numbers: finite ones as String() does, others as null.
    else if (typeof value === 'number') this.ascii(Number.isFinite(value) ? String(value) : 'null');
    else if (typeof value === 'boolean') this.ascii(value ? 'true' : 'false');
    else if (value === null) this.ascii('null');
    else this.ascii(dumpPythonJson(value));
  }

  joinedMember(key: string, prefix: string, middle: string, suffix: string): void {
    this.key(key);
    this.ascii('"');
    // JSON escapes character by character, so the escaped parts make the escaped whole.
    this.copy(this.constantBody(prefix));
    this.body(middle);
    this.copy(this.constantBody(suffix));
    this.ascii('"');
  }

  /** Closes the current item; the next member opens another. */
  endItem(): void {
    if (this.membersOfItem === 0) this.ascii(this.items === 0 ? '{' : ', {');
    this.ascii('}');
    this.items++;
    this.membersOfItem = 0;
  }

  finish(): Buffer {
    this.ascii(']}');
    return this.bytes.subarray(0, this.length);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + bytes));
    this.bytes.copy(larger, 0, 0, this.length);
    this.bytes = larger;
  }

  /** `"key": ` with what goes before it: `{` opens an item, `, ` follows a member. */
  private key(key: string): void {
    let keyBytes = this.keyBytes.get(key);
    if (keyBytes === undefined) {
      const text = `${pythonString(key)}: `;
      keyBytes = [Buffer.from(text, 'latin1'), Buffer.from(`, ${text}`, 'latin1')];
      this.keyBytes.set(key, keyBytes);
    }
    if (this.membersOfItem++ === 0) {
      this.ascii(this.items === 0 ? '{' : ', {');
      this.copy(keyBytes[0]);
    } else {
      this.copy(keyBytes[1]);
    }
  }

  /** The escaped text of a string repeated in every item, between its quotes, as bytes. */
  private constantBody(text: string): Buffer {
    let bytes = this.constantBodies.get(text);
    if (bytes === undefined) {
      bytes = Buffer.from(pythonString(text).slice(1, -1), 'latin1');
      this.constantBodies.set(text, bytes);
    }
    return bytes;
  }

  private copy(bytes: Buffer): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Text known to be ASCII, as it is. */
  private ascii(text: string): void {
    this.room(text.length);
    const { bytes } = this;
    let at = this.length;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** A string as pythonString writes it. */
  private string(text: string): void {
    this.ascii('"');
    this.body(text);
    this.ascii('"');
  }

  /** A string's escaped text, without its quotes. */
  private body(text: string): void {
    this.room(text.length);
    const end = this.plain(text, this.length);
    if (end < 0) this.ascii(pythonString(text).slice(1, -1));
    else this.length = end;
  }

  /**
   * Copies `text` to `at` (room made) if it is plain, and returns where it ends; -1 if it is
   * not, which leaves the escaping to pythonString.
   */
  private plain(text: string, at: number): number {
    const { bytes } = this;
    if (text.length >= NATIVE_COPY_FROM) return PLAIN_STRING.test(text) ? at + bytes.write(text, at, 'latin1') : -1;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit < 0x20 || unit > 0x7e || unit === QUOTE || unit === BACKSLASH) return -1;
      bytes[at++] = unit;
    }
    return at;
  }
}

// Printable ASCII without `"` and `\\`: written between quotes as it is.
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** One string as json.dumps writes it. */
export function pythonString(text: string): string {
  return PLAIN_STRING.test(text) ? `"${text}"` : pythonLayout(JSON.stringify(text)).toString('latin1');
}

const HEX = '0123456789abcdef';

/**
 * Writes \uXXXX for one UTF-16 unit at `o` and returns the position after it. (A function of its
 * own: a closure over the output position would make every write in the main loop slower.)
 */
function writeUnit(out: Buffer, o: number, unit: number): number {
  out[o] = 0x5c;
  out[o + 1] = 0x75;
  out[o + 2] = HEX.charCodeAt((unit >> 12) & 15);
  out[o + 3] = HEX.charCodeAt((unit >> 8) & 15);
  out[o + 4] = HEX.charCodeAt((unit >> 4) & 15);
  out[o + 5] = HEX.charCodeAt(unit & 15);
  return o + 6;
}

/**
 * JSON.stringify's compact output in Python's layout, in one pass over its UTF-8 bytes: a space
 * after every `,` and `:` outside strings, and every character from DEL up escaped as \uXXXX
 * (astral characters as surrogate pairs). JSON.stringify already escapes quotes, backslashes,
 * control characters and lone surrogates exactly as Python does.
 */
function pythonLayout(json: string): Buffer {
  const input = Buffer.from(json, 'utf8');
  const end = input.length;
  // Worst case: a separator gains a space, DEL becomes 6 bytes, a 2- or 4-byte UTF-8 sequence 6 or
  // 12. Without DEL or non-ASCII text (UTF-8 no longer than the text), twice the input is enough.
  const plain = end === json.length && !json.includes('\u007f');
  const out = Buffer.allocUnsafe(plain ? end * 2 : end * 6);
  let o = 0;
  let i = 0;
  while (i < end) {
    let byte = input[i++] as number;
    out[o++] = byte;
    if (byte === 0x2c || byte === 0x3a) out[o++] = 0x20;
    if (byte !== 0x22) continue;
    // A string: copy its body up to the closing quote, in a loop of its own (most bytes are here).
    for (;;) {
      byte = input[i++] as number;
      if (byte < 0x7f && byte !== 0x5c) {
        out[o++] = byte;
        if (byte === 0x22) break;
      } else if (byte === 0x5c) {
        // An escape: the next byte is taken as it is (a quote there does not end the string).
        out[o++] = byte;
        out[o++] = input[i++] as number;
      } else if (byte === 0x7f) {
        o = writeUnit(out, o, 0x7f);
      } else {
        const b1 = (input[i] as number) & 0x3f;
        let codePoint: number;
        if (byte < 0xe0) {
          codePoint = ((byte & 0x1f) << 6) | b1;
          i += 1;
        } else if (byte < 0xf0) {
          codePoint = ((byte & 0x0f) << 12) | (b1 << 6) | ((input[i + 1] as number) & 0x3f);
          i += 2;
        } else {
          codePoint = ((byte & 0x07) << 18) | (b1 << 12) | (((input[i + 1] as number) & 0x3f) << 6) | ((input[i + 2] as number) & 0x3f);
          i += 3;
        }
        if (codePoint >= 0x10000) {
          o = writeUnit(out, o, 0xd800 + ((codePoint - 0x10000) >> 10));
          o = writeUnit(out, o, 0xdc00 + ((codePoint - 0x10000) & 0x3ff));
        } else {
          o = writeUnit(out, o, codePoint);
        }
      }
    }
  }
  return out.subarray(0, o);
}

/** The exact writer, value by value: floats as Python's repr. */
function dumpTree(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return pythonString(value);
    case 'number':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof PyFloat) return pythonFloatRepr(value.value);
      if (Array.isArray(value)) return `[${value.map((item) => dumpTree(item ?? null)).join(', ')}]`;
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return dumpTree(toJSON.call(value));
      const members: string[] = [];
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) members.push(`${pythonString(key)}: ${dumpTree(item)}`);
      }
      return `{${members.join(', ')}}`;
    }
    default:
      throw new TypeError(`cannot write ${typeof value} as JSON`);
  }
}

// ---- reading ----

export class JsonSyntaxError extends Error {}

/**
 * `json.loads(text)`: integers become numbers, numbers with a fraction or an exponent (and NaN,
 * Infinity, -Infinity) become PyFloat. Raw control characters in strings and a leading
 * byte-order mark are errors, as they are in Python.
 */
export function parsePythonJson(text: string): unknown {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.value();
  parser.skipWhitespace();
  if (parser.pos !== text.length) throw new JsonSyntaxError('extra data');
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const NAMED_CONSTANTS: [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', new PyFloat(NaN)],
  ['Infinity', new PyFloat(Infinity)],
  ['-Infinity', new PyFloat(-Infinity)],
];
const ESCAPED: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  pos = 0;

  constructor(private readonly text: string) {}

  skipWhitespace(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  value(): unknown {
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, value] of NAMED_CONSTANTS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw new JsonSyntaxError(`unexpected character at ${this.pos}`);
    this.pos += match[0].length;
    const parsed = Number(match[0]);
    // `-0` is the integer 0 in Python; adding 0 turns JavaScript's -0 into 0.
    return match[1] !== undefined || match[2] !== undefined ? new PyFloat(parsed) : parsed + 0;
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) throw new JsonSyntaxError(`expected ${char} at ${this.pos}`);
    this.pos++;
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError(`expected a key at ${this.pos}`);
      const key = this.string();
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      // defineProperty, so that a key named __proto__ is an ordinary key as in Python.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      this.expect(',');
    }
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.value());
      this.skipWhitespace();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return out;
      }
      this.expect(',');
    }
  }

  private string(): string {
    const { text } = this;
    this.pos++;
    let out = '';
    let plainFrom = this.pos;
    for (;;) {
      if (this.pos >= text.length) throw new JsonSyntaxError('unterminated string');
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += text.slice(plainFrom, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) throw new JsonSyntaxError(`invalid control character at ${this.pos}`);
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += text.slice(plainFrom, this.pos);
      const escape = text[this.pos + 1];
      if (escape === 'u') {
        const hex = text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError(`invalid \\u escape at ${this.pos}`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else {
        const replacement = escape === undefined ? undefined : ESCAPED[escape];
        if (replacement === undefined) throw new JsonSyntaxError(`invalid escape at ${this.pos}`);
        out += replacement;
        this.pos += 2;
      }
      plainFrom = this.pos;
    }
  }
}
