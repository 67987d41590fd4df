/** Aggregates over collections: count, sum, product, max, min, sort (and v0's all/any). */
import type Decimal from 'decimal.js';
import { decimalOf, isArray, isNumber, isObject, isSet, makeNumber, compare, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { collectionItems, elementTypeError, operandTypeError } from './operands';

const ARRAY_OR_SET_OF = (t: TypeSpec): TypeSpec => ({ anyOf: [{ array: t }, { set: t }] });

/** Go counts a string's runes: code points, not UTF-16 units. */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function count([x]: Value[]): Value {
  if (typeof x === 'string') return runeCount(x);
  if (isArray(x)) return x.length;
  if (isObject(x) || isSet(x)) return x.size;
  throw operandTypeError(1, x, 'array', 'object', 'set', 'string');
}

/** OPA names the accepted types in a different order for all/any than for the others. */
function arrayOrSetItems(x: Value, order: readonly string[] = ['set', 'array']): Value[] {
  const items = collectionItems(x);
  if (items === undefined) throw operandTypeError(1, x, ...order);
  return items;
}

function numberFold(x: Value, start: number, step: (acc: Decimal, n: Decimal) => Decimal): Value {
  let acc = decimalOf(start);
  for (const item of arrayOrSetItems(x)) {
    if (!isNumber(item)) throw elementTypeError(1, x, item, 'number');
    acc = step(acc, decimalOf(item));
  }
  return makeNumber(acc);
}

function extreme(x: Value, sign: 1 | -1): Value | undefined {
  const items = arrayOrSetItems(x);
  if (items.length === 0) return undefined;
  let best = items[0];
  for (let i = 1; i < items.length; i++) if (compare(items[i], best) * sign > 0) best = items[i];
  return best;
}

function allOrAny(x: Value, wantAll: boolean): Value {
  const items = arrayOrSetItems(x, ['array', 'set']);
  return wantAll ? items.every((v) => v === true) : items.some((v) => v === true);
}

export const aggregatesBuiltins: BuiltinDef[] = [
  builtin({
    name: 'count',
    category: 'aggregates',
    args: [{ anyOf: ['string', { array: 'any' }, { object: ['any', 'any'] }, { set: 'any' }] }],
    result: 'number',
    impl: count,
  }),
  builtin({
    name: 'sum',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('number')],
    result: 'number',
    impl: ([x]) => numberFold(x, 0, (a, n) => a.plus(n)),
  }),
  builtin({
    name: 'product',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('number')],
    result: 'number',
    impl: ([x]) => numberFold(x, 1, (a, n) => a.times(n)),
  }),
  builtin({
    name: 'max',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('any')],
    result: 'any',
    impl: ([x]) => extreme(x, 1),
  }),
  builtin({
    name: 'min',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('any')],
    result: 'any',
    impl: ([x]) => extreme(x, -1),
  }),
  builtin({
    name: 'sort',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('any')],
    result: { array: 'any' },
    impl: ([x]) => (isSet(x) ? [...x.values()] : [...arrayOrSetItems(x)].sort(compare)),
  }),
  builtin({
    name: 'all',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('any')],
    result: 'boolean',
    deprecated: true,
    impl: ([x]) => allOrAny(x, true),
  }),
  builtin({
    name: 'any',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('any')],
    result: 'boolean',
    deprecated: true,
    impl: ([x]) => allOrAny(x, false),
  }),
];
