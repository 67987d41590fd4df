import Redis from 'ioredis';
import type { Logger } from '../../common';
import type { RateLimiter, RateLimitSettings } from './rate-limiter';

// One atomic step per request: refill by elapsed time, take a token if there is one. Redis's clock
// is used, so replicas with skewed clocks still share one bucket.
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or nowMs
tokens = math.min(capacity, tokens + (nowMs - at) / 1000 * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', nowMs)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
if allowed == 1 then return {1, 0} end
return {0, math.ceil((1 - tokens) / rate * 1000)}
`;

/**
 * Token buckets in Redis, so every proxy replica enforces one limit per principal. When Redis cannot be
 * reached the request is refused (fail closed), like an unreachable PDP.
 */
export function createRedisRateLimiter(url: string, settings: RateLimitSettings, logger: Logger, keyPrefix = 'mcp-authz:proxy:rate:'): RateLimiter {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', (error) => logger.warn({ err: error }, 'rate limit store unreachable'));
  redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  const take = (redis as unknown as { takeToken(key: string, capacity: number, rate: number): Promise<[number, number]> }).takeToken.bind(redis);
  return {
    async take(key) {
      try {
        const [allowed, retryAfterMs] = await take(`${keyPrefix}${key}`, settings.capacity, settings.refillPerSecond);
        return { allowed: allowed === 1, retryAfterMs };
      } catch {
        return { allowed: false, retryAfterMs: 1000 };
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
