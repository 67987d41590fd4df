/**
 * String built-ins. Go strings are UTF-8 and OPA counts positions in runes (code points), so
 * indices here are code-point indices, never UTF-16 offsets.
 */
import { BuiltinError, BuiltinTypeError } from '../errors';
import { isArray, isSet, SetValue, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { runeCount } from './aggregates';
import {
  intOperand,
  numberOperand,
  objectOperand,
  operandTypeError,
  stringOperand,
  stringsOf,
} from './operands';
import { renderTemplate } from './template';
import { termText } from './term-text';

function runes(s: string): string[] {
  return Array.from(s);
}

/** The code-point index of a UTF-16 offset. */
function runeIndex(s: string, utf16Offset: number): number {
  return runeCount(s.slice(0, utf16Offset));
}

function concat([delim, coll]: Value[]): Value {
  const d = stringOperand(delim, 1);
  if (!isArray(coll) && !isSet(coll)) throw operandTypeError(2, coll, 'set', 'array');
  return stringsOf(coll, 2).join(d);
}

function formatInt([n, base]: Value[]): Value {
  const num = numberOperand(n, 1);
  const b = numberOperand(base, 2);
  if (b !== 2 && b !== 8 && b !== 10 && b !== 16) {
    throw new BuiltinTypeError(0, 'operand 2 must be one of {2, 8, 10, 16}', '');
  }
  const truncated = typeof num === 'number' ? BigInt(Math.trunc(num)) : BigInt(num.d.trunc().toFixed(0));
  return truncated.toString(b);
}

function searchOperands(s: Value, search: Value): [string, string] {
  const base = stringOperand(s, 1);
  const needle = stringOperand(search, 2);
  if (needle === '') throw new BuiltinError('empty search character');
  return [base, needle];
}

function indexOf([s, search]: Value[]): Value {
  const [base, needle] = searchOperands(s, search);
  const at = base.indexOf(needle);
  return at < 0 ? -1 : runeIndex(base, at);
}

/** Every rune index where the search string starts, overlapping matches included. */
function indexOfN([s, search]: Value[]): Value {
  const [base, needle] = searchOperands(s, search);
  const out: Value[] = [];
  let runeAt = 0;
  for (let i = 0; i < base.length; runeAt++) {
    if (base.startsWith(needle, i)) out.push(runeAt);
    i += (base.codePointAt(i) as number) > 0xffff ? 2 : 1;
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Go maps case rune by rune; JS would expand some (ß → SS) and look at context (final sigma). */
function mapCase(s: string, upper: boolean): string {
  if (ASCII.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    if (!upper && ch === '\u0130') {
      out += 'i';
      continue;
    }
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += runeCount(mapped) === 1 ? mapped : ch;
  }
  return out;
}

/** strings.ReplaceAll, including Go's treatment of an empty `old` (insert at every rune boundary). */
export function replaceAll(s: string, old: string, repl: string): string {
  if (old === '') return repl + runes(s).map((r) => r + repl).join('');
  return s.split(old).join(repl);
}

export function split(s: string, sep: string): string[] {
  return sep === '' ? runes(s) : s.split(sep);
}

/** strings.SplitN for n > 0: at most n parts, the last holding the rest. */
function splitN(s: string, sep: string, n: number): string[] {
  const parts = split(s, sep);
  if (parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** strings.split_n: the first n parts (n >= 0), or the last -n parts. */
function splitNBuiltin([s, d, n]: Value[]): Value {
  const text = stringOperand(s, 1);
  const delim = stringOperand(d, 2);
  const limit = intOperand(n, 3);
  if (limit < 0) {
    const parts = split(text, delim);
    return parts.slice(Math.max(parts.length + limit, 0));
  }
  if (limit === 0) return [];
  return splitN(text, delim, limit + 1).slice(0, limit);
}

/** strings.NewReplacer semantics: at each position the first pattern (in key order) that matches wins. */
function replaceN([patterns, s]: Value[]): Value {
  const obj = objectOperand(patterns, 1);
  const str = stringOperand(s, 2);
  const pairs: [string, string][] = [];
  for (const [k, v] of obj.entries()) {
    if (typeof k !== 'string') throw new BuiltinTypeError(0, 'operand 1 non-string key found in pattern object', '');
    if (typeof v !== 'string') throw new BuiltinTypeError(0, 'operand 1 non-string value found in pattern object', '');
    pairs.push([k, v]);
  }
  let out = '';
  let i = 0;
  for (;;) {
    const hit = pairs.find(([old]) => str.startsWith(old, i));
    if (hit) {
      out += hit[1];
      if (hit[0] !== '') {
        i += hit[0].length;
        continue;
      }
    }
    if (i >= str.length) break;
    const ch = String.fromCodePoint(str.codePointAt(i) as number);
    out += ch;
    i += ch.length;
  }
  return out;
}

function count([s, sub]: Value[]): Value {
  const str = stringOperand(s, 1);
  const needle = stringOperand(sub, 2);
  if (needle === '') return runeCount(str) + 1;
  return str.split(needle).length - 1;
}

function substring([s, start, length]: Value[]): Value {
  const str = stringOperand(s, 1);
  const from = intOperand(start, 2);
  const len = intOperand(length, 3);
  if (from < 0) throw new BuiltinError('negative offset');
  const rs = runes(str);
  if (from >= rs.length) return '';
  if (len < 0) return rs.slice(from).join('');
  return rs.slice(from, Math.min(rs.length, from + len)).join('');
}

/** A string, or the strings of an array or set (strings.any_prefix_match's operands). */
function stringOrStrings(v: Value, pos: number): string[] {
  if (typeof v === 'string') return [v];
  if (isArray(v) || isSet(v)) return stringsOf(v, pos);
  throw operandTypeError(pos, v, 'string', 'set', 'array');
}

function anyMatch(test: (s: string, affix: string) => boolean) {
  return ([a, b]: Value[]): Value => {
    const subjects = stringOrStrings(a, 1);
    const affixes = stringOrStrings(b, 2);
    return subjects.some((s) => affixes.some((x) => test(s, x)));
  };
}

function cutsetOf(cutset: string): Set<string> {
  return new Set(runes(cutset));
}

function trimLeftRunes(s: string, cut: Set<string>): string {
  const rs = runes(s);
  let i = 0;
  while (i < rs.length && cut.has(rs[i])) i++;
  return rs.slice(i).join('');
}

function trimRightRunes(s: string, cut: Set<string>): string {
  const rs = runes(s);
  let j = rs.length;
  while (j > 0 && cut.has(rs[j - 1])) j--;
  return rs.slice(0, j).join('');
}

/** unicode.IsSpace: Latin-1 spaces plus the White_Space property (not JS's BOM). */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function string1(name: string, result: TypeSpec, f: (s: string) => Value): BuiltinDef {
  return builtin({ name, category: 'strings', args: ['string'], result, impl: ([s]) => f(stringOperand(s, 1)) });
}

function string2(name: string, result: TypeSpec, f: (a: string, b: string) => Value): BuiltinDef {
  return builtin({
    name,
    category: 'strings',
    args: ['string', 'string'],
    result,
    impl: ([a, b]) => f(stringOperand(a, 1), stringOperand(b, 2)),
  });
}

const STRINGS: TypeSpec = { anyOf: ['string', { array: 'string' }, { set: 'string' }] };

/**
 * `$"…{expr}…"`: the parser emits internal.template_string([parts]) where literal text parts are
 * strings and each expression is a set comprehension of its values (empty when undefined).
 */
function templateString([parts]: Value[]): Value {
  if (!isArray(parts)) throw operandTypeError(1, parts, 'array');
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if (isSet(part)) out += templatePart(part);
    else out += termText(part);
  }
  return out;
}

function templatePart(values: SetValue): string {
  if (values.size === 0) return '<undefined>';
  if (values.size > 1) throw new BuiltinError('template-strings must not produce multiple outputs');
  const [v] = values.values();
  return typeof v === 'string' ? v : termText(v);
}

export const stringsBuiltins: BuiltinDef[] = [
  builtin({
    name: 'concat',
    category: 'strings',
    args: ['string', { anyOf: [{ array: 'string' }, { set: 'string' }] }],
    result: 'string',
    impl: concat,
  }),
  string2('contains', 'boolean', (a, b) => a.includes(b)),
  string2('startswith', 'boolean', (a, b) => a.startsWith(b)),
  string2('endswith', 'boolean', (a, b) => a.endsWith(b)),
  builtin({ name: 'format_int', category: 'strings', args: ['number', 'number'], result: 'string', impl: formatInt }),
  builtin({ name: 'indexof', category: 'strings', args: ['string', 'string'], result: 'number', impl: indexOf }),
  builtin({
    name: 'indexof_n',
    category: 'strings',
    args: ['string', 'string'],
    result: { array: 'number' },
    impl: indexOfN,
  }),
  string1('lower', 'string', (s) => mapCase(s, false)),
  string1('upper', 'string', (s) => mapCase(s, true)),
  builtin({
    name: 'replace',
    category: 'strings',
    args: ['string', 'string', 'string'],
    result: 'string',
    impl: ([s, o, n]) => replaceAll(stringOperand(s, 1), stringOperand(o, 2), stringOperand(n, 3)),
  }),
  string2('split', { array: 'string' }, split),
  builtin({
    name: 'strings.split_n',
    category: 'strings',
    args: ['string', 'string', 'number'],
    result: { array: 'string' },
    impl: splitNBuiltin,
  }),
  builtin({
    name: 'strings.replace_n',
    category: 'strings',
    args: [{ object: ['string', 'string'] }, 'string'],
    result: 'string',
    impl: replaceN,
  }),
  string1('strings.reverse', 'string', (s) => runes(s).reverse().join('')),
  builtin({
    name: 'strings.any_prefix_match',
    category: 'strings',
    args: [STRINGS, STRINGS],
    result: 'boolean',
    impl: anyMatch((s, p) => s.startsWith(p)),
  }),
  builtin({
    name: 'strings.any_suffix_match',
    category: 'strings',
    args: [STRINGS, STRINGS],
    result: 'boolean',
    impl: anyMatch((s, p) => s.endsWith(p)),
  }),
  builtin({ name: 'strings.count', category: 'strings', args: ['string', 'string'], result: 'number', impl: count }),
  builtin({
    name: 'strings.render_template',
    category: 'strings',
    args: ['string', { object: ['string', 'any'] }],
    result: 'string',
    impl: ([t, vars]) => renderTemplate(stringOperand(t, 1), objectOperand(vars, 2)),
  }),
  builtin({
    name: 'substring',
    category: 'strings',
    args: ['string', 'number', 'number'],
    result: 'string',
    impl: substring,
  }),
  string2('trim', 'string', (s, c) => trimRightRunes(trimLeftRunes(s, cutsetOf(c)), cutsetOf(c))),
  string2('trim_left', 'string', (s, c) => trimLeftRunes(s, cutsetOf(c))),
  string2('trim_right', 'string', (s, c) => trimRightRunes(s, cutsetOf(c))),
  string2('trim_prefix', 'string', (s, p) => (s.startsWith(p) ? s.slice(p.length) : s)),
  string2('trim_suffix', 'string', (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
  string1('trim_space', 'string', (s) => s.replace(GO_SPACE, '')),
  builtin({
    name: 'internal.template_string',
    category: 'strings',
    args: [{ array: 'any' }],
    result: 'string',
    impl: templateString,
  }),
];
