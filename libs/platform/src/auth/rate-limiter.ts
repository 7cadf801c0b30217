import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A token bucket per caller: `perMinute` requests a minute on average, bursting to the same number.
 * The guard only asks `take`; where the buckets live is the subclass's business.
 */
export abstract class RateLimiter {
  /** Takes one token; says how many seconds to wait when there is none. */
  abstract take(caller: string): Promise<RateVerdict>;
}

/**
 * Buckets in this process's memory: exact for one instance, but each instance keeps its own, so N
 * instances let a caller through N times. Buckets idle for a while are dropped so memory stays bounded.
 */
export class MemoryRateLimiter extends RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async take(caller: string): Promise<RateVerdict> {
    return this.takeNow(caller);
  }

  takeNow(caller: string): RateVerdict {
    const now = this.now();
    this.sweep(now);
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(caller) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = now;
    this.buckets.set(caller, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / ratePerMs / 1000) };
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [caller, bucket] of this.buckets) if (now - bucket.updatedAt > 120_000) this.buckets.delete(caller);
  }
}

/**
 * The same bucket as MemoryRateLimiter, kept in Redis and updated by one script, so reading, refilling
 * and taking a token is atomic across every instance. Redis's clock, not each instance's, measures the
 * refill, so instances whose clocks disagree still agree on the bucket. A bucket idle long enough to
 * be full again is expired: a full bucket and a missing one are the same.
 *
 * KEYS[1] the caller's bucket; ARGV[1] tokens a minute (also the burst).
 * Returns {1, 0} when allowed, {0, milliseconds until a token} when not.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate_per_ms = capacity / 60000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1])
local at = tonumber(bucket[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate_per_ms)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate_per_ms) + 1000)
if allowed == 1 then
  return {1, 0}
end
return {0, math.ceil((1 - tokens) / rate_per_ms)}
`;

type RedisWithTake = Redis & { takeToken(key: string, perMinute: number): Promise<[number, number]> };

export interface SharedRateLimiterOptions {
  /** redis://host:port[/db] */
  url: string;
  perMinute: number;
  /** Keeps services (and environments sharing one Redis) in their own buckets. */
  keyPrefix: string;
  /** A store slower than this counts as down for that request. */
  commandTimeoutMs?: number;
  /** Called each time a request is limited by this instance alone because the store did not answer. */
  onFallback?: () => void;
}

/**
 * Buckets shared by every instance through Redis. When Redis does not answer (down, restarting,
 * unreachable, or slower than the command timeout) a request is not refused for it: this instance
 * limits it with its own MemoryRateLimiter, as a single instance would, and says so once in the log
 * (and in a metric per request). The shared buckets take over again as soon as Redis answers. While it
 * is down a caller spreading requests over N instances gets up to N times the limit; refusing every
 * request for the want of a counter would be worse for a council.
 */
export class SharedRateLimiter extends RateLimiter {
  private readonly logger = new Logger('rate-limit');
  private readonly redis: RedisWithTake;
  private readonly local: MemoryRateLimiter;
  private degraded = false;

  constructor(private readonly options: SharedRateLimiterOptions) {
    super();
    this.local = new MemoryRateLimiter(options.perMinute);
    this.redis = new Redis(options.url, {
      // Fail at once while disconnected instead of queueing requests behind a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
      connectTimeout: 1000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      lazyConnect: false,
    }) as RedisWithTake;
    this.redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    // Connection errors surface as failed commands below; without a listener ioredis prints each one.
    this.redis.on('error', () => undefined);
  }

  /**
   * Nest calls this before the service listens: a second for Redis to answer, so the first requests
   * are limited together rather than by this instance alone. Starting is not held up for longer.
   */
  async onModuleInit() {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async take(caller: string): Promise<RateVerdict> {
    try {
      const [allowed, waitMs] = await this.redis.takeToken(`${this.options.keyPrefix}${caller}`, this.options.perMinute);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log({ msg: 'rate-limit store answers again; limits are shared across instances' });
      }
      return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn({
          msg: 'rate-limit store unavailable; limiting per instance until it answers',
          error: error instanceof Error ? error.message : String(error),
        });
      }
      this.options.onFallback?.();
      return this.local.takeNow(caller);
    }
  }

  /** Nest calls this on shutdown: an open connection would keep the process alive. */
  onApplicationShutdown() {
    this.redis.disconnect();
  }
}
