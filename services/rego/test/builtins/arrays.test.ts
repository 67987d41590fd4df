import { callJSON } from './call';

describe('arrays', () => {
  test('concat, reverse, flatten', () => {
    expect(callJSON('array.concat', [1, 2], [3])).toEqual([1, 2, 3]);
    expect(callJSON('array.concat', [], [])).toEqual([]);
    expect(callJSON('array.reverse', [1, 2, 3])).toEqual([3, 2, 1]);
    expect(callJSON('array.flatten', [1, [2, [3]], []])).toEqual([1, 2, [3]]);
    expect(() => callJSON('array.concat', {}, [])).toThrow('operand 1 must be array but got object');
  });

  test('slice clamps its indices', () => {
    expect(callJSON('array.slice', [1, 2, 3, 4, 5], 1, 3)).toEqual([2, 3]);
    expect(callJSON('array.slice', [1, 2, 3, 4, 5], -1, 2)).toEqual([1, 2]);
    expect(callJSON('array.slice', [1, 2, 3, 4, 5], 3, 6)).toEqual([4, 5]);
    expect(callJSON('array.slice', [1, 2, 3, 4, 5], 4, 1)).toEqual([]);
    expect(callJSON('array.slice', [], 1000, 2000)).toEqual([]);
  });
});
