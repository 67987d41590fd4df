import { callJSON, set } from './call';

describe('objects', () => {
  test('get with keys, paths and defaults', () => {
    expect(callJSON('object.get', { a: 'b' }, 'a', 'c')).toBe('b');
    expect(callJSON('object.get', { a: 'b' }, 'x', 'c')).toBe('c');
    expect(callJSON('object.get', { a: 1 }, [], 2)).toEqual({ a: 1 });
    expect(callJSON('object.get', { a: { b: [{ c: 1 }] } }, ['a', 'b', 0, 'c'], 2)).toBe(1);
    expect(callJSON('object.get', { a: { b: [1] } }, ['a', 'b', 'a'], 2)).toBe(2);
    expect(callJSON('object.get', { a: false }, 'a', true)).toBe(false);
    expect(() => callJSON('object.get', 'x', 'a', 1)).toThrow('operand 1 must be object but got string');
  });

  test('remove and filter take arrays, sets or objects of keys', () => {
    expect(callJSON('object.remove', { a: 1, b: 2, c: 3 }, ['a'])).toEqual({ b: 2, c: 3 });
    expect(callJSON('object.remove', { a: 1, b: 2 }, set('a', 'b'))).toEqual({});
    expect(callJSON('object.remove', { a: 1, b: 2 }, { b: 'x' })).toEqual({ a: 1 });
    expect(callJSON('object.filter', { a: 1, b: 2, c: 3 }, ['a', 'c', 'z'])).toEqual({ a: 1, c: 3 });
    expect(() => callJSON('object.filter', { a: 1 }, 'a')).toThrow('operand 2 must be one of {object, set, array} but got string');
  });

  test('union merges nested objects, right wins otherwise', () => {
    expect(callJSON('object.union', { a: { b: 1, c: 2 }, d: 1 }, { a: { b: 3 }, d: { x: 1 } })).toEqual({
      a: { b: 3, c: 2 },
      d: { x: 1 },
    });
    expect(callJSON('object.union_n', [{ a: { b: 2 } }, { a: 4 }, { a: { c: 3 } }])).toEqual({ a: { c: 3 } });
    expect(callJSON('object.union_n', [])).toEqual({});
    expect(() => callJSON('object.union_n', [1])).toThrow('operand 1 must be array of objects but got array containing number');
  });

  test('keys', () => {
    expect(callJSON('object.keys', { b: 1, a: 2 })).toEqual(['a', 'b']);
  });

  test('subset', () => {
    expect(callJSON('object.subset', { a: 5, b: 7, n: { x: 10, s: set(1, 2, 3), arr: [6, 7, 8] } }, { n: { s: set(1), arr: [7, 8] } })).toBe(true);
    expect(callJSON('object.subset', { a: 5 }, { a: 6 })).toBe(false);
    expect(callJSON('object.subset', set(1, 2, set('a', 'b')), set(set('a')))).toBe(false);
    expect(callJSON('object.subset', [1, 2, 3, 4], [2, 3])).toBe(true);
    expect(callJSON('object.subset', [1, 2, 3, 4], [2, 4])).toBe(false);
    expect(callJSON('object.subset', [1, 2, 3], set(3, 1))).toBe(true);
    expect(callJSON('object.subset', [1, 2, 3], [])).toBe(true);
    // OPA counts repeated array members towards a set's members.
    expect(callJSON('object.subset', [1, 1], set(1, 2))).toBe(true);
    expect(callJSON('object.subset', [], set())).toBe(false);
    expect(callJSON('object.subset', { a: [1, 2] }, { a: set(1) })).toBe(false);
    expect(() => callJSON('object.subset', set(1), [1])).toThrow('both arguments object.subset must be of the same type or array and set');
  });
});
