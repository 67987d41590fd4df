/** The `in` operator: `x in xs` is internal.member_2, `k, v in xs` is internal.member_3. */
import { equal, isArray, isObject, isSet, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';

function member([x, coll]: Value[]): boolean {
  if (isSet(coll)) return coll.has(x);
  if (isArray(coll)) return coll.some((v) => equal(v, x));
  if (isObject(coll)) return coll.entries().some(([, v]) => equal(v, x));
  return false;
}

function memberWithKey([k, x, coll]: Value[]): boolean {
  if (isSet(coll)) return coll.has(k) && equal(k, x);
  if (isObject(coll)) {
    const v = coll.get(k);
    return v !== undefined && equal(v, x);
  }
  if (isArray(coll) && typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < coll.length) {
    return equal(coll[k], x);
  }
  return false;
}

export const membershipBuiltins: BuiltinDef[] = [
  builtin({ name: 'internal.member_2', category: 'membership', args: ['any', 'any'], result: 'boolean', impl: member }),
  builtin({
    name: 'internal.member_3',
    category: 'membership',
    args: ['any', 'any', 'any'],
    result: 'boolean',
    impl: memberWithKey,
  }),
];
