/** `rand.intn`: a random integer in [0, n), the same for the same (seed string, n) within one query. */
import { randomBytes, randomInt } from 'node:crypto';
import { parseNumber, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { intOperand, stringOperand } from './operands';

const RANDOM_INT_LIMIT = 2 ** 48;

function randomBelow(n: number): Value {
  if (n <= RANDOM_INT_LIMIT) return randomInt(n);
  const r = BigInt('0x' + randomBytes(16).toString('hex')) % BigInt(n);
  return parseNumber(r.toString());
}

export const randBuiltins: BuiltinDef[] = [
  builtin({
    name: 'rand.intn',
    args: ['string', 'number'],
    result: 'number',
    category: 'random',
    nondeterministic: true,
    impl: (args, ctx) => {
      const seed = stringOperand(args[0], 1);
      const n = Math.abs(intOperand(args[1], 2));
      if (n === 0) return 0;
      const key = `rand.intn\u0000${seed}-${n}`;
      let result = ctx.queryCache.get(key) as Value | undefined;
      if (result === undefined) {
        result = randomBelow(n);
        ctx.queryCache.set(key, result);
      }
      return result;
    },
  }),
];
