import { createDecisionCache } from '../pdp-client/decision-cache';
import { createMemoryRateLimiter } from '../rate-limit/memory-rate-limiter';

const decision = (id: string, ttl = 60) => ({ allow: true, reasons: [], cache_ttl: ttl, decision_id: id });

describe('the decision cache', () => {
  it('pushes out the oldest decision when full, and replaces a cached one without pushing anything out', () => {
    const cache = createDecisionCache(3);
    for (const key of ['a', 'b', 'c']) cache.put(key, decision(key));
    cache.put('a', decision('a2'));
    expect(cache.size).toBe(3);
    cache.put('d', decision('d'));
    cache.put('e', decision('e'));
    expect(['a', 'b', 'c', 'd', 'e'].map((key) => cache.get(key)?.decision_id)).toEqual([undefined, undefined, 'c', 'd', 'e']);
  });

  it('keeps evicting in insertion order across many evictions and after clear', () => {
    const cache = createDecisionCache(100);
    for (let n = 0; n < 10_000; n += 1) cache.put(String(n), decision(String(n)));
    expect(cache.size).toBe(100);
    expect(cache.get('9899')).toBeUndefined();
    expect(cache.get('9900')?.decision_id).toBe('9900');
    cache.clear();
    for (let n = 0; n < 101; n += 1) cache.put(`x${n}`, decision(`x${n}`));
    expect(cache.get('x0')).toBeUndefined();
    expect(cache.get('x1')?.decision_id).toBe('x1');
  });

  it('forgets a decision after its cache_ttl', () => {
    let now = 0;
    const cache = createDecisionCache(10, () => now);
    cache.put('a', decision('a', 2));
    now = 1999;
    expect(cache.get('a')?.decision_id).toBe('a');
    now = 2000;
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('the in-memory rate limiter', () => {
  it('keeps a bucket per key and starts over for a key whose bucket was pushed out', async () => {
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001 }, () => 0);
    expect((await limiter.take('first')).allowed).toBe(true);
    expect((await limiter.take('first')).allowed).toBe(false);
    // 100,000 buckets at most: the next 100,000 keys push out the first one.
    for (let n = 0; n < 100_000; n += 1) await limiter.take(`k${n}`);
    expect((await limiter.take('k99999')).allowed).toBe(false);
    expect((await limiter.take('first')).allowed).toBe(true);
    await limiter.close();
  });
});
