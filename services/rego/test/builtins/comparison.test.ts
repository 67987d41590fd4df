import { parseNumber } from '../../value';
import { callJSON, set } from './call';

describe('comparison', () => {
  test('equality is structural, numbers compare by value', () => {
    expect(callJSON('equal', 1, 1.0)).toBe(true);
    expect(callJSON('equal', set(1, 2), set(2, 1))).toBe(true);
    expect(callJSON('equal', { a: [1] }, { a: [1] })).toBe(true);
    expect(callJSON('neq', parseNumber('28857836529306024611913'), parseNumber('28857836529306024611912'))).toBe(true);
  });

  test('ordering follows OPA across types', () => {
    expect(callJSON('lt', null, false)).toBe(true);
    expect(callJSON('lt', true, 0)).toBe(true);
    expect(callJSON('lt', 1e308, 'a')).toBe(true);
    expect(callJSON('lt', 'z', [])).toBe(true);
    expect(callJSON('lt', [1, 2], {})).toBe(true);
    expect(callJSON('lt', {}, set())).toBe(true);
    expect(callJSON('gte', [1, 2], [1])).toBe(true);
    expect(callJSON('lte', 'a', 'a')).toBe(true);
    expect(callJSON('gt', 'b', 'a')).toBe(true);
  });
});
