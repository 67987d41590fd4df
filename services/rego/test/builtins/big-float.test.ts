import * as bf from '../../builtins/big-float';
import { parseNumber } from '../../value';

const f = (text: string): bf.BigFloat => bf.fromNumber(parseNumber(text));

describe('big.Float emulation (64-bit mantissa, shortest round-trip text)', () => {
  test('decimal input rounds to the nearest 64-bit float', () => {
    expect(bf.toText(f('0.1'))).toBe('0.1');
    expect(bf.toText(f('123456789012345678901'))).toBe('123456789012345678904');
    expect(bf.toText(f('18446744073709551615'))).toBe('18446744073709551615');
  });

  test("'g' text for fractions: exponent from 1e+06 up and below 1e-04", () => {
    expect(bf.toText(f('1234567.5'))).toBe('1.2345675e+06');
    expect(bf.toText(f('123456.5'))).toBe('123456.5');
    expect(bf.toText(f('0.0001'))).toBe('0.0001');
    expect(bf.toText(f('0.00001234'))).toBe('1.234e-05');
    expect(bf.toText(f('-2.5'))).toBe('-2.5');
  });

  test("'f' text for integral values, with only the digits the precision holds", () => {
    expect(bf.toText(bf.fromBigInt(1n << 70n))).toBe('1180591620717411303424');
    expect(bf.toText(bf.quo(f('1180591620717411303425'), f('1')))).toBe('1180591620717411303400');
    expect(bf.toText(bf.fromBigInt(0n))).toBe('0');
  });

  test('arithmetic rounds half to even at the receiver precision', () => {
    expect(bf.toText(bf.sub(f('0.3'), f('0.1')))).toBe('0.20000000000000000002');
    expect(bf.toText(bf.quo(f('10'), f('3')))).toBe('3.3333333333333333333');
    expect(bf.toText(bf.mul(f('0.1'), f('3'), 53))).toBe('0.3');
    const tenth53 = bf.mul(bf.fromDouble(1), f('0.1'), 53);
    expect(bf.toText(bf.mul(tenth53, f('3'), 53))).toBe('0.30000000000000004');
    expect(bf.truncate(f('-2.7'))).toBe(-2n);
    expect(bf.isInt(f('4'))).toBe(true);
  });
});

describe('number literals', () => {
  test('a decimal that rounds to an integer double keeps its digits', () => {
    expect(bf.toText(f('1.0000000000000000001'))).toBe('1.0000000000000000001');
    expect(bf.toText(f('1.00000000000000000001'))).toBe('1');
    expect(parseNumber('1.0000000000000000001')).not.toBe(1);
    expect(parseNumber('1.0')).toBe(1);
    expect(parseNumber('42')).toBe(42);
  });
});
