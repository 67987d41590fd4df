import { callJSON, set } from './call';

describe('sets', () => {
  test('binary and n-ary union and intersection', () => {
    expect(callJSON('or', set(1, 2), set(2, 3))).toEqual([1, 2, 3]);
    expect(callJSON('and', set(1, 2), set(2, 3))).toEqual([2]);
    expect(callJSON('union', set(set(1), set(2), set()))).toEqual([1, 2]);
    expect(callJSON('intersection', set(set(1, 2), set(2, 3)))).toEqual([2]);
    expect(callJSON('intersection', set())).toEqual([]);
    expect(callJSON('set_diff', set(1, 2), set(2))).toEqual([1]);
    expect(() => callJSON('union', set(1))).toThrow('operand 1 must be set of sets but got set containing number');
  });
});
