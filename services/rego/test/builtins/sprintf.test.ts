import { parseNumber } from '../../value';
import { callJSON, set } from './call';

const sprintf = (format: string, ...args: unknown[]): unknown => callJSON('sprintf', format, args);

describe('sprintf with Go fmt semantics', () => {
  test('strings, integers, widths and flags', () => {
    expect(sprintf('hi %s', 'there')).toBe('hi there');
    expect(sprintf('hi %02d', 5)).toBe('hi 05');
    expect(sprintf('%02X.%02X', 127, 1)).toBe('7F.01');
    expect(sprintf('%5d|%-5d|%+d|% d', 42, 42, 42, 42)).toBe('   42|42   |+42| 42');
    expect(sprintf('%x %X %o %b %#x %#o', 255, 255, 8, 5, 255, 8)).toBe('ff FF 10 101 0xff 010');
    expect(sprintf('%c%c %U', 72, 128512, 128512)).toBe('H😀 U+1F600');
    expect(sprintf('%6.2s|%-4s|', 'abcdef', 'x')).toBe('    ab|x   |');
    expect(sprintf('100%%')).toBe('100%');
  });

  test('floats: %f, %e, %g and %v, rounding ties to even on the exact binary value', () => {
    expect(sprintf('%.2f', 3.1415)).toBe('3.14');
    expect(sprintf('%f', 1.5)).toBe('1.500000');
    expect(sprintf('%.1f', 2.25)).toBe('2.2');
    expect(sprintf('%.2f', 2.675)).toBe('2.67');
    expect(sprintf('%e', 1234.5678)).toBe('1.234568e+03');
    expect(sprintf('%g', 0.00001234)).toBe('1.234e-05');
    expect(sprintf('%v', 1234567.5)).toBe('1.2345675e+06');
    expect(sprintf('%v', 3.14)).toBe('3.14');
    expect(sprintf('%.3g', 3.14159)).toBe('3.14');
    expect(sprintf('%8.3f|', -3.14159)).toBe('  -3.142|');
  });

  test('OPA passes big integers as *big.Int, huge literals as text', () => {
    expect(sprintf('%s', parseNumber('123456789123456789123'))).toBe('123456789123456789123');
    expect(sprintf('%d', parseNumber('1208925819614629174706175'))).toBe('1208925819614629174706175');
    expect(sprintf('hi %v', parseNumber('2e308'))).toBe('hi 2e308');
  });

  test('non-strings and non-numbers are formatted as Rego text', () => {
    expect(sprintf('%s', true)).toBe('true');
    expect(sprintf('%v', ['there', 5, 3.14])).toBe('["there", 5, 3.14]');
    expect(sprintf('%v', { a: set(2, 1) })).toBe('{"a": {1, 2}}');
    expect(sprintf('%v', set())).toBe('set()');
    expect(sprintf('%v', null)).toBe('null');
    expect(sprintf('%v', ['a\u0001\u200b'])).toBe('["a\\x01\\u200b"]');
  });

  test('Go diagnostics for bad verbs, missing and extra arguments', () => {
    expect(sprintf('%d', 'x')).toBe('%!d(string=x)');
    expect(sprintf('%s', 5)).toBe('%!s(int=5)');
    expect(sprintf('%d', 1.5)).toBe('%!d(float64=1.5)');
    expect(sprintf('%d %d', 1)).toBe('1 %!d(MISSING)');
    expect(sprintf('%d', 1, 'a')).toBe('1%!(EXTRA string=a)');
    expect(sprintf('%q', 'a"b\n')).toBe('"a\\"b\\n"');
  });

  test('argument indexes, * widths and %T', () => {
    expect(sprintf('%[2]s %[1]s', 'a', 'b')).toBe('b a');
    expect(sprintf('%[1]s %[1]s', 'x')).toBe('x x');
    expect(sprintf('%[3]s', 'x')).toBe('%!s(BADINDEX)');
    expect(sprintf('%*d|%-*d|', 4, 7, 3, 7)).toBe('   7|7  |');
    expect(sprintf('%*d|', -3, 7)).toBe('7  |');
    expect(sprintf('%.*f', 2, 3.14159)).toBe('3.14');
    expect(sprintf('%*d', 'x', 7)).toBe('%!(BADWIDTH)7');
    expect(sprintf('%T %T %T %T', 1, 1.5, 'a', parseNumber('123456789123456789123'))).toBe('int float64 string *big.Int');
  });
});
