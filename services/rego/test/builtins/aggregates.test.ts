import { BuiltinTypeError } from '../../errors';
import { parseNumber } from '../../value';
import { call, callJSON, set } from './call';

describe('aggregates', () => {
  test('count counts runes, elements, keys and members', () => {
    expect(callJSON('count', 'åäö')).toBe(3);
    expect(callJSON('count', 'a😀')).toBe(2);
    expect(callJSON('count', '')).toBe(0);
    expect(callJSON('count', [1, 2, 3])).toBe(3);
    expect(callJSON('count', { a: 1 })).toBe(1);
    expect(callJSON('count', set(1, 2, 2))).toBe(2);
  });

  test('count rejects scalars with OPA wording', () => {
    expect(() => call('count', 1)).toThrow('operand 1 must be one of {array, object, set, string} but got number');
    expect(() => call('count', null)).toThrow(BuiltinTypeError);
  });

  test('sum and product are exact, also past 2^53', () => {
    expect(callJSON('sum', [1, 2, 3, 4])).toBe(10);
    expect(callJSON('sum', [49649733057, 1])).toBe(49649733058);
    expect(callJSON('sum', [0.1, 0.2])).toBe(0.3);
    expect(callJSON('sum', [])).toBe(0);
    expect(call('sum', [parseNumber('9007199254740993'), 1])).toBe('9007199254740994');
    expect(callJSON('product', set(1, 2, 3, 4))).toBe(24);
    expect(callJSON('product', [])).toBe(1);
    expect(() => call('sum', [1, 'a'])).toThrow('operand 1 must be array of numbers but got array containing string');
  });

  test('max, min and sort use the total order across types', () => {
    expect(callJSON('max', [1, 'a', null])).toBe('a');
    expect(callJSON('min', [3, 2, -7, 10])).toBe(-7);
    expect(call('max', [])).toBeUndefined();
    expect(callJSON('sort', [3, 'b', null, true, [1]])).toEqual([null, true, 3, 'b', [1]]);
    expect(callJSON('sort', set(3, 1, 2))).toEqual([1, 2, 3]);
    expect(callJSON('sort', ['b', 'a', 'B'])).toEqual(['B', 'a', 'b']);
  });

  test('sort orders strings by code point, as Go does, not by UTF-16 unit', () => {
    expect(callJSON('sort', ['\uffff', '😀'])).toEqual(['\uffff', '😀']);
  });

  test('deprecated all and any', () => {
    expect(callJSON('all', [true, true])).toBe(true);
    expect(callJSON('all', [true, 1])).toBe(false);
    expect(callJSON('all', [])).toBe(true);
    expect(callJSON('any', set(false, true))).toBe(true);
    expect(callJSON('any', [])).toBe(false);
    expect(() => call('all', 1)).toThrow('operand 1 must be one of {array, set} but got number');
    expect(() => call('sum', 1)).toThrow('operand 1 must be one of {set, array} but got number');
  });
});
