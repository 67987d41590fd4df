/**
 * JSON text → Value, keeping numbers exact (OPA reads data and input with json.Number, so an
 * integer beyond 2^53 or a long decimal in data.json must not pass through a double).
 */
import { ObjectValue, parseNumber, type Value } from './value';

export class JSONSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JSONSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_STRING = /"[^"\\\u0000-\u001f]*"/y;

class Reader {
  private i = 0;

  constructor(private readonly s: string) {}

  document(): Value {
    const v = this.value();
    this.space();
    if (this.i < this.s.length) throw this.error('unexpected data after JSON value');
    return v;
  }

  private error(message: string): JSONSyntaxError {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    return new JSONSyntaxError(`${message} at line ${line}`, this.i);
  }

  private space(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else break;
    }
  }

  private value(): Value {
    this.space();
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  private literal(word: string, v: Value): Value {
    if (!this.s.startsWith(word, this.i)) throw this.error('invalid JSON literal');
    this.i += word.length;
    return v;
  }

  private number(): Value {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) throw this.error('invalid JSON value');
    this.i += m[0].length;
    return parseNumber(m[0]);
  }

  private string(): string {
    PLAIN_STRING.lastIndex = this.i;
    const plain = PLAIN_STRING.exec(this.s);
    if (plain) {
      this.i += plain[0].length;
      return plain[0].slice(1, -1);
    }
    const start = this.i;
    let j = start + 1;
    while (j < this.s.length && this.s[j] !== '"') j += this.s[j] === '\\' ? 2 : 1;
    if (j >= this.s.length) throw this.error('unterminated string');
    this.i = j + 1;
    try {
      return JSON.parse(this.s.slice(start, j + 1)) as string;
    } catch {
      this.i = start;
      throw this.error('invalid string');
    }
  }

  private array(): Value[] {
    this.i++;
    const items: Value[] = [];
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return items;
      if (c !== ',') {
        this.i--;
        throw this.error("expected ',' or ']'");
      }
    }
  }

  private object(): ObjectValue {
    this.i++;
    const o = new ObjectValue();
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return o;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') throw this.error('expected string key');
      const key = this.string();
      this.space();
      if (this.s[this.i++] !== ':') {
        this.i--;
        throw this.error("expected ':'");
      }
      o.set(key, this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === '}') return o;
      if (c !== ',') {
        this.i--;
        throw this.error("expected ',' or '}'");
      }
    }
  }
}

/** Parses JSON text to a Value with exact numbers. Throws JSONSyntaxError. */
export function parseJSONValue(text: string): Value {
  return new Reader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).document();
}
