/**
 * Arithmetic, rounding, ranges and bit operations. As OPA does, integers of any size are exact;
 * other numbers are computed as decimals (exact for +, -, *; quotients to 20 significant digits,
 * a little beyond the 64-bit mantissa OPA's big.Float quotients carry).
 */
import Decimal from 'decimal.js';
import { BuiltinError, BuiltinTypeError } from '../errors';
import { BigNum, decimalOf, isNumber, isSet, makeNumber, SetValue, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { bigIntOperand, numberFromBigInt, numberOperand, operandTypeError } from './operands';

type Num = number | BigNum;

/** Larger ranges would exhaust memory before the query deadline could stop them. */
const MAX_RANGE_LENGTH = 10_000_000;

function integerOf(n: Num): bigint | undefined {
  if (typeof n === 'number') return Number.isInteger(n) ? BigInt(n) : undefined;
  return n.d.isInteger() ? BigInt(n.d.toFixed(0)) : undefined;
}

interface ArithOp {
  /** Both operands JS safe integers; undefined when the result is not a safe integer. */
  small(x: number, y: number): number | undefined;
  /** Both operands integers of any size; undefined to fall through to decimals. */
  exact?(x: bigint, y: bigint): bigint | undefined;
  decimal?(x: Decimal, y: Decimal): Decimal;
  /** The error when the operands are not both integers and there is no decimal form. */
  noDecimal?: string;
}

function evalArith(op: ArithOp, a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const r = op.small(a, b);
    if (r !== undefined && Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  if (op.exact) {
    const x = integerOf(a);
    const y = integerOf(b);
    if (x !== undefined && y !== undefined) {
      const r = op.exact(x, y);
      if (r !== undefined) return numberFromBigInt(r);
    }
  }
  if (!op.decimal) throw new BuiltinError(op.noDecimal ?? 'unsupported operands');
  return makeNumber(op.decimal(decimalOf(a), decimalOf(b)));
}

const PLUS: ArithOp = { small: (x, y) => x + y, exact: (x, y) => x + y, decimal: (x, y) => x.plus(y) };
const MINUS: ArithOp = { small: (x, y) => x - y, exact: (x, y) => x - y, decimal: (x, y) => x.minus(y) };
const MUL: ArithOp = { small: (x, y) => x * y, exact: (x, y) => x * y, decimal: (x, y) => x.times(y) };

const QUOTIENT_DIGITS = 20;

const DIV: ArithOp = {
  small: (x, y) => {
    if (y === 0) throw new BuiltinError('divide by zero');
    return x !== 0 && x % y === 0 ? x / y : undefined;
  },
  exact: (x, y) => (y !== 0n && x !== 0n && x % y === 0n ? x / y : undefined),
  decimal: (x, y) => {
    if (y.isZero()) throw new BuiltinError('divide by zero');
    return x.div(y).toSignificantDigits(QUOTIENT_DIGITS);
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
  noDecimal: 'modulo on floating-point number',
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

function unary(small: (x: number) => number, decimal: (d: Decimal) => Decimal) {
  return ([a]: Value[]): Value => {
    const n = numberOperand(a, 1);
    if (typeof n === 'number' && Number.isSafeInteger(n)) return small(n);
    return makeNumber(decimal(decimalOf(n)));
  };
}

const identity = (x: number): number => x;

function range(from: bigint, to: bigint, step: bigint, name: string): Value {
  const length = (to >= from ? to - from : from - to) / step + 1n;
  if (length > BigInt(MAX_RANGE_LENGTH)) throw new BuiltinError(`${name}: range too large`);
  const out: Value[] = [];
  if (from <= to) for (let i = from; i <= to; i += step) out.push(numberFromBigInt(i));
  else for (let i = from; i >= to; i -= step) out.push(numberFromBigInt(i));
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
    impl: unary(Math.abs, (d) => d.abs()),
  }),
  builtin({
    name: 'round',
    category: 'numbers',
    args: ['number'],
    result: 'number',
    impl: unary(identity, (d) => d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP)),
  }),
  builtin({
    name: 'ceil',
    category: 'numbers',
    args: ['number'],
    result: 'number',
    impl: unary(identity, (d) => d.ceil()),
  }),
  builtin({
    name: 'floor',
    category: 'numbers',
    args: ['number'],
    result: 'number',
    impl: unary(identity, (d) => d.floor()),
  }),
  builtin({
    name: 'numbers.range',
    category: 'numbers',
    args: ['number', 'number'],
    result: { array: 'number' },
    impl: ([a, b]) => range(bigIntOperand(a, 1), bigIntOperand(b, 2), 1n, 'numbers.range'),
  }),
  builtin({
    name: 'numbers.range_step',
    category: 'numbers',
    args: ['number', 'number', 'number'],
    result: { array: 'number' },
    impl: ([a, b, s]) => {
      const from = bigIntOperand(a, 1);
      const to = bigIntOperand(b, 2);
      const step = bigIntOperand(s, 3);
      if (step <= 0n) throw new BuiltinError('numbers.range_step: step must be a positive integer');
      return range(from, to, step, 'numbers.range_step');
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
