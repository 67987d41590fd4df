/** Set union and intersection, binary (`|`, `&`) and n-ary. */
import { isSet, SetValue, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { elementTypeError, setOperand } from './operands';

function unionOf(sets: SetValue[]): SetValue {
  const out = new SetValue();
  for (const s of sets) for (const v of s.values()) out.add(v);
  return out;
}

function intersectionOf(sets: SetValue[]): SetValue {
  if (sets.length === 0) return new SetValue();
  const [smallest, ...rest] = [...sets].sort((a, b) => a.size - b.size);
  return SetValue.of(smallest.values().filter((v) => rest.every((s) => s.has(v))));
}

/** The member sets of a set of sets. */
function setsOf(v: Value): SetValue[] {
  const outer = setOperand(v, 1);
  return outer.values().map((item) => {
    if (!isSet(item)) throw elementTypeError(1, outer, item, 'set');
    return item;
  });
}

const SET: TypeSpec = { set: 'any' };

export const setsBuiltins: BuiltinDef[] = [
  builtin({
    name: 'or',
    category: 'sets',
    args: [SET, SET],
    result: SET,
    impl: ([a, b]) => unionOf([setOperand(a, 1), setOperand(b, 2)]),
  }),
  builtin({
    name: 'and',
    category: 'sets',
    args: [SET, SET],
    result: SET,
    impl: ([a, b]) => intersectionOf([setOperand(a, 1), setOperand(b, 2)]),
  }),
  builtin({
    name: 'set_diff',
    category: 'sets',
    args: [SET, SET],
    result: SET,
    deprecated: true,
    impl: ([a, b]) => {
      const drop = setOperand(b, 2);
      return SetValue.of(setOperand(a, 1).values().filter((v) => !drop.has(v)));
    },
  }),
  builtin({
    name: 'union',
    category: 'sets',
    args: [{ set: SET }],
    result: SET,
    impl: ([a]) => unionOf(setsOf(a)),
  }),
  builtin({
    name: 'intersection',
    category: 'sets',
    args: [{ set: SET }],
    result: SET,
    impl: ([a]) => intersectionOf(setsOf(a)),
  }),
];
