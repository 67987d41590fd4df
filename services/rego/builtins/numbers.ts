/**
 * Arithmetic, rounding, ranges and bit operations, computed the way OPA computes them: integers
 * exactly (int32-sized ones as machine ints, larger ones as big integers), everything else as
 * Go big.Float with a 64-bit mantissa (see big-float.ts), so results match OPA digit for digit.
 */
import { BuiltinError, BuiltinTypeError } from '../errors';
import { BigNum, isNumber, isSet, SetValue, type Value } from '../value';
import { builtin, type BuiltinContext, type BuiltinDef } from './registry';
import { DeadlinePoll } from './deadline';
import { bigIntOperand, integerOf, numberFromBigInt, numberOperand, operandTypeError } from './operands';
import * as bf from './big-float';

type Num = number | BigNum;

/** Larger ranges would exhaust memory before the query deadline could stop them. */
const MAX_RANGE_LENGTH = 10_000_000;

/** OPA's fast path covers ints in the int32 window, so that their products fit an int64. */
const SMALL_MIN = -(2 ** 31);
const SMALL_MAX = 2 ** 31 - 1;

function isSmall(n: Num): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= SMALL_MIN && n <= SMALL_MAX;
}

/** Fraction bits of x when its shortest text is its exact value (1.5, 0.375, 12), else -1. */
function exactFractionBits(x: number): number {
  const text = String(x);
  if (text.includes('e')) return -1;
  const dot = text.indexOf('.');
  const digits = dot < 0 ? 0 : text.length - dot - 1;
  let scaled = x;
  let bits = 0;
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    if (++bits > digits) return -1;
  }
  return bits === digits ? bits : -1;
}

const SAFE = 2 ** 53;

/**
 * A fast path around big.Float for doubles written exactly (1.5, 2.25): when the exact result
 * is also such a double, the 64-bit float holds it exactly and prints it the same way.
 */
function exactDouble(r: number | undefined): number | undefined {
  return r !== undefined && Number.isFinite(r) && exactFractionBits(r) >= 0 ? r : undefined;
}

function scaledPair(a: number, b: number): [number, number, number] | undefined {
  const fa = exactFractionBits(a);
  const fb = exactFractionBits(b);
  if (fa < 0 || fb < 0) return undefined;
  const f = Math.max(fa, fb);
  return [a * 2 ** f, b * 2 ** f, f];
}

function doubleSum(a: number, b: number, sign: 1 | -1): number | undefined {
  const pair = scaledPair(a, b);
  if (!pair) return undefined;
  const s = pair[0] + sign * pair[1];
  return Math.abs(s) < SAFE ? exactDouble(s / 2 ** pair[2]) : undefined;
}

function doubleProduct(a: number, b: number): number | undefined {
  const fa = exactFractionBits(a);
  const fb = exactFractionBits(b);
  if (fa < 0 || fb < 0) return undefined;
  const p = a * 2 ** fa * (b * 2 ** fb);
  return Math.abs(p) < SAFE ? exactDouble(p / 2 ** (fa + fb)) : undefined;
}

function doubleQuotient(a: number, b: number): number | undefined {
  if (b === 0) return undefined;
  const r = exactDouble(a / b);
  return r !== undefined && doubleProduct(r, b) === a ? r : undefined;
}

interface ArithOp {
  /** Both operands JS numbers written exactly; undefined when only big.Float can tell. */
  double?(x: number, y: number): number | undefined;
  /** Both operands small ints; undefined to continue with the wider representations. */
  small(x: number, y: number): number | undefined;
  /** Both operands integers of any size; undefined (or absent) when not exact on these integers. */
  exact?(x: bigint, y: bigint): bigint | undefined;
  float?(x: bf.BigFloat, y: bf.BigFloat): bf.BigFloat;
  /** The error when the operands are not both integers and there is no float form. */
  noFloat?: string;
}

function evalArith(op: ArithOp, a: Num, b: Num): Num {
  if (isSmall(a) && isSmall(b)) {
    const r = op.small(a, b);
    if (r !== undefined) return r === 0 ? 0 : r;
  }
  if (op.exact) {
    const x = integerOf(a);
    const y = integerOf(b);
    const r = x !== undefined && y !== undefined ? op.exact(x, y) : undefined;
    if (r !== undefined) return numberFromBigInt(r);
  }
  if (!op.float) throw new BuiltinError(op.noFloat ?? 'unsupported operands');
  if (op.double && typeof a === 'number' && typeof b === 'number') {
    const r = op.double(a, b);
    if (r !== undefined) return r === 0 ? 0 : r;
  }
  return bf.toValue(op.float(bf.fromNumber(a), bf.fromNumber(b)));
}

const PLUS: ArithOp = {
  small: (x, y) => x + y,
  exact: (x, y) => x + y,
  double: (x, y) => doubleSum(x, y, 1),
  float: (x, y) => bf.add(x, y),
};
const MINUS: ArithOp = {
  small: (x, y) => x - y,
  exact: (x, y) => x - y,
  double: (x, y) => doubleSum(x, y, -1),
  float: (x, y) => bf.sub(x, y),
};
const MUL: ArithOp = {
  small: (x, y) => x * y,
  exact: (x, y) => x * y,
  double: doubleProduct,
  float: (x, y) => bf.mul(x, y),
};

const TWO_64 = 1n << 64n;

/**
 * OPA divides exactly only small ints that divide; everything else, big ints included, is a
 * 64-bit float quotient. That quotient is still exact for integers below 2^64 that divide, which
 * spares the float work for the common ns-to-seconds conversions.
 */
const DIV: ArithOp = {
  small: (x, y) => {
    if (y === 0) throw new BuiltinError('divide by zero');
    return x !== 0 && x % y === 0 ? x / y : undefined;
  },
  exact: (x, y) => {
    const fits = (v: bigint): boolean => v < TWO_64 && v > -TWO_64;
    return y !== 0n && x !== 0n && fits(x) && fits(y) && x % y === 0n ? x / y : undefined;
  },
  double: doubleQuotient,
  float: (x, y) => {
    if (bf.isZero(y)) throw new BuiltinError('divide by zero');
    return bf.quo(x, y);
  },
};

const REM: ArithOp = {
  small: (x, y) => {
    if (y === 0) throw new BuiltinError('modulo by zero');
    return x % y;
  },
  exact: (x, y) => {
    if (y === 0n) throw new BuiltinError('modulo by zero');
    return x % y;
  },
  noFloat: 'modulo on floating-point number',
};

function arith(op: ArithOp) {
  return ([a, b]: Value[]): Value => evalArith(op, numberOperand(a, 1), numberOperand(b, 2));
}

function minus([a, b]: Value[]): Value {
  if (isNumber(a) && isNumber(b)) return evalArith(MINUS, a, b);
  if (isSet(a) && isSet(b)) return SetValue.of(a.values().filter((v) => !b.has(v)));
  if (!isNumber(a) && !isSet(a)) throw operandTypeError(1, a, 'number', 'set');
  throw operandTypeError(2, b, isNumber(a) ? 'number' : 'set');
}

function unary(small: (x: number) => number, float: (f: bf.BigFloat) => bf.BigFloat) {
  return ([a]: Value[]): Value => {
    const n = numberOperand(a, 1);
    if (isSmall(n)) return small(n);
    return bf.toValue(float(bf.fromNumber(n)));
  };
}

const identity = (x: number): number => x;
const HALF = bf.fromDouble(0.5);
const ONE = bf.fromDouble(1);

/** Half away from zero, via ±0.5 and truncation, as OPA's arithRound. */
function roundFloat(a: bf.BigFloat): bf.BigFloat {
  return bf.fromBigInt(bf.truncate(a.neg ? bf.sub(a, HALF) : bf.add(a, HALF)));
}

/**
 * OPA's arithCeil/arithFloor decide by the sign bit of the truncated value, which is +0 for
 * -1 < x < 0: so ceil(-0.5) is 1 and floor(-0.5) is 0 in OPA, and here.
 */
function ceilFloat(a: bf.BigFloat): bf.BigFloat {
  const t = bf.truncate(a);
  const f = bf.fromBigInt(t);
  if (t < 0n || bf.isInt(a)) return f;
  return bf.add(f, ONE);
}

function floorFloat(a: bf.BigFloat): bf.BigFloat {
  const t = bf.truncate(a);
  const f = bf.fromBigInt(t);
  if (t >= 0n || bf.isInt(a)) return f;
  return bf.sub(f, ONE);
}

function range(from: bigint, to: bigint, step: bigint, name: string, ctx: BuiltinContext): Value {
  const length = (to >= from ? to - from : from - to) / step + 1n;
  if (length > BigInt(MAX_RANGE_LENGTH)) throw new BuiltinError(`${name}: range too large`);
  const poll = new DeadlinePoll(ctx);
  const out: Value[] = [];
  const direction = from <= to ? 1n : -1n;
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (from <= limit && from >= -limit && to <= limit && to >= -limit && step <= limit) {
    // Within JS numbers' exact range: count in numbers, not bigints (10x faster for long ranges).
    const [a, b, d] = [Number(from), Number(to), Number(step * direction)];
    for (let i = a; d > 0 ? i <= b : i >= b; i += d) {
      poll.tick();
      out.push(i === 0 ? 0 : i);
    }
    return out;
  }
  for (let i = from; direction > 0n ? i <= to : i >= to; i += step * direction) {
    poll.tick();
    out.push(numberFromBigInt(i));
  }
  return out;
}

function bits2(f: (x: bigint, y: bigint) => bigint) {
  return ([a, b]: Value[]): Value => numberFromBigInt(f(bigIntOperand(a, 1), bigIntOperand(b, 2)));
}

/** Shifting further would build numbers too large to hold; OPA's own limit is memory. */
const MAX_SHIFT = 1n << 20n;

function shiftAmount(y: bigint): bigint {
  if (y < 0n) throw new BuiltinTypeError(2, 'an unsigned integer number', 'a negative integer');
  if (y > MAX_SHIFT) throw new BuiltinError('shift amount too large');
  return y;
}

const NUMBER2: Pick<BuiltinDef, 'args' | 'result'> = { args: ['number', 'number'], result: 'number' };

export const numbersBuiltins: BuiltinDef[] = [
  builtin({ name: 'plus', category: 'numbers', ...NUMBER2, impl: arith(PLUS) }),
  builtin({
    name: 'minus',
    category: 'numbers',
    args: [{ anyOf: ['number', { set: 'any' }] }, { anyOf: ['number', { set: 'any' }] }],
    result: { anyOf: ['number', { set: 'any' }] },
    impl: minus,
  }),
  builtin({ name: 'mul', category: 'numbers', ...NUMBER2, impl: arith(MUL) }),
  builtin({ name: 'div', category: 'numbers', ...NUMBER2, impl: arith(DIV) }),
  builtin({ name: 'rem', category: 'numbers', ...NUMBER2, impl: arith(REM) }),
  builtin({
    name: 'abs',
    category: 'numbers',
    args: ['number'],
    result: 'number',
    impl: unary(Math.abs, (f) => ({ ...f, neg: false })),
  }),
  builtin({
    name: 'round',
    category: 'numbers',
    args: ['number'],
    result: 'number',
    impl: unary(identity, roundFloat),
  }),
  builtin({
    name: 'ceil',
    category: 'numbers',
    args: ['number'],
    result: 'number',
    impl: unary(identity, ceilFloat),
  }),
  builtin({
    name: 'floor',
    category: 'numbers',
    args: ['number'],
    result: 'number',
    impl: unary(identity, floorFloat),
  }),
  builtin({
    name: 'numbers.range',
    category: 'numbers',
    args: ['number', 'number'],
    result: { array: 'number' },
    impl: ([a, b], ctx) => range(bigIntOperand(a, 1), bigIntOperand(b, 2), 1n, 'numbers.range', ctx),
  }),
  builtin({
    name: 'numbers.range_step',
    category: 'numbers',
    args: ['number', 'number', 'number'],
    result: { array: 'number' },
    impl: ([a, b, s], ctx) => {
      const from = bigIntOperand(a, 1);
      const to = bigIntOperand(b, 2);
      const step = bigIntOperand(s, 3);
      if (step <= 0n) throw new BuiltinError('numbers.range_step: step must be a positive integer');
      return range(from, to, step, 'numbers.range_step', ctx);
    },
  }),
  builtin({ name: 'bits.and', category: 'bits', ...NUMBER2, impl: bits2((x, y) => x & y) }),
  builtin({ name: 'bits.or', category: 'bits', ...NUMBER2, impl: bits2((x, y) => x | y) }),
  builtin({ name: 'bits.xor', category: 'bits', ...NUMBER2, impl: bits2((x, y) => x ^ y) }),
  builtin({
    name: 'bits.negate',
    category: 'bits',
    args: ['number'],
    result: 'number',
    impl: ([a]) => numberFromBigInt(~bigIntOperand(a, 1)),
  }),
  builtin({
    name: 'bits.lsh',
    category: 'bits',
    ...NUMBER2,
    impl: bits2((x, y) => x << shiftAmount(y)),
  }),
  builtin({
    name: 'bits.rsh',
    category: 'bits',
    ...NUMBER2,
    impl: bits2((x, y) => x >> shiftAmount(y)),
  }),
];
