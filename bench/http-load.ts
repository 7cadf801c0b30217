// HTTP load for the API and memory benchmarks: autocannon, each request drawn afresh (a different
// caller, team or case), every answer checked for the status and the content the caller expects —
// a fast 401 or an empty page must not pass for a fast read.
import autocannon from 'autocannon';

export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  /** True when the response body is the right answer to this request. */
  isRightAnswer: (body: string) => boolean;
}

export interface LoadOptions {
  title: string;
  url: string;
  seconds: number;
  connections: number;
  /** Requests per second across all connections; omitted, as fast as the target answers. */
  rate?: number;
  next: () => BenchRequest;
  /** Print a progress line every this many seconds (0: quiet). */
  progressEverySeconds?: number;
}

export interface LoadFigures {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  wrongAnswers: number;
}

export function runLoad(options: LoadOptions): Promise<LoadFigures> {
  let wrongAnswers = 0;
  let completed = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        title: options.title,
        duration: options.seconds,
        connections: options.connections,
        overallRate: options.rate,
        timeout: 10,
        requests: [
          {
            setupRequest: (request, context: { expected?: BenchRequest }) => {
              const next = options.next();
              context.expected = next;
              return { ...request, method: 'GET', path: next.path, headers: { ...request.headers, ...next.headers } };
            },
            onResponse: (status, body, context: { expected?: BenchRequest }) => {
              completed += 1;
              if (status >= 200 && status < 300 && !context.expected?.isRightAnswer(body)) wrongAnswers += 1;
            },
          },
        ],
      },
      (error, result) => {
        clearInterval(progress);
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          requestsPerSecond: Math.round(result.requests.total / result.duration),
          p50Ms: result.latency.p50,
          p90Ms: result.latency.p90,
          p99Ms: result.latency.p99,
          maxMs: result.latency.max,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          wrongAnswers,
        });
      },
    );
    const startedAt = Date.now();
    const every = options.progressEverySeconds ?? 5;
    const progress = setInterval(
      () => {
        if (every)
          console.log(
            `    ${options.title}: ${completed.toLocaleString('en-GB')} answers after ${Math.round((Date.now() - startedAt) / 1000)} s`,
          );
      },
      (every || 3600) * 1000,
    );
    instance.on('error', reject);
  });
}
