import { oldestKeyOf } from '../collections/oldest-key';

describe('oldestKeyOf', () => {
  it('gives the oldest key in insertion order while the memo deletes what it gets', () => {
    const memo = new Map<string, number>();
    const oldest = oldestKeyOf(memo);
    for (const key of ['a', 'b', 'c', 'd']) memo.set(key, 0);
    memo.delete('b');
    memo.delete('a');
    memo.set('a', 1);
    const evicted: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const key = oldest();
      evicted.push(key);
      memo.delete(key as string);
    }
    expect(evicted).toEqual(['c', 'd', 'a']);
    expect(oldest()).toBeUndefined();
    memo.set('e', 2);
    expect(oldest()).toBe('e');
  });

  it('keeps up with many evictions in a large set', () => {
    const seen = new Set<number>();
    const oldest = oldestKeyOf(seen);
    for (let n = 0; n < 50_000; n++) {
      seen.add(n);
      if (seen.size > 1000) expect(seen.delete(oldest() as number)).toBe(true);
    }
    expect(Math.min(...seen)).toBe(49_000);
  });

  it('starts over after the collection is cleared', () => {
    const memo = new Map([['a', 1], ['b', 2]]);
    const oldest = oldestKeyOf(memo);
    memo.delete(oldest() as string);
    memo.clear();
    memo.set('c', 3);
    expect(oldest()).toBe('c');
  });
});
