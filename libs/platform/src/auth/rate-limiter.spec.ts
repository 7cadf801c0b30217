import { createServer } from 'node:net';
import { MemoryRateLimiter, SharedRateLimiter } from './rate-limiter';

describe('MemoryRateLimiter', () => {
  it('allows a burst up to the limit, then asks the caller to wait, then refills', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(60, () => now);
    for (let i = 0; i < 60; i += 1) expect((await limiter.take('tm.sam')).allowed).toBe(true);
    expect(await limiter.take('tm.sam')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1000;
    expect((await limiter.take('tm.sam')).allowed).toBe(true);
  });

  it('refills at the rate, never above the burst', () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(6, () => now);
    for (let i = 0; i < 6; i += 1) limiter.takeNow('a');
    // 6 a minute is one every 10 s: 25 s gives two tokens and half of a third.
    now += 25_000;
    expect(limiter.takeNow('a').allowed).toBe(true);
    expect(limiter.takeNow('a').allowed).toBe(true);
    expect(limiter.takeNow('a')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    now += 3_600_000;
    for (let i = 0; i < 6; i += 1) expect(limiter.takeNow('a').allowed).toBe(true);
    expect(limiter.takeNow('a').allowed).toBe(false);
  });

  it('does not mint tokens when the clock steps back', () => {
    let now = 10_000;
    const limiter = new MemoryRateLimiter(1, () => now);
    expect(limiter.takeNow('a').allowed).toBe(true);
    now = 0;
    expect(limiter.takeNow('a').allowed).toBe(false);
  });

  it('keeps callers apart', () => {
    const limiter = new MemoryRateLimiter(1, () => 0);
    expect(limiter.takeNow('a').allowed).toBe(true);
    expect(limiter.takeNow('a').allowed).toBe(false);
    expect(limiter.takeNow('b').allowed).toBe(true);
  });
});

describe('SharedRateLimiter without its store', () => {
  it('limits per instance, counting each fallback, when nothing answers at the store address', async () => {
    // A port that was free a moment ago: connections to it are refused.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    let fallbacks = 0;
    const limiter = new SharedRateLimiter({
      url: `redis://127.0.0.1:${port}`,
      perMinute: 3,
      keyPrefix: 'unit:',
      onFallback: () => (fallbacks += 1),
    });
    try {
      const verdicts = [];
      for (let i = 0; i < 4; i += 1) verdicts.push(await limiter.take('sub:c:a'));
      expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
      expect(verdicts[3]).toEqual({ allowed: false, retryAfterSeconds: 20 });
      expect(fallbacks).toBe(4);
    } finally {
      limiter.onApplicationShutdown();
    }
  });
});
