/** GraphQL tokens, read as gqlparser's lexer reads them (same token names and error texts). */
import { GraphQLSyntaxError, type Position } from './ast';

export type TokenKind =
  | '<Invalid>' | '<EOF>' | '!' | '$' | '&' | '(' | ')' | '...' | ':' | '=' | '@' | '[' | ']' | '{' | '}' | '|'
  | 'Name' | 'Int' | 'Float' | 'String' | 'BlockString';

export interface Token {
  kind: TokenKind;
  value: string;
  pos: Position;
  /** Set on `<Invalid>` tokens: the lexer's own error, raised when the parser consumes the token. */
  error?: GraphQLSyntaxError;
}

export function describeToken(t: Token): string {
  return t.value !== '' ? `${t.kind} ${JSON.stringify(t.value)}` : t.kind;
}

const PUNCTUATORS: Record<string, TokenKind> = {
  '!': '!', $: '$', '&': '&', '(': '(', ')': ')', ':': ':', '=': '=', '@': '@', '[': '[', ']': ']', '{': '{', '}': '}', '|': '|',
};

function isNameStart(c: string): boolean {
  return c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9');
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Common indentation removed, leading and trailing blank lines dropped (the spec's BlockStringValue). */
function blockStringValue(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  let common: number | null = null;
  for (let i = 1; i < lines.length; i++) {
    const indent = lines[i].length - lines[i].replace(/^[ \t]+/, '').length;
    if (indent < lines[i].length && (common === null || indent < common)) common = indent;
  }
  if (common) for (let i = 1; i < lines.length; i++) lines[i] = lines[i].slice(common);
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n');
}

export class Lexer {
  private end = 0;
  private line = 1;
  private lineStart = 0;
  private start = 0;

  constructor(private readonly input: string) {}

  private token(kind: TokenKind, value: string): Token {
    return { kind, value, pos: { line: this.line, column: this.start - this.lineStart + 1 } };
  }

  private invalid(message: string): Token {
    const column = this.end - this.lineStart + 1;
    return {
      kind: '<Invalid>',
      value: '',
      pos: { line: this.line, column },
      error: new GraphQLSyntaxError(message, this.line, column),
    };
  }

  private skipIgnored(): void {
    const s = this.input;
    while (this.end < s.length) {
      const c = s[this.end];
      if (c === '\t' || c === ' ' || c === ',' || c === '\ufeff') {
        this.end++;
      } else if (c === '\n' || c === '\r') {
        this.end++;
        if (c === '\r' && s[this.end] === '\n') this.end++;
        this.line++;
        this.lineStart = this.end;
      } else if (c === '#') {
        while (this.end < s.length && s[this.end] !== '\n' && s[this.end] !== '\r') this.end++;
      } else {
        return;
      }
    }
  }

  next(): Token {
    this.skipIgnored();
    this.start = this.end;
    const s = this.input;
    if (this.end >= s.length) return this.token('<EOF>', '');
    const c = s[this.end];
    if (PUNCTUATORS[c]) {
      this.end++;
      return this.token(PUNCTUATORS[c], '');
    }
    if (c === '.' && s.startsWith('...', this.end)) {
      this.end += 3;
      return this.token('...', '');
    }
    if (isNameStart(c)) {
      while (this.end < s.length && isNameChar(s[this.end])) this.end++;
      return this.token('Name', s.slice(this.start, this.end));
    }
    if (c === '-' || isDigit(c)) return this.readNumber();
    if (c === '"') return s.startsWith('"""', this.end) ? this.readBlockString() : this.readString();
    const code = c.charCodeAt(0);
    if (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') {
      return this.invalid(`Cannot contain the invalid character "\\u${String(code).padStart(4, '0')}"`);
    }
    if (c === "'") return this.invalid(`Unexpected single quote character ('), did you mean to use a double quote (")?`);
    return this.invalid(`Cannot parse the unexpected character "${String.fromCodePoint(s.codePointAt(this.end)!)}".`);
  }

  private describeNext(): string {
    return this.end < this.input.length ? `"${this.input[this.end]}"` : '<EOF>';
  }

  private digits(): number {
    const from = this.end;
    while (isDigit(this.input[this.end])) this.end++;
    return this.end - from;
  }

  private readNumber(): Token {
    const s = this.input;
    let float = false;
    if (s[this.end] === '-') this.end++;
    if (s[this.end] === '0') {
      this.end++;
      if (isDigit(s[this.end])) return this.invalid(`Invalid number, unexpected digit after 0: ${this.describeNext()}.`);
    } else if (this.digits() === 0) {
      return this.invalid(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    if (s[this.end] === '.') {
      float = true;
      this.end++;
      if (this.digits() === 0) return this.invalid(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    if (s[this.end] === 'e' || s[this.end] === 'E') {
      float = true;
      this.end++;
      if (s[this.end] === '-' || s[this.end] === '+') this.end++;
      if (this.digits() === 0) return this.invalid(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    return this.token(float ? 'Float' : 'Int', s.slice(this.start, this.end));
  }

  private readString(): Token {
    const s = this.input;
    this.end++;
    let value = '';
    while (this.end < s.length) {
      const c = s[this.end];
      if (c === '\n' || c === '\r') break;
      if (c.charCodeAt(0) < 0x20 && c !== '\t') {
        return this.invalid(`Invalid character within String: "\\u${String(c.charCodeAt(0)).padStart(4, '0')}".`);
      }
      if (c === '"') {
        this.end++;
        // gqlparser positions a string at its first character, after the quote.
        return { kind: 'String', value, pos: { line: this.line, column: this.start - this.lineStart + 2 } };
      }
      if (c !== '\\') {
        value += c;
        this.end++;
        continue;
      }
      const escape = s[this.end + 1];
      if (escape === undefined) {
        this.end++;
        return this.invalid('Invalid character escape sequence.');
      }
      if (escape === 'u') {
        const hex = s.slice(this.end + 2, this.end + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.end++;
          return this.invalid(`Invalid character escape sequence: \\${s.slice(this.end, this.end + 5)}.`);
        }
        value += String.fromCharCode(parseInt(hex, 16));
        this.end += 6;
        continue;
      }
      const simple: Record<string, string> = { '"': '"', '/': '/', '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (simple[escape] === undefined) {
        this.end++;
        return this.invalid(`Invalid character escape sequence: \\${escape}.`);
      }
      value += simple[escape];
      this.end += 2;
    }
    return this.invalid('Unterminated string.');
  }

  private readBlockString(): Token {
    const s = this.input;
    const startColumn = this.start - this.lineStart + 4;
    this.end += 3;
    let raw = '';
    while (this.end < s.length) {
      if (s.startsWith('"""', this.end)) {
        this.end += 3;
        // gqlparser reports the line where the block ends, with the column where its text began.
        return { kind: 'BlockString', value: blockStringValue(raw), pos: { line: this.line, column: startColumn } };
      }
      const c = s[this.end];
      if (c.charCodeAt(0) < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') {
        return this.invalid(`Invalid character within String: "\\u${String(c.charCodeAt(0)).padStart(4, '0')}".`);
      }
      if (s.startsWith('\\"""', this.end)) {
        raw += '"""';
        this.end += 4;
      } else if (c === '\n' || c === '\r') {
        raw += '\n';
        this.end += c === '\r' && s[this.end + 1] === '\n' ? 2 : 1;
        this.line++;
        this.lineStart = this.end;
      } else {
        raw += c;
        this.end++;
      }
    }
    return this.invalid('Unterminated string.');
  }
}
