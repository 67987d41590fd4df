/**
 * Rego tokenizer. Scans on demand (the parser pulls one token at a time and may save/restore the
 * scanner state to look ahead), records whether whitespace or a newline preceded each token
 * (Rego separates expressions by newlines and requires `a.b`, `a[b]`, `f(x)` to be adjacent), and
 * collects comments for `# METADATA` annotations.
 */
import { RegoError } from './errors';
import type { Location } from './ast';

export type TokenKind =
  | 'ident'
  | 'keyword'
  | 'number'
  | 'string'
  | 'template'
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier/keyword name, punctuation text, number literal; for strings the decoded value. */
  text: string;
  row: number;
  col: number;
  /** Offset of the first character and one past the last. */
  start: number;
  end: number;
  /** A newline occurred between the previous token and this one. */
  nl: boolean;
  /** Any whitespace or comment occurred between the previous token and this one. */
  ws: boolean;
  /** Template string part: the string ended here (no embedded expression follows). */
  templateEnd?: boolean;
  /** Template string part: backtick (multi-line) template. */
  templateRaw?: boolean;
}

export interface Comment {
  /** Text after the `#`. */
  text: string;
  row: number;
  col: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'as',
  'contains',
  'default',
  'else',
  'every',
  'false',
  'if',
  'import',
  'in',
  'not',
  'null',
  'package',
  'some',
  'true',
  'with',
]);

export interface LexerState {
  pos: number;
  row: number;
  lineStart: number;
  comments: number;
}

/** First characters of the two-character operators `:=`, `==`, `!=`, `<=`, `>=`. */
const TWO_CHAR_FIRST = new Set([58, 61, 33, 60, 62]);
const ONE_CHAR_PUNCT = new Set(['{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '|', '&', '=', '<', '>', '+', '-', '*', '/', '%']);

const SPACE_NONE = 0;
const SPACE_SAME_LINE = 1;
const SPACE_NEWLINE = 2;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export class Lexer {
  private pos = 0;
  private row = 1;
  private lineStart = 0;
  readonly comments: Comment[] = [];

  constructor(
    readonly source: string,
    readonly file: string,
  ) {}

  /** The row where the last scanned token ended. */
  get currentRow(): number {
    return this.row;
  }

  /** The identifier-like word starting at the first non-space character from `offset` ('' if none). */
  peekWord(offset: number): string {
    const src = this.source;
    let i = offset;
    while (i < src.length && (src.charCodeAt(i) <= 32 || src[i] === '#')) {
      if (src[i] === '#') {
        const nl = src.indexOf('\n', i);
        i = nl < 0 ? src.length : nl;
      } else i++;
    }
    let j = i;
    while (j < src.length && isIdentPart(src.charCodeAt(j))) j++;
    return src.slice(i, j);
  }

  /** Steps over one character (error recovery past an illegal character or literal). */
  skipChar(): void {
    if (this.source.charCodeAt(this.pos) === 10) {
      this.row++;
      this.lineStart = this.pos + 1;
    }
    this.pos++;
  }

  save(): LexerState {
    return { pos: this.pos, row: this.row, lineStart: this.lineStart, comments: this.comments.length };
  }

  restore(s: LexerState): void {
    this.pos = s.pos;
    this.row = s.row;
    this.lineStart = s.lineStart;
    this.comments.length = s.comments;
  }

  location(row: number, col: number): Location {
    return { file: this.file, row, col };
  }

  error(message: string, row: number, col: number): RegoError {
    return new RegoError('rego_parse_error', message, this.location(row, col));
  }

  next(): Token {
    const space = this.skipSpace();
    const nl = space === SPACE_NEWLINE;
    const ws = space !== SPACE_NONE;
    const src = this.source;
    const start = this.pos;
    const row = this.row;
    const col = start - this.lineStart + 1;
    const tok = (kind: TokenKind, text: string): Token => ({ kind, text, row, col, start, end: this.pos, nl, ws });
    if (start >= src.length) return tok('eof', '');
    const c = src.charCodeAt(start);
    if (isIdentStart(c)) {
      let i = start + 1;
      while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
      this.pos = i;
      const name = src.slice(start, i);
      return tok(KEYWORDS.has(name) ? 'keyword' : 'ident', name);
    }
    if (isDigit(c)) return tok('number', this.scanNumber());
    if (c === 34 /* " */) return tok('string', this.scanString());
    if (c === 96 /* ` */) return tok('string', this.scanRawString());
    if (c === 36 /* $ */) {
      const q = src.charCodeAt(start + 1);
      if (q === 34 || q === 96) {
        this.pos += 2;
        return this.templatePart(q === 96, row, col, nl, ws);
      }
    }
    if (src.charCodeAt(start + 1) === 61 /* = */ && TWO_CHAR_FIRST.has(c)) {
      this.pos += 2;
      return tok('punct', src.slice(start, start + 2));
    }
    const one = src[start];
    if (ONE_CHAR_PUNCT.has(one)) {
      this.pos += 1;
      return tok('punct', one);
    }
    throw this.error(`illegal token: unexpected character ${JSON.stringify(one)}`, row, col);
  }

  /**
   * Scans the literal text of a template string up to the next embedded `{` (the parser then
   * parses the expression and calls this again after its `}`) or the closing quote.
   */
  templatePart(raw: boolean, row = this.row, col = this.pos - this.lineStart + 1, nl = false, ws = false): Token {
    const src = this.source;
    const start = this.pos;
    const quote = raw ? 96 : 34;
    let text = '';
    let i = this.pos;
    for (;;) {
      if (i >= src.length) throw this.error('non-terminated template string', row, col);
      const c = src.charCodeAt(i);
      if (c === quote) {
        this.pos = i + 1;
        return { kind: 'template', text, row, col, start, end: this.pos, nl, ws, templateEnd: true, templateRaw: raw };
      }
      if (c === 123 /* { */) {
        this.pos = i + 1;
        return { kind: 'template', text, row, col, start, end: this.pos, nl, ws, templateEnd: false, templateRaw: raw };
      }
      if (c === 92 /* \ */ && src.charCodeAt(i + 1) === 123) {
        text += '{';
        i += 2;
        continue;
      }
      if (c === 10) {
        if (!raw) throw this.error('non-terminated template string', row, col);
        this.row++;
        this.lineStart = i + 1;
      }
      if (c === 92 && !raw) {
        const [decoded, next] = this.decodeEscape(i);
        text += decoded;
        i = next;
        continue;
      }
      text += src[i];
      i++;
    }
  }

  /** Skips whitespace and comments: SPACE_NONE, SPACE_SAME_LINE or SPACE_NEWLINE. */
  private skipSpace(): number {
    const src = this.source;
    let space = SPACE_NONE;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 10) {
        space = SPACE_NEWLINE;
        this.pos++;
        this.row++;
        this.lineStart = this.pos;
      } else if (c === 32 || c === 9 || c === 13) {
        if (space === SPACE_NONE) space = SPACE_SAME_LINE;
        this.pos++;
      } else if (c === 35 /* # */) {
        if (space === SPACE_NONE) space = SPACE_SAME_LINE;
        const end = src.indexOf('\n', this.pos);
        const stop = end < 0 ? src.length : end;
        this.comments.push({ text: src.slice(this.pos + 1, stop).replace(/\r$/, ''), row: this.row, col: this.pos - this.lineStart + 1 });
        this.pos = stop;
      } else {
        break;
      }
    }
    return space;
  }

  private scanNumber(): string {
    const src = this.source;
    let i = this.pos;
    while (i < src.length && isDigit(src.charCodeAt(i))) i++;
    if (src.charCodeAt(i) === 46 /* . */ && isDigit(src.charCodeAt(i + 1))) {
      i++;
      while (i < src.length && isDigit(src.charCodeAt(i))) i++;
    }
    const e = src.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      const sign = src.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (isDigit(src.charCodeAt(j))) {
        while (j < src.length && isDigit(src.charCodeAt(j))) j++;
        i = j;
      }
    }
    const text = src.slice(this.pos, i);
    this.pos = i;
    return text;
  }

  private scanString(): string {
    const src = this.source;
    const row = this.row;
    const col = this.pos - this.lineStart + 1;
    let i = this.pos + 1;
    let out = '';
    let chunkStart = i;
    for (;;) {
      if (i >= src.length) throw this.error('non-terminated string', row, col);
      const c = src.charCodeAt(i);
      if (c === 34) {
        out += src.slice(chunkStart, i);
        this.pos = i + 1;
        return out;
      }
      if (c === 10) throw this.error('non-terminated string', row, col);
      if (c === 92) {
        out += src.slice(chunkStart, i);
        const [decoded, next] = this.decodeEscape(i);
        out += decoded;
        i = next;
        chunkStart = i;
        continue;
      }
      i++;
    }
  }

  /** JSON string escapes, including `\uXXXX` surrogate pairs; `i` points at the backslash. */
  private decodeEscape(i: number): [string, number] {
    const src = this.source;
    const e = src[i + 1];
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (e !== undefined && e in simple) return [simple[e], i + 2];
    if (e === 'u') {
      const hex = src.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(`illegal string literal: invalid escape \\u${hex}`, this.row, i - this.lineStart + 1);
      // Surrogate halves come in consecutive escapes; String.fromCharCode joins them as JSON does.
      return [String.fromCharCode(parseInt(hex, 16)), i + 6];
    }
    throw this.error(`illegal string literal: invalid escape \\${e ?? ''}`, this.row, i - this.lineStart + 1);
  }

  private scanRawString(): string {
    const src = this.source;
    const row = this.row;
    const col = this.pos - this.lineStart + 1;
    const end = src.indexOf('`', this.pos + 1);
    if (end < 0) throw this.error('non-terminated raw string', row, col);
    const text = src.slice(this.pos + 1, end);
    for (let i = this.pos + 1; i < end; i++) {
      if (src.charCodeAt(i) === 10) {
        this.row++;
        this.lineStart = i + 1;
      }
    }
    this.pos = end + 1;
    return text;
  }
}
