import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConsoleUser, repositoryRoot, ServiceProcess, TestStack } from '@plo/testing';

/**
 * Signing in and out of the console, and what a session is: a cookie the page scripts cannot read,
 * bound to a server-side row that ends when the person signs out, stops using it, or the day ends.
 * The OpenID Connect flow against a real identity provider is in console-browser.int-spec.ts.
 */
describe('console sessions', () => {
  const stack = new TestStack();
  let consoleApp: ServiceProcess<'console'>;

  beforeAll(async () => {
    const [cases, plo, alerting] = [stack.service('cases'), stack.service('plo'), stack.service('alerting')];
    await Promise.all([cases.start(), plo.start(), alerting.start()]);
    consoleApp = stack.console({ cases, plo, alerting });
    await consoleApp.start();
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  it('sends a person who is not signed in to sign in, and back to the page they asked for afterwards', async () => {
    const person = new ConsoleUser(consoleApp.url);
    const asked = await person.request('/kpis?from=2026-10-01');
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/sign-in?returnTo=%2Fkpis%3Ffrom%3D2026-10-01');
    const signedIn = await person.signInAs('sm.jo', '/kpis?from=2026-10-01');
    expect(new URL(signedIn.url).pathname + new URL(signedIn.url).search).toBe('/kpis?from=2026-10-01');
  });

  it('never redirects off the site after sign-in', async () => {
    const person = new ConsoleUser(consoleApp.url);
    const signedIn = await person.signInAs('tm.sam', 'https://evil.example/phish');
    expect(signedIn.url.startsWith(consoleApp.url)).toBe(true);
    expect(new URL(signedIn.url).pathname).toBe('/team');
  });

  it('keeps the session in an httpOnly, SameSite, Secure cookie, replaced at sign-in so a planted id is worthless', async () => {
    const person = new ConsoleUser(consoleApp.url);
    const page = await person.request('/sign-in');
    const before = page.headers.getSetCookie()[0];
    expect(before).toMatch(/^__Host-plo-console=[\w-]{40,};/);
    expect(before).toMatch(/HttpOnly/);
    expect(before).toMatch(/SameSite=Lax/);
    expect(before).toMatch(/Secure/);
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const signIn = await person.request('/sign-in', { form: { _csrf: csrf, persona: 'tm.sam', returnTo: '/' } });
    expect(signIn.status).toBe(303);
    const after = signIn.headers.getSetCookie()[0];
    expect(after.split(';')[0]).not.toBe(before.split(';')[0]);

    const planted = await fetch(`${consoleApp.url}/team`, { headers: { cookie: before.split(';')[0] }, redirect: 'manual' });
    expect(planted.status).toBe(303);
    expect(planted.headers.get('location')).toMatch(/^\/sign-in/);
  });

  it('refuses a form without its CSRF token, and signs in nobody', async () => {
    const person = new ConsoleUser(consoleApp.url);
    await person.visit('/sign-in');
    const forged = await person.visit('/sign-in', { form: { persona: 'tm.sam', returnTo: '/' } });
    expect(forged.status).toBe(403);
    expect((await person.request('/team')).status).toBe(303);
  });

  it('refuses a persona that does not exist, naming the field', async () => {
    const person = new ConsoleUser(consoleApp.url);
    await person.visit('/sign-in');
    const refused = await person.submit('/sign-in', { persona: 'root', returnTo: '/' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Select who to sign in as');
    expect(refused.html).toContain('href="#persona"');
  });

  it('ends the session at sign-out: the old cookie no longer opens a page', async () => {
    const person = new ConsoleUser(consoleApp.url);
    await person.signInAs('tm.sam', '/team');
    const cookie = (await person.request('/team')).headers.get('set-cookie');
    expect(cookie).toBeNull();
    const signedOut = await person.submit('/sign-out');
    expect(signedOut.html).toContain('You have signed out');
    expect((await person.request('/team')).status).toBe(303);
  });

  it('ends a session left idle longer than the idle limit', async () => {
    const person = new ConsoleUser(consoleApp.url);
    await person.signInAs('tm.sam', '/team');
    const rows = await stack.sql<{ n: number }>(
      'console',
      `UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes' WHERE person IS NOT NULL RETURNING 1 AS n`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const after = await person.request('/team');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/sign-in?returnTo=%2Fteam');
  });

  it('refuses to start in production with the development sign-in', () => {
    const entry = join(repositoryRoot(), 'dist', 'apps', 'console', 'src', 'main.js');
    const run = spawnSync(process.execPath, [entry], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', SIGN_IN: 'development', SECURE_COOKIES: 'true' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('SIGN_IN must be oidc when NODE_ENV=production');
  });
});
