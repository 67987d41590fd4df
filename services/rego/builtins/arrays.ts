/** array.concat, array.slice, array.reverse, array.flatten. */
import { isArray, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { arrayOperand, intOperand } from './operands';

/** OPA clamps both indices into the array and an inverted range to empty. */
function slice([a, start, stop]: Value[]): Value {
  const arr = arrayOperand(a, 1);
  let from = intOperand(start, 2);
  let to = intOperand(stop, 3);
  to = Math.min(Math.max(to, 0), arr.length);
  from = Math.min(Math.max(from, 0), to);
  return arr.slice(from, to);
}

/** One level only: nested arrays inside nested arrays stay. */
function flatten([a]: Value[]): Value {
  const out: Value[] = [];
  for (const item of arrayOperand(a, 1)) {
    if (isArray(item)) out.push(...item);
    else out.push(item);
  }
  return out;
}

const ARRAY: TypeSpec = { array: 'any' };

export const arraysBuiltins: BuiltinDef[] = [
  builtin({
    name: 'array.concat',
    category: 'array',
    args: [ARRAY, ARRAY],
    result: ARRAY,
    impl: ([a, b]) => [...arrayOperand(a, 1), ...arrayOperand(b, 2)],
  }),
  builtin({ name: 'array.slice', category: 'array', args: [ARRAY, 'number', 'number'], result: ARRAY, impl: slice }),
  builtin({
    name: 'array.reverse',
    category: 'array',
    args: [ARRAY],
    result: ARRAY,
    impl: ([a]) => [...arrayOperand(a, 1)].reverse(),
  }),
  builtin({ name: 'array.flatten', category: 'array', args: [ARRAY], result: ARRAY, impl: flatten }),
];
