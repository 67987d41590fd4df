/**
 * Regular expressions with Go's RE2 semantics (linear time, no backreferences or lookaround,
 * Go's syntax and error messages) via re2js, a port of RE2. Indices from re2js are UTF-16
 * offsets into the JS string, which is all these built-ins need.
 */
import { RE2JS } from 're2js';
import { BuiltinError } from '../errors';
import { type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { intOperand, stringOperand } from './operands';
import { BoundedCache } from './bounded-cache';
import { globsIntersect } from './regex-globs';

/**
 * Compiled patterns are pure functions of their source, so one process-wide memo is safe to share
 * between policies and queries; it is bounded so that input-supplied patterns cannot grow it.
 */
const COMPILED = new BoundedCache<string, RE2JS | BuiltinError>(1000);

export function compileRegex(pattern: string): RE2JS {
  const re = COMPILED.getOrCompute(pattern, () => {
    try {
      return RE2JS.compile(pattern);
    } catch (e) {
      return new BuiltinError(e instanceof Error ? e.message : String(e));
    }
  });
  if (re instanceof BuiltinError) throw re;
  return re;
}

type Match = (number | null)[];

function allMatches(re: RE2JS, s: string, n: number): Match[] {
  if (n === 0) return [];
  return re.re2().findAllSubmatchIndex(s, n < 0 ? -1 : n) ?? [];
}

/** regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups expand to nothing. */
function expand(template: string, s: string, m: Match, names: Record<string, number>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const braced = template[i] === '{';
    const re = braced ? /^\{([A-Za-z0-9_]+)\}/ : /^([A-Za-z0-9_]+)/;
    const ref = re.exec(template.slice(i));
    if (!ref) {
      out += '$';
      continue;
    }
    i += ref[0].length;
    const name = ref[1];
    const group = /^\d+$/.test(name) ? Number(name) : names[name];
    if (group !== undefined && 2 * group + 1 < m.length) {
      const start = m[2 * group];
      const end = m[2 * group + 1];
      if (start !== null && end !== null && start >= 0) out += s.slice(start, end);
    }
  }
  return out;
}

function match([p, s]: Value[]): Value {
  return compileRegex(stringOperand(p, 1)).test(stringOperand(s, 2));
}

function replace([s, p, r]: Value[]): Value {
  const str = stringOperand(s, 1);
  const re = compileRegex(stringOperand(p, 2));
  const repl = stringOperand(r, 3);
  const names = re.namedGroups();
  let out = '';
  let last = 0;
  for (const m of allMatches(re, str, -1)) {
    out += str.slice(last, m[0] as number) + expand(repl, str, m, names);
    last = m[1] as number;
  }
  return out + str.slice(last);
}

/** regexp.Split(s, -1). */
function split([p, s]: Value[]): Value {
  const re = compileRegex(stringOperand(p, 1));
  const str = stringOperand(s, 2);
  if (re.pattern().length > 0 && str.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of allMatches(re, str, -1)) {
    end = m[0] as number;
    if (m[1] !== 0) out.push(str.slice(beg, end));
    beg = m[1] as number;
  }
  if (end !== str.length) out.push(str.slice(beg));
  return out;
}

function submatches(s: string, m: Match): string[] {
  const out: string[] = [];
  for (let g = 0; g < m.length; g += 2) {
    const start = m[g];
    const end = m[g + 1];
    out.push(start === null || end === null || start < 0 ? '' : s.slice(start, end));
  }
  return out;
}

/** regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => '\\' + c);
}

/**
 * Gorilla-mux style templates (OPA's regex_template.go): regex between single-byte delimiters,
 * literal text elsewhere, anchored at both ends; nested delimiters count levels.
 */
function templateRegex(template: string, open: string, close: string): string {
  const spans: [number, number][] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] === open) {
      if (++level === 1) start = i;
    } else if (template[i] === close) {
      if (--level === 0) spans.push([start, i + 1]);
      else if (level < 0) throw new BuiltinError(`unbalanced braces in ${JSON.stringify(template)}`);
    }
  }
  if (level !== 0) throw new BuiltinError(`unbalanced braces in ${JSON.stringify(template)}`);
  let pattern = '^';
  let end = 0;
  for (const [from, to] of spans) {
    const inner = template.slice(from + 1, to - 1);
    compileRegex(`^${inner}$`);
    pattern += quoteMeta(template.slice(end, from)) + '(' + inner + ')';
    end = to;
  }
  return pattern + quoteMeta(template.slice(end)) + '$';
}

function templateMatch([t, s, open, close]: Value[]): Value {
  const template = stringOperand(t, 1);
  const subject = stringOperand(s, 2);
  const startDelim = stringOperand(open, 3);
  const endDelim = stringOperand(close, 4);
  for (const [which, d] of [['start', startDelim], ['end', endDelim]] as const) {
    const bytes = Buffer.byteLength(d);
    if (bytes !== 1) throw new BuiltinError(`${which} delimiter has to be exactly one character long but is ${bytes} long`);
  }
  return compileRegex(templateRegex(template, startDelim, endDelim)).test(subject);
}

export const regexBuiltins: BuiltinDef[] = [
  builtin({
    name: 'regex.is_valid',
    category: 'regex',
    args: ['string'],
    result: 'boolean',
    impl: ([p]) => {
      if (typeof p !== 'string') return false;
      try {
        compileRegex(p);
        return true;
      } catch {
        return false;
      }
    },
  }),
  builtin({ name: 'regex.match', category: 'regex', args: ['string', 'string'], result: 'boolean', impl: match }),
  builtin({ name: 're_match', category: 'regex', args: ['string', 'string'], result: 'boolean', deprecated: true, impl: match }),
  builtin({
    name: 'regex.find_n',
    category: 'regex',
    args: ['string', 'string', 'number'],
    result: { array: 'string' },
    impl: ([p, s, n]) => {
      const re = compileRegex(stringOperand(p, 1));
      const str = stringOperand(s, 2);
      return allMatches(re, str, intOperand(n, 3)).map((m) => str.slice(m[0] as number, m[1] as number));
    },
  }),
  builtin({
    name: 'regex.find_all_string_submatch_n',
    category: 'regex',
    args: ['string', 'string', 'number'],
    result: { array: { array: 'string' } },
    impl: ([p, s, n]) => {
      const re = compileRegex(stringOperand(p, 1));
      const str = stringOperand(s, 2);
      return allMatches(re, str, intOperand(n, 3)).map((m) => submatches(str, m));
    },
  }),
  builtin({ name: 'regex.replace', category: 'regex', args: ['string', 'string', 'string'], result: 'string', impl: replace }),
  builtin({ name: 'regex.split', category: 'regex', args: ['string', 'string'], result: { array: 'string' }, impl: split }),
  builtin({
    name: 'regex.template_match',
    category: 'regex',
    args: ['string', 'string', 'string', 'string'],
    result: 'boolean',
    impl: templateMatch,
  }),
  builtin({
    name: 'regex.globs_match',
    category: 'regex',
    args: ['string', 'string'],
    result: 'boolean',
    impl: ([a, b]) => globsIntersect(stringOperand(a, 1), stringOperand(b, 2)),
  }),
];
