import { randomUUID } from 'node:crypto';
import { SharedRateLimiter } from '@plo/platform';
import { delay, eventually, PrivateRedis, ServiceProcess, TestStack } from '@plo/testing';
import { metric, request } from './api';

/**
 * Two instances of one service share each caller's rate limit through one Redis (RATE_LIMIT_STORE),
 * so alternating between them buys a caller nothing; with Redis gone they still answer, each limiting
 * on its own, and share again once it is back. The Redis is the test's own, so it can stop it.
 */
describe('a rate limit shared by several instances', () => {
  const redis = new PrivateRedis(16_300 + (process.pid % 90));
  const stack = new TestStack();
  const PER_MINUTE = 10;
  let first: ServiceProcess;
  let second: ServiceProcess;

  const manager = (subject: string) => stack.as({ subject, councilId: 'test-council', roles: ['team-manager'], teamIds: ['north-1'] });
  /** Alternates `count` requests between the two instances as one caller; returns each status and Retry-After. */
  const alternate = async (count: number, subject: string) => {
    const headers = await manager(subject);
    const answers: { status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < count; i += 1) {
      const response = await request(
        'GET',
        `${(i % 2 ? second : first).url}/kpis?teamId=north-1&from=2026-10-01&to=2026-12-31`,
        undefined,
        headers,
      );
      answers.push({ status: response.status, retryAfter: response.headers.get('retry-after') });
    }
    return answers;
  };

  beforeAll(async () => {
    await redis.start();
    const env = { RATE_LIMIT_STORE: redis.url, RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) };
    // Started one after the other: their health checks share the limit of the caller's address too.
    first = await stack.service('plo', env).start();
    second = await stack.service('plo', env).start();
  }, 120_000);

  afterAll(async () => {
    await stack.stop();
    await redis.stop();
  }, 60_000);

  it('refuses a caller alternating between two instances at the limit of one, with Retry-After', async () => {
    const answers = await alternate(PER_MINUTE + 4, `tm.${randomUUID()}`);
    expect(answers.slice(0, PER_MINUTE).map((a) => a.status)).toEqual(Array(PER_MINUTE).fill(200));
    // Each instance served five: alone, each would have let five more through.
    for (const refused of answers.slice(PER_MINUTE)) {
      expect(refused.status).toBe(429);
      // 10 a minute is one token every 6 s.
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(6);
    }
  }, 60_000);

  it('keeps answering when Redis is down, limiting per instance, and shares again once it is back', async () => {
    await redis.stop();
    const whileDown = await alternate(2 * PER_MINUTE + 2, `tm.${randomUUID()}`);
    // Each instance applies the whole limit itself: ten each, then 429s from both.
    expect(whileDown.filter((a) => a.status === 200)).toHaveLength(2 * PER_MINUTE);
    expect(whileDown.slice(2 * PER_MINUTE).map((a) => a.status)).toEqual([429, 429]);
    for (const instance of [first, second]) {
      const fallbacks = metric(await (await fetch(`${instance.url}/metrics`)).text(), 'rate_limit_store_fallbacks_total');
      expect(fallbacks).toBeGreaterThanOrEqual(PER_MINUTE);
    }

    await redis.start();
    // Each instance reconnects on its own schedule (at most 2 s apart); a fresh caller shows both have.
    const fallbacksOf = async (instance: ServiceProcess) =>
      metric(await (await fetch(`${instance.url}/metrics`)).text(), 'rate_limit_store_fallbacks_total');
    await eventually(
      async () => {
        const before = [await fallbacksOf(first), await fallbacksOf(second)];
        await alternate(2, `probe.${randomUUID()}`);
        return [(await fallbacksOf(first)) - before[0], (await fallbacksOf(second)) - before[1]];
      },
      (grown) => grown[0] === 0 && grown[1] === 0,
      20_000,
      'both instances back on the shared store',
    );
    await delay(100);
    const shared = await alternate(PER_MINUTE + 2, `tm.${randomUUID()}`);
    expect(shared.map((a) => a.status)).toEqual([...Array(PER_MINUTE).fill(200), 429, 429]);
  }, 90_000);
});

/** The bucket script itself, against the real Redis: what two limiters share, and how it refills. */
describe('SharedRateLimiter on Redis', () => {
  const redis = new PrivateRedis(16_400 + (process.pid % 90));
  const limiters: SharedRateLimiter[] = [];
  /** A limiter once connected: until then it limits on its own, which would blur what is shared. */
  const limiter = async (perMinute: number, keyPrefix: string) => {
    let fellBack = true;
    const made = new SharedRateLimiter({ url: redis.url, perMinute, keyPrefix, onFallback: () => (fellBack = true) });
    limiters.push(made);
    await eventually(
      async () => {
        fellBack = false;
        await made.take(`warm-up-${randomUUID()}`);
        return fellBack;
      },
      (fell) => !fell,
      5000,
      'the limiter connected',
    );
    return made;
  };

  beforeAll(() => redis.start(), 30_000);
  afterAll(async () => {
    for (const made of limiters) made.onApplicationShutdown();
    await redis.stop();
  });

  it('takes tokens from one bucket for two limiters of the same prefix, and refills at the rate', async () => {
    const prefix = `t${randomUUID()}:`;
    // 60 a minute is one token a second: the burst below takes a few milliseconds.
    const [a, b] = [await limiter(60, prefix), await limiter(60, prefix)];
    const verdicts = await Promise.all(Array.from({ length: 64 }, (_, i) => (i % 2 ? a : b).take('caller')));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(60);
    expect(verdicts.filter((v) => !v.allowed)).toEqual(Array(4).fill({ allowed: false, retryAfterSeconds: 1 }));
    await delay(2100);
    const refilled = await Promise.all(Array.from({ length: 4 }, () => b.take('caller')));
    expect(refilled.filter((v) => v.allowed)).toHaveLength(2);
  }, 30_000);

  it('keeps prefixes (services) and callers apart', async () => {
    const prefix = `t${randomUUID()}:`;
    const [cases, plo] = [await limiter(1, `${prefix}cases:`), await limiter(1, `${prefix}plo:`)];
    expect(await cases.take('x')).toEqual({ allowed: true });
    expect(await cases.take('x')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(await plo.take('x')).toEqual({ allowed: true });
    expect(await cases.take('y')).toEqual({ allowed: true });
  }, 30_000);
});
