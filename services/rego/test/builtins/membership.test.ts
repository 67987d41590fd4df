import { callJSON, set } from './call';

describe('membership', () => {
  test('x in collection', () => {
    expect(callJSON('internal.member_2', 1, [2, 1])).toBe(true);
    expect(callJSON('internal.member_2', 1, set(1))).toBe(true);
    expect(callJSON('internal.member_2', 1, { a: 1 })).toBe(true);
    expect(callJSON('internal.member_2', 'a', { a: 1 })).toBe(false);
    expect(callJSON('internal.member_2', 1, 'foo')).toBe(false);
    expect(callJSON('internal.member_2', { a: [1] }, [{ a: [1] }])).toBe(true);
  });

  test('k, v in collection', () => {
    expect(callJSON('internal.member_3', 1, 'two', ['one', 'two'])).toBe(true);
    expect(callJSON('internal.member_3', 0, 'two', ['one', 'two'])).toBe(false);
    expect(callJSON('internal.member_3', 'foo', 1, { foo: 1 })).toBe(true);
    expect(callJSON('internal.member_3', 1.5, 'x', ['x', 'x'])).toBe(false);
    expect(callJSON('internal.member_3', 1, 'foo', 1)).toBe(false);
    // A set member is its own key.
    expect(callJSON('internal.member_3', 1, 1, set(1))).toBe(true);
    expect(callJSON('internal.member_3', 1, 2, set(1))).toBe(false);
  });
});
