import { callJSON, set } from './call';

describe('casts', () => {
  test('to_number', () => {
    expect(callJSON('to_number', '-42.0')).toBe(-42);
    expect(callJSON('to_number', false)).toBe(0);
    expect(callJSON('to_number', true)).toBe(1);
    expect(callJSON('to_number', null)).toBe(0);
    expect(callJSON('to_number', 100.1)).toBe(100.1);
    expect(callJSON('to_number', '1e3')).toBe(1000);
    expect(callJSON('to_number', '0x1p-2')).toBe(0.25);
    expect(callJSON('to_number', '123456789012345678901234567890')).toBe(123456789012345678901234567890);
  });

  test('to_number rejects what Go ParseFloat rejects, and what OPA excludes', () => {
    expect(() => callJSON('to_number', 'broken')).toThrow('invalid syntax');
    expect(() => callJSON('to_number', 'Inf')).toThrow('operand 1 must be valid number string but got string');
    expect(() => callJSON('to_number', '-infinity')).toThrow('operand 1 must be valid number string but got string');
    expect(() => callJSON('to_number', 'NaN')).toThrow('operand 1 must be valid number string but got string');
    expect(() => callJSON('to_number', ' 1')).toThrow('invalid syntax');
    expect(() => callJSON('to_number', '1e400')).toThrow('value out of range');
    expect(() => callJSON('to_number', [])).toThrow('operand 1 must be one of {null, boolean, number, string} but got array');
  });

  test('deprecated cast_*', () => {
    expect(callJSON('cast_array', set(2, 1))).toEqual([1, 2]);
    expect(callJSON('cast_set', [1, 1, 2])).toEqual([1, 2]);
    expect(() => callJSON('cast_string', 1)).toThrow('operand 1 must be string but got number');
    expect(() => callJSON('cast_array', 1)).toThrow('operand 1 must be one of {array, set} but got number');
  });
});
