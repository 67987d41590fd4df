/** Per-principal token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateLimitSettings {
  capacity: number;
  refillPerSecond: number;
}

export interface RateLimitOutcome {
  allowed: boolean;
  retryAfterMs: number;
}

export interface RateLimiter {
  take(key: string): Promise<RateLimitOutcome>;
  close(): Promise<void>;
}

/** A limiter that never limits, for `PROXY_RATE_LIMIT=0`. */
export const unlimited: RateLimiter = {
  take: async () => ({ allowed: true, retryAfterMs: 0 }),
  close: async () => undefined,
};
