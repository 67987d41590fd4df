/**
 * glob.match with gobwas/glob syntax: `*` (any run without delimiters), `**` (any run), `?`
 * (one non-delimiter character), `[abc]`, `[a-z]`, `[!…]`, `{alt1,alt2}` and `\` escapes.
 * Globs of literals and stars match directly (star-glob.ts); others compile to RE2 patterns
 * (linear-time matching). Both are cached by glob and delimiters.
 */
import { RE2JS } from 're2js';
import { BuiltinError } from '../errors';
import { isArray, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { elementTypeError, operandTypeError, stringOperand, stringsOf } from './operands';
import { BoundedCache } from './bounded-cache';
import { starGlob, type GlobMatcher } from './star-glob';

/** Pure memo of compiled globs (see regex.ts), bounded against input-supplied patterns. */
const COMPILED = new BoundedCache<string, GlobMatcher | BuiltinError>(1000);
/** The same for globs without delimiters (the common case), keyed by the glob alone. */
const COMPILED_UNDELIMITED = new BoundedCache<string, GlobMatcher | BuiltinError>(1000);

function quoteRune(ch: string): string {
  return /[\\.+*?()|[\]{}^$]/.test(ch) ? '\\' + ch : ch;
}

/** A rune inside an RE2 character class, escaped when the class syntax would read it. */
function classRune(c: string): string {
  return /[\\\][^-]/.test(c) ? '\\' + c : c;
}

function classText(delims: string[]): string {
  return delims.map(classRune).join('');
}

class GlobCompiler {
  private i = 0;
  private readonly cps: string[];

  constructor(
    private readonly glob: string,
    private readonly delims: string[],
  ) {
    this.cps = Array.from(glob);
  }

  compile(): string {
    const body = this.sequence(false);
    if (this.i < this.cps.length) throw this.error();
    return '^' + body + '$';
  }

  private error(): BuiltinError {
    return new BuiltinError(`unexpected end of input or invalid glob: ${JSON.stringify(this.glob)}`);
  }

  private any(): string {
    return this.delims.length === 0 ? '(?s:.)' : `[^${classText(this.delims)}]`;
  }

  private sequence(inAlternatives: boolean): string {
    let out = '';
    while (this.i < this.cps.length) {
      const c = this.cps[this.i];
      if (inAlternatives && (c === ',' || c === '}')) break;
      this.i++;
      switch (c) {
        case '*':
          if (this.cps[this.i] === '*') {
            this.i++;
            out += '(?s:.*)';
          } else {
            out += this.any() + '*';
          }
          break;
        case '?':
          out += this.any();
          break;
        case '[':
          out += this.charClass();
          break;
        case '{':
          out += this.alternatives();
          break;
        case '\\':
          if (this.i >= this.cps.length) throw this.error();
          out += quoteRune(this.cps[this.i++]);
          break;
        default:
          out += quoteRune(c);
      }
    }
    return out;
  }

  /**
   * gobwas reads `[lo-hi]` or a list of runes (`\\` escapes allowed), either optionally negated
   * with a leading `!`; a range followed by anything but `]` is an error.
   */
  private charClass(): string {
    let out = '[';
    if (this.cps[this.i] === '!') {
      out += '^';
      this.i++;
    }
    if (this.cps[this.i + 1] === '-' && this.cps[this.i] !== undefined) {
      const lo = this.cps[this.i];
      const hi = this.cps[this.i + 2];
      if (hi === undefined || this.cps[this.i + 3] !== ']') throw this.error();
      this.i += 4;
      // gobwas accepts an inverted range, which then matches no rune.
      if ((lo.codePointAt(0) as number) > (hi.codePointAt(0) as number)) {
        return out === '[^' ? '(?s:.)' : '[^\\x{0}-\\x{10FFFF}]';
      }
      return out + classRune(lo) + '-' + classRune(hi) + ']';
    }
    let closed = false;
    while (this.i < this.cps.length) {
      let c = this.cps[this.i++];
      if (c === ']') {
        closed = true;
        break;
      }
      if (c === '\\') {
        if (this.i >= this.cps.length) throw this.error();
        c = this.cps[this.i++];
      }
      out += classRune(c);
    }
    if (!closed) throw this.error();
    return out + ']';
  }

  private alternatives(): string {
    const alts: string[] = [];
    for (;;) {
      alts.push(this.sequence(true));
      const c = this.cps[this.i++];
      if (c === '}') break;
      if (c !== ',') throw this.error();
    }
    return '(?:' + alts.join('|') + ')';
  }
}

/** The RE2 translation of any glob; throws BuiltinError for a malformed one. */
export function globToRE2(glob: string, delims: string[]): RE2JS {
  return RE2JS.compile(new GlobCompiler(glob, delims).compile());
}

export function compileGlob(glob: string, delims: string[]): GlobMatcher {
  // Delimiters are single runes, so their count and text delimit them unambiguously.
  const cache = delims.length === 0 ? COMPILED_UNDELIMITED : COMPILED;
  const key = delims.length === 0 ? glob : `${delims.length}:${delims.join('')}:${glob}`;
  const re = cache.getOrCompute(key, () => {
    try {
      return starGlob(glob, delims) ?? globToRE2(glob, delims);
    } catch (e) {
      return e instanceof BuiltinError ? e : new BuiltinError(e instanceof Error ? e.message : String(e));
    }
  });
  if (re instanceof BuiltinError) throw re;
  return re;
}

/** null: no delimiters; an empty array: the default ["."]; otherwise single-rune strings. */
function delimitersOf(v: Value): string[] {
  if (v === null) return [];
  if (!isArray(v)) throw operandTypeError(2, v, 'array', 'null');
  if (v.length === 0) return ['.'];
  return stringsOf(v, 2).map((d, i) => {
    if (Array.from(d).length !== 1) throw elementTypeError(2, v, v[i], 'rune');
    return d;
  });
}

export const globBuiltins: BuiltinDef[] = [
  builtin({
    name: 'glob.match',
    category: 'glob',
    args: ['string', { anyOf: ['null', { array: 'string' }] }, 'string'],
    result: 'boolean',
    impl: ([p, d, s]) => compileGlob(stringOperand(p, 1), delimitersOf(d)).matches(stringOperand(s, 3)),
  }),
  builtin({
    name: 'glob.quote_meta',
    category: 'glob',
    args: ['string'],
    result: 'string',
    impl: ([s]) => stringOperand(s, 1).replace(/[*?,\\[\]{}]/g, (c) => '\\' + c),
  }),
];
