import { ServiceProcess, TestStack } from '@plo/testing';
import { randomUUID } from 'node:crypto';
import { newCase, request } from './api';

/** What helmet 8 sent with our directives when the services ran on Express: the policy must not loosen. */
const CONTENT_SECURITY_POLICY: Record<string, string> = {
  'default-src': "'self'",
  'base-uri': "'self'",
  'font-src': "'self' https: data:",
  'form-action': "'self'",
  'frame-ancestors': "'self'",
  'img-src': "'self' data:",
  'object-src': "'none'",
  'script-src': "'self'",
  'script-src-attr': "'none'",
  'style-src': "'self' 'unsafe-inline'",
  'upgrade-insecure-requests': '',
};

const SECURITY_HEADERS: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

function directives(policy: string | null): Record<string, string> {
  return Object.fromEntries(
    (policy ?? '').split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources.join(' ')];
    }),
  );
}

function securityHeadersOf(headers: Headers) {
  return {
    contentSecurityPolicy: directives(headers.get('content-security-policy')),
    ...Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, headers.get(name)])),
    'x-powered-by': headers.get('x-powered-by'),
  };
}

/**
 * The HTTP surface every service shares (libs/platform/src/bootstrap.ts): security headers on every
 * answer, CORS for named origins only, body limits that say what they are, correlation ids.
 */
describe('the HTTP surface of a service', () => {
  const stack = new TestStack();
  const council = `c${stack.id}`;
  const allowedOrigin = 'https://console.council.example';
  const administrator = { subject: 'admin.ana', councilId: council, roles: ['administrator' as const], teamIds: ['north-1'] };
  let cases: ServiceProcess;

  beforeAll(async () => {
    cases = await stack.service('cases', { CORS_ORIGINS: allowedOrigin }).start();
  }, 120_000);
  afterAll(() => stack.stop(), 60_000);

  it('sends the same security headers and policy on API answers, errors, 404s and the docs', async () => {
    const expected = { contentSecurityPolicy: CONTENT_SECURITY_POLICY, ...SECURITY_HEADERS, 'x-powered-by': null };
    const opened = await request('POST', `${cases.url}/cases`, newCase({ councilId: council }), await stack.as(administrator));
    expect(opened.status).toBe(201);
    const unauthenticated = await request('GET', `${cases.url}/cases/${opened.body.id}`);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toBe('Bearer');
    for (const answer of [
      opened,
      unauthenticated,
      await fetch(`${cases.url}/no-such-route`),
      await fetch(`${cases.url}/docs`),
      await fetch(`${cases.url}/docs/openapi.json`),
    ]) {
      expect(securityHeadersOf(answer.headers)).toEqual(expected);
    }
    const docs = await fetch(`${cases.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await docs.text()).toContain('swagger-ui');
  }, 30_000);

  it('routes as Express did: a trailing slash or capitals reach the route, an over-long id its validation', async () => {
    const headers = await stack.as(administrator);
    expect((await fetch(`${cases.url}/health/`)).status).toBe(200);
    expect((await fetch(`${cases.url}/HEALTH`)).status).toBe(200);
    const long = await request('GET', `${cases.url}/cases/${'a'.repeat(300)}`, undefined, headers);
    expect(long.status).toBe(400);
  }, 30_000);

  it('answers CORS only for the origins CORS_ORIGINS names', async () => {
    const preflight = (origin: string) =>
      fetch(`${cases.url}/cases`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight(allowedOrigin);
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${cases.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  }, 30_000);

  it('refuses a body over the route’s limit with a 413 naming the limit; the history import takes more', async () => {
    const headers = await stack.as(administrator);
    const padding = 'x'.repeat(300_000);
    const huge = await request('POST', `${cases.url}/cases`, { ...newCase({ councilId: council }), padding }, headers);
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({
      statusCode: 413,
      message: 'request body is too large: this route takes at most 256 kB',
      correlationId: expect.any(String),
    });
    expect(huge.headers.get('x-content-type-options')).toBe('nosniff');
    // Past the body limit, the import's own validation answers: the same body is read, not refused for its size.
    const extract = await request('POST', `${cases.url}/history-imports/ssd`, { padding }, headers);
    expect(extract.status).toBe(400);
    expect(extract.body.message).toBe('validation failed');
  }, 30_000);

  it('answers a body of megabytes with its 413, never with a connection dropped under a client still sending it', async () => {
    // Fastify refuses by the Content-Length before reading a byte; the 413 used to go out, and the
    // connection close, while the client was still sending, and Node's fetch then reported a failure.
    const headers = await stack.as(administrator);
    const body = JSON.stringify({ ...newCase({ councilId: council }), padding: 'x'.repeat(8 * 1024 * 1024) });
    const statuses: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await fetch(`${cases.url}/cases`, {
        method: 'POST',
        body,
        headers: { ...headers, 'content-type': 'application/json' },
      })
        .then(async (response) => `${response.status} ${((await response.json()) as { message: string }).message}`)
        .catch((error: Error & { cause?: Error }) => `no answer: ${error.cause?.message ?? error.message}`);
      statuses.push(answer);
    }
    expect(statuses).toEqual(Array(5).fill('413 request body is too large: this route takes at most 256 kB'));
  }, 60_000);

  it('answers a body that is not JSON with a 400 saying so and the correlation id; an empty one is an empty object', async () => {
    const headers = await stack.as(administrator);
    const correlationId = randomUUID();
    const broken = await request('POST', `${cases.url}/cases`, '{"councilId": ', { ...headers, 'x-correlation-id': correlationId });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ statusCode: 400, message: 'request body is not valid JSON', correlationId });
    expect(broken.headers.get('x-correlation-id')).toBe(correlationId);
    const empty = await request('POST', `${cases.url}/cases`, undefined, headers);
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe('validation failed');
    expect(empty.body.fields.map((field: { field: string }) => field.field)).toContain('councilId');
  }, 30_000);
});
