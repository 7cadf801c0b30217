import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst up to the limit, then asks the caller to wait, then refills', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i += 1) expect(limiter.take('tm.sam').allowed).toBe(true);
    expect(limiter.take('tm.sam')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(limiter.take('tm.sam').allowed).toBe(true);
  });

  it('keeps callers apart', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });
});
