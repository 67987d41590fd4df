import { oldestKeyOf } from '../../common/collections/oldest-key';
import type { RateLimiter, RateLimitSettings } from './rate-limiter';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 100_000;

/** Token buckets in this process; one proxy replica's view only (see redis-rate-limiter.ts for shared limits). */
export function createMemoryRateLimiter(settings: RateLimitSettings, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const oldest = oldestKeyOf(buckets);
  return {
    async take(key) {
      const at = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS) buckets.delete(oldest() as string);
        bucket = { tokens: settings.capacity, updatedAt: at };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(settings.capacity, bucket.tokens + ((at - bucket.updatedAt) / 1000) * settings.refillPerSecond);
      bucket.updatedAt = at;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, retryAfterMs: 0 };
      }
      return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / settings.refillPerSecond) * 1000) };
    },
    async close() {
      buckets.clear();
    },
  };
}
