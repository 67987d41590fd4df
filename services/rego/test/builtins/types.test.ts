import { parseNumber } from '../../value';
import { callJSON, set } from './call';

describe('types', () => {
  test('predicates and type_name', () => {
    expect(callJSON('is_number', 1)).toBe(true);
    expect(callJSON('is_number', '1')).toBe(false);
    expect(callJSON('is_string', '')).toBe(true);
    expect(callJSON('is_boolean', false)).toBe(true);
    expect(callJSON('is_array', [])).toBe(true);
    expect(callJSON('is_set', set())).toBe(true);
    expect(callJSON('is_object', {})).toBe(true);
    expect(callJSON('is_null', null)).toBe(true);
    expect([null, true, 1, 's', [], {}, set()].map((v) => callJSON('type_name', v))).toEqual([
      'null',
      'boolean',
      'number',
      'string',
      'array',
      'object',
      'set',
    ]);
    expect(callJSON('type_name', parseNumber('1e400'))).toBe('number');
  });
});
