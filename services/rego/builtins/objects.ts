/** object.get/remove/union/union_n/filter/keys/subset. */
import { BuiltinTypeError } from '../errors';
import {
  equal,
  isArray,
  isObject,
  isSet,
  ObjectValue,
  SetValue,
  type Value,
} from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { arrayOperand, elementTypeError, objectOperand, operandTypeError } from './operands';

/** The keys named by object.remove/filter's second operand: an array, a set, or an object's keys. */
function keySet(v: Value): SetValue {
  if (isArray(v)) return SetValue.of(v);
  if (isSet(v)) return v;
  if (isObject(v)) return SetValue.of(v.keys());
  throw operandTypeError(2, v, 'object', 'set', 'array');
}

function remove([o, keys]: Value[]): Value {
  const obj = objectOperand(o, 1);
  const drop = keySet(keys);
  return ObjectValue.fromEntries(obj.entries().filter(([k]) => !drop.has(k)));
}

function filter([o, keys]: Value[]): Value {
  const obj = objectOperand(o, 1);
  const keep = keySet(keys);
  const out = new ObjectValue();
  for (const k of keep.values()) {
    const v = obj.get(k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

/** Descends like a ref: object keys, array indices, set members. */
function find(root: Value, path: Value[]): Value | undefined {
  let cur: Value = root;
  for (const seg of path) {
    if (isObject(cur)) {
      const next = cur.get(seg);
      if (next === undefined) return undefined;
      cur = next;
    } else if (isArray(cur)) {
      if (typeof seg !== 'number' || !Number.isInteger(seg) || seg < 0 || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else if (isSet(cur)) {
      if (!cur.has(seg)) return undefined;
      cur = seg;
    } else {
      return undefined;
    }
  }
  return cur;
}

function get([o, key, fallback]: Value[]): Value {
  const obj = objectOperand(o, 1);
  if (!isArray(key)) return obj.get(key) ?? fallback;
  return find(obj, key) ?? fallback;
}

/** Right wins, except that two objects under the same key merge recursively. */
export function mergeWithOverwrite(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out = ObjectValue.fromEntries(a.entries());
  for (const [k, bv] of b.entries()) {
    const av = a.get(k);
    out.set(k, av !== undefined && isObject(av) && isObject(bv) ? mergeWithOverwrite(av, bv) : bv);
  }
  return out;
}

function unionN([arr]: Value[]): Value {
  const items = arrayOperand(arr, 1);
  let out = new ObjectValue();
  for (const item of items) {
    if (!isObject(item)) throw elementTypeError(1, items, item, 'object');
    out = mergeWithOverwrite(out, item);
  }
  return out;
}

/**
 * OPA's object.subset: objects recurse into object, set and array values; sets test membership;
 * arrays test for a contiguous run; an array "contains" a set when, scanning the array, every
 * member was seen (counting repeats, as OPA does).
 */
function isSubset(sup: Value, sub: Value): boolean {
  if (isObject(sup) && isObject(sub)) return sub.entries().every(([k, v]) => valueSubset(sup.get(k), v));
  if (isSet(sup) && isSet(sub)) return sub.values().every((v) => sup.has(v));
  if (isArray(sup) && isArray(sub)) return containsRun(sup, sub);
  return arrayHasSet(sup as Value[], sub as SetValue);
}

function valueSubset(sup: Value | undefined, sub: Value): boolean {
  if (sup === undefined) return false;
  if (equal(sup, sub)) return true;
  const bothObjects = isObject(sup) && isObject(sub);
  const bothSets = isSet(sup) && isSet(sub);
  const bothArrays = isArray(sup) && isArray(sub);
  return (bothObjects || bothSets || bothArrays) && isSubset(sup, sub);
}

function containsRun(sup: Value[], sub: Value[]): boolean {
  if (sub.length > sup.length) return false;
  for (let i = 0; i + sub.length <= sup.length; i++) {
    let j = 0;
    while (j < sub.length && equal(sup[i + j], sub[j])) j++;
    if (j === sub.length) return true;
  }
  return false;
}

function arrayHasSet(sup: Value[], sub: SetValue): boolean {
  let unmatched = sub.size;
  for (const v of sup) {
    if (sub.has(v)) unmatched--;
    if (unmatched === 0) return true;
  }
  return false;
}

function subset([sup, sub]: Value[]): Value {
  const comparable =
    (isObject(sup) && isObject(sub)) || (isSet(sup) && isSet(sub)) || (isArray(sup) && (isArray(sub) || isSet(sub)));
  if (!comparable) {
    throw new BuiltinTypeError(0, 'both arguments object.subset must be of the same type or array and set', '');
  }
  return isSubset(sup, sub);
}

const OBJECT: TypeSpec = { object: ['any', 'any'] };
const KEYS: TypeSpec = { anyOf: [{ array: 'any' }, OBJECT, { set: 'any' }] };
const COLLECTION: TypeSpec = { anyOf: [OBJECT, { array: 'any' }, { set: 'any' }] };

export const objectsBuiltins: BuiltinDef[] = [
  builtin({ name: 'object.get', category: 'object', args: [OBJECT, 'any', 'any'], result: 'any', impl: get }),
  builtin({ name: 'object.remove', category: 'object', args: [OBJECT, KEYS], result: OBJECT, impl: remove }),
  builtin({ name: 'object.filter', category: 'object', args: [OBJECT, KEYS], result: OBJECT, impl: filter }),
  builtin({
    name: 'object.union',
    category: 'object',
    args: [OBJECT, OBJECT],
    result: OBJECT,
    impl: ([a, b]) => mergeWithOverwrite(objectOperand(a, 1), objectOperand(b, 2)),
  }),
  builtin({ name: 'object.union_n', category: 'object', args: [{ array: OBJECT }], result: OBJECT, impl: unionN }),
  builtin({
    name: 'object.keys',
    category: 'object',
    args: [OBJECT],
    result: { set: 'any' },
    impl: ([o]) => SetValue.of(objectOperand(o, 1).keys()),
  }),
  builtin({ name: 'object.subset', category: 'object', args: [COLLECTION, COLLECTION], result: 'boolean', impl: subset }),
];
