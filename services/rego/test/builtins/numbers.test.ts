import { BuiltinError, BuiltinTypeError } from '../../errors';
import { BigNum, parseNumber } from '../../value';
import { call, callJSON, callValue, set } from './call';

const big = (s: string): BigNum | number => parseNumber(s);

describe('arithmetic', () => {
  test('small integers and decimals', () => {
    expect(callJSON('plus', 1, 2)).toBe(3);
    expect(callJSON('minus', 1, 3)).toBe(-2);
    expect(callJSON('mul', 6, 7)).toBe(42);
    expect(callJSON('plus', 0.1, 0.2)).toBe(0.3);
    expect(callJSON('mul', 1.1, 1.1)).toBe(1.21);
  });

  test('integer arithmetic stays exact beyond 2^53', () => {
    expect(call('plus', big('28857836529306024611913'), 1)).toBe('28857836529306024611914');
    expect(call('mul', big('9007199254740993'), 3)).toBe('27021597764222979');
    expect(call('minus', big('100000000000000000000'), 1)).toBe('99999999999999999999');
    expect(call('mul', 4294967296, 4294967296)).toBe('18446744073709551616');
    expect(callValue('mul', 3037000499, 3037000501)).toBeInstanceOf(BigNum);
    expect(call('mul', 3037000499, 3037000501)).toBe('9223372037000249999');
  });

  test('division: exact when divisible, a decimal otherwise, an error by zero', () => {
    expect(callJSON('div', 10, 4)).toBe(2.5);
    expect(callJSON('div', 6, 3)).toBe(2);
    expect(call('div', big('1e109'), big('1e100'))).toBe('1000000000');
    expect(() => call('div', 1, 0)).toThrow(new BuiltinError('divide by zero'));
    expect(() => call('div', 1.5, 0.0)).toThrow('divide by zero');
  });

  test('remainder is for integers only', () => {
    expect(callJSON('rem', 7, 4)).toBe(3);
    expect(callJSON('rem', -7, 4)).toBe(-3);
    expect(call('rem', big('18446744073709551626'), big('18446744073709551616'))).toBe('10');
    expect(() => call('rem', 1.1, 1)).toThrow('modulo on floating-point number');
    expect(() => call('rem', 1, 0)).toThrow('modulo by zero');
  });

  test('minus is also set difference, with OPA type errors', () => {
    expect(callJSON('minus', set(1, 2, 3), set(2, 3))).toEqual([1]);
    expect(() => call('minus', set(1), 1)).toThrow('operand 2 must be set but got number');
    expect(() => call('minus', 1, set(1))).toThrow('operand 2 must be number but got set');
    expect(() => call('minus', 'a', 1)).toThrow('operand 1 must be one of {number, set} but got string');
  });

  test('abs, round (half away from zero), ceil, floor', () => {
    expect(callJSON('abs', -10)).toBe(10);
    expect(callJSON('abs', -1.5)).toBe(1.5);
    expect(callJSON('round', 2.5)).toBe(3);
    expect(callJSON('round', -2.5)).toBe(-3);
    expect(callJSON('round', 2.4)).toBe(2);
    expect(callJSON('ceil', 1.01)).toBe(2);
    expect(callJSON('ceil', -1.99999)).toBe(-1);
    expect(callJSON('floor', -1.001)).toBe(-2);
    expect(callJSON('floor', 99.99999)).toBe(99);
    // Beyond the int32 fast path these go through a 64-bit-mantissa big.Float, as in OPA.
    expect(call('floor', big('123456789012345678901.5'))).toBe('123456789012345678904');
  });

  test('non-integer arithmetic is Go big.Float with a 64-bit mantissa, digit for digit', () => {
    expect(call('minus', 0.3, 0.1)).toBe('0.20000000000000000002');
    expect(callJSON('equal', callValue('minus', 0.3, 0.1), 0.2)).toBe(false);
    expect(call('div', 1, 3)).toBe('0.33333333333333333334');
    expect(call('div', 2, 3)).toBe('0.6666666666666666667');
    expect(call('plus', 1234567, 0.5)).toBe('1234567.5');
    expect(call('div', big('1180591620717411303425'), 1)).toBe('1180591620717411303400');
    // OPA decides ceil/floor by the sign of the truncated value, which is +0 for -1 < x < 0.
    expect(callJSON('ceil', -0.5)).toBe(1);
    expect(callJSON('floor', -0.5)).toBe(0);
    expect(callJSON('round', -0.5)).toBe(-1);
  });

  test('sums of non-integers accumulate at 64 bits, products at 53', () => {
    expect(call('sum', [0.1, 0.2])).toBe('0.3');
    expect(call('sum', [0.3, -0.1])).toBe('0.20000000000000000002');
    expect(call('product', [0.1, 3])).toBe('0.30000000000000004');
    expect(call('product', [2.5, 4])).toBe('10');
  });

  test('type errors name the operand', () => {
    expect(() => call('plus', 1, 'a')).toThrow(new BuiltinTypeError(2, 'number', 'string'));
  });
});

describe('numbers.range', () => {
  test('ascending, descending and single', () => {
    expect(callJSON('numbers.range', 1, 4)).toEqual([1, 2, 3, 4]);
    expect(callJSON('numbers.range', 3, 1)).toEqual([3, 2, 1]);
    expect(callJSON('numbers.range', 1, 1)).toEqual([1]);
  });

  test('range_step', () => {
    expect(callJSON('numbers.range_step', 0, 10, 3)).toEqual([0, 3, 6, 9]);
    expect(callJSON('numbers.range_step', 10, 0, 5)).toEqual([10, 5, 0]);
    expect(() => call('numbers.range_step', 0, 10, 0)).toThrow('step must be a positive integer');
  });

  test('integers only', () => {
    expect(() => call('numbers.range', 1.5, 2)).toThrow('operand 1 must be integer number but got floating-point number');
  });
});

describe('bits', () => {
  test('and, or, xor, negate, shifts', () => {
    expect(callJSON('bits.and', 12, 10)).toBe(8);
    expect(callJSON('bits.or', 12, 10)).toBe(14);
    expect(callJSON('bits.xor', 12, 10)).toBe(6);
    expect(callJSON('bits.negate', 5)).toBe(-6);
    expect(callJSON('bits.lsh', 1, 3)).toBe(8);
    expect(callJSON('bits.rsh', -9, 1)).toBe(-5);
    expect(call('bits.lsh', 1, 70)).toBe('1180591620717411303424');
  });

  test('errors', () => {
    expect(() => call('bits.and', 1.5, 1)).toThrow('operand 1 must be integer number but got floating-point number');
    expect(() => call('bits.lsh', 1, -1)).toThrow('operand 2 must be an unsigned integer number but got a negative integer');
  });
});
