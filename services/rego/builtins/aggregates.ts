/** Aggregates over collections: count, sum, product, max, min, sort (and v0's all/any). */
import { BigNum, isArray, isNumber, isObject, isSet, compare, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { collectionItems, elementTypeError, integerOf, numberFromBigInt, operandTypeError } from './operands';
import * as bf from './big-float';

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

/**
 * OPA sums and multiplies integers exactly; with any other number it accumulates in a big.Float:
 * a sum at 64 bits, a product at the 53 bits of its big.NewFloat(1) start.
 */
interface Fold {
  exact(acc: bigint, n: bigint): bigint;
  start: bigint;
  float(acc: bf.BigFloat, n: bf.BigFloat): bf.BigFloat;
  floatStart: bf.BigFloat;
}

const SUM: Fold = { exact: (a, n) => a + n, start: 0n, float: (a, n) => bf.add(a, n), floatStart: bf.fromBigInt(0n) };
const PRODUCT: Fold = { exact: (a, n) => a * n, start: 1n, float: (a, n) => bf.mul(a, n, 53), floatStart: bf.fromDouble(1) };

function numberFold(x: Value, fold: Fold): Value {
  const items = arrayOrSetItems(x);
  for (const item of items) if (!isNumber(item)) throw elementTypeError(1, x, item, 'number');
  const numbers = items as (number | BigNum)[];
  const ints = numbers.map(integerOf);
  if (ints.every((i) => i !== undefined)) return numberFromBigInt((ints as bigint[]).reduce(fold.exact, fold.start));
  return bf.toValue(numbers.reduce((acc, n) => fold.float(acc, bf.fromNumber(n)), fold.floatStart));
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
    impl: ([x]) => numberFold(x, SUM),
  }),
  builtin({
    name: 'product',
    category: 'aggregates',
    args: [ARRAY_OR_SET_OF('number')],
    result: 'number',
    impl: ([x]) => numberFold(x, PRODUCT),
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
