import { call, callJSON, set } from './call';

describe('json.filter and json.remove', () => {
  test('filter keeps listed paths, strings or segment arrays', () => {
    const doc = { a: { b: { c: 7, d: 8 } }, e: 9 };
    expect(callJSON('json.filter', doc, set('a/b/c'))).toEqual({ a: { b: { c: 7 } } });
    expect(callJSON('json.filter', doc, ['a/b/c', 'e'])).toEqual({ a: { b: { c: 7 } }, e: 9 });
    expect(callJSON('json.filter', doc, set(['a', 'b', 'c'], ['e']))).toEqual({ a: { b: { c: 7 } }, e: 9 });
    expect(callJSON('json.filter', { a: [{ b: 7, c: 8 }, { d: 9 }] }, set('a/0/b', 'a/1'))).toEqual({ a: [{ b: 7 }, { d: 9 }] });
    expect(callJSON('json.filter', { a: 7 }, set())).toEqual({});
    // A scalar under a longer path is kept whole; array elements match index text only.
    expect(callJSON('json.filter', { a: 1, b: 2 }, ['a/x'])).toEqual({ a: 1 });
    expect(callJSON('json.filter', { a: [1, 2] }, [['a', 1]])).toEqual({ a: [] });
    expect(callJSON('json.filter', { a: set('x', 'y') }, ['a/x'])).toEqual({ a: ['x'] });
    expect(callJSON('json.filter', { a: 1 }, [''])).toEqual({});
  });

  test('remove drops listed paths; a parent path wins', () => {
    expect(callJSON('json.remove', { a: { b: 7 }, c: 1 }, set('a', 'a/b'))).toEqual({ c: 1 });
    expect(callJSON('json.remove', { a: [{ b: 7, c: 8 }, { d: 9 }] }, set('a/0/b', 'a/1'))).toEqual({ a: [{ c: 8 }] });
    expect(callJSON('json.remove', { a: [{ '1': ['b', 'c', 'd'] }] }, set('a/0/1/2'))).toEqual({ a: [{ '1': ['b', 'c'] }] });
    expect(callJSON('json.remove', {}, set('a/b'))).toEqual({});
    expect(callJSON('json.remove', { a: set('x', 'y') }, ['/a/x'])).toEqual({ a: ['y'] });
    expect(callJSON('json.remove', { a: 1 }, [''])).toEqual({ a: 1 });
  });

  test('type errors use OPA wording', () => {
    expect(() => call('json.remove', [], set())).toThrow('operand 1 must be object but got array');
    expect(() => call('json.remove', {}, 'a')).toThrow('operand 2 must be one of {set, array} but got string');
    expect(() => call('json.filter', {}, [1])).toThrow(
      'operand 2 must be one of {set, array} containing string paths or array of path segments but got number',
    );
  });
});

describe('json.patch', () => {
  test('RFC 6902 operations', () => {
    expect(callJSON('json.patch', { a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }])).toEqual({ a: [1, 2, 3] });
    expect(callJSON('json.patch', { a: [1, 2] }, [{ op: 'add', path: '/a/0', value: 0 }])).toEqual({ a: [0, 1, 2] });
    expect(callJSON('json.patch', { a: 1 }, [{ op: 'replace', path: '/a', value: 2 }])).toEqual({ a: 2 });
    expect(callJSON('json.patch', { a: 1, b: 2 }, [{ op: 'remove', path: '/a' }])).toEqual({ b: 2 });
    expect(callJSON('json.patch', { a: { x: 1 } }, [{ op: 'move', from: '/a/x', path: '/b' }])).toEqual({ a: {}, b: 1 });
    expect(callJSON('json.patch', { a: [1] }, [{ op: 'copy', from: '/a', path: '/b' }])).toEqual({ a: [1], b: [1] });
    expect(callJSON('json.patch', { 'a/b': 1 }, [{ op: 'test', path: '/a~1b', value: 1 }])).toEqual({ 'a/b': 1 });
    expect(callJSON('json.patch', { a: 1 }, [{ op: 'replace', path: '', value: [] }])).toEqual([]);
  });

  test('a failing patch is undefined, not an error (as in OPA, even when strict)', () => {
    expect(call('json.patch', { q: {} }, [{ op: 'add', path: '/a/b', value: 1 }])).toBeUndefined();
    expect(call('json.patch', [1, 2, 3], [{ op: 'add', path: '1.2', value: 'foo' }])).toBeUndefined();
    expect(call('json.patch', { a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toBeUndefined();
    expect(call('json.patch', [1], [{ op: 'remove', path: '/5' }])).toBeUndefined();
    expect(call('json.patch', {}, [{ op: 'frobnicate', path: '/a' }])).toBeUndefined();
  });

  test('sets are addressed by member', () => {
    expect(callJSON('json.patch', { foo: set('a', 'b') }, [{ op: 'add', path: 'foo/d', value: 'd' }])).toEqual({ foo: ['a', 'b', 'd'] });
    expect(callJSON('json.patch', { foo: set('a', 'b') }, [{ op: 'remove', path: 'foo/b' }])).toEqual({ foo: ['a'] });
    expect(call('json.patch', { foo: set('a') }, [{ op: 'add', path: 'foo/d', value: 'e' }])).toBeUndefined();
    expect(callJSON('json.patch', set([1]), [{ op: 'add', path: [[1], 1], value: 2 }])).toEqual([[1, 2]]);
  });
});

describe('JSON Schema', () => {
  const schema = { properties: { id: { type: 'integer' } }, required: ['id'] };

  test('match_schema returns gojsonschema-shaped results', () => {
    expect(callJSON('json.match_schema', { id: 5 }, schema)).toEqual([true, []]);
    expect(callJSON('json.match_schema', '{"id": 5}', JSON.stringify(schema))).toEqual([true, []]);
    expect(callJSON('json.match_schema', { id: 'foo' }, schema)).toEqual([
      false,
      [
        {
          desc: 'Invalid type. Expected: integer, given: string',
          error: 'id: Invalid type. Expected: integer, given: string',
          field: 'id',
          type: 'invalid_type',
        },
      ],
    ]);
    expect(callJSON('json.match_schema', {}, schema)).toEqual([
      false,
      [{ desc: 'id is required', error: '(root): id is required', field: '(root)', type: 'required' }],
    ]);
  });

  test('invalid schemas', () => {
    expect(() => call('json.match_schema', {}, { type: 'unknown' })).toThrow(
      'has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]',
    );
    expect(callJSON('json.verify_schema', { type: 'boolean' })).toEqual([true, null]);
    expect(callJSON('json.verify_schema', '{"type": "unknown_type"}')).toEqual([
      false,
      'jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]',
    ]);
    expect(callJSON('json.verify_schema', 5)).toEqual([false, 'jsonschema: wrong type, expected string or object']);
    expect(callJSON('json.verify_schema', '{')).toEqual([false, 'jsonschema: invalid JSON string']);
    expect(() => call('json.match_schema', {}, '{')).toThrow('invalid JSON string');
  });
});
