/** What a limiter answers for one request. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts a request by `key` at `nowMs` if the window has room. */
  take(key: string, nowMs: number): RateDecision;
}

/**
 * At most `limit` requests per key in any `windowMs` (a sliding log of the accepted requests'
 * times, kept in this process). A refused request does not count, so a client that waits
 * Retry-After seconds is let through.
 *
 * @example const limiter = slidingWindowLimiter({ limit: 60, windowMs: 60_000 }); limiter.take("key:1", Date.now()) // { ok: true }
 */
export function slidingWindowLimiter({ limit, windowMs, keysKept = 10_000 }: { limit: number; windowMs: number; keysKept?: number }): RateLimiter {
  const log = new Map<string, number[]>();
  return {
    take(key, nowMs) {
      const times = (log.get(key) ?? []).filter((time) => time > nowMs - windowMs);
      if (times.length >= limit) {
        log.set(key, times);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0] + windowMs - nowMs) / 1000)) };
      }
      times.push(nowMs);
      log.delete(key);
      log.set(key, times);
      // The least recently used keys go first when too many are kept.
      if (log.size > keysKept) log.delete(log.keys().next().value!);
      return { ok: true };
    },
  };
}
