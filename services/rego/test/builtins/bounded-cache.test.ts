import { BoundedCache } from '../../builtins/bounded-cache';

describe('BoundedCache', () => {
  test('keeps recently used entries and drops ones unused for a whole capacity of inserts', () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a and b move to the older generation
    expect(cache.get('a')).toBe(1); // promoted back
    cache.set('d', 4);
    cache.set('e', 5); // the generation holding b is dropped
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('e')).toBe(5);
  });

  test('getOrCompute computes once per key while cached', () => {
    const cache = new BoundedCache<string, number>(8);
    let calls = 0;
    const compute = () => ++calls;
    expect(cache.getOrCompute('k', compute)).toBe(1);
    expect(cache.getOrCompute('k', compute)).toBe(1);
    expect(calls).toBe(1);
  });
});
