import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import {
  developmentRealm,
  eventually,
  expectNoAccessibilityViolations,
  launchBrowser,
  oidcLogin,
  openPage,
  requireIdentityProvider,
  saveScreenshot,
  ServiceProcess,
  TestStack,
} from '@plo/testing';
import { londonDateOf } from '@plo/timescales';
import { newCase, request, SIBLINGS } from './api';

/**
 * The console in Chromium, signed in through a real OpenID provider (Keycloak, started by the test
 * command) with the authorisation code flow and PKCE, over the three services trusting that provider's
 * tokens. Every page is checked with axe at WCAG 2.2 AA and photographed under .local/screenshots/.
 * The data goes in through the services' APIs with the same people's Keycloak tokens.
 */
describe('console in the browser, signed in through Keycloak', () => {
  const stack = new TestStack();
  const council = 'demo-council';
  let realm: ReturnType<typeof developmentRealm>;
  let services: { cases: ServiceProcess; plo: ServiceProcess; alerting: ServiceProcess };
  let consoleApp: ServiceProcess<'console'>;
  let browser: Browser;
  let page: Page;
  const tokens: Record<string, string> = {};
  const seeded = { caseId: '', caseReference: '', ana: '', ben: '' };
  const on = (days: number) => londonDateOf(Date.now() + days * 86_400_000);

  /** A person's bearer header, from Keycloak, as an API client of theirs would hold it. */
  const as = async (person: string) => {
    tokens[person] ??= (await oidcLogin(realm, { username: person, password: realm.personaPassword })).accessToken;
    return { authorization: `Bearer ${tokens[person]}` };
  };
  const ok = async (method: string, url: string, body: unknown, person: string, headers: Record<string, string> = {}) => {
    const response = await request(method, url, body, { ...(await as(person)), ...headers });
    if (response.status >= 300) throw new Error(`${method} ${url} as ${person}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };

  beforeAll(async () => {
    const probe = developmentRealm('http://127.0.0.1/auth/callback');
    await requireIdentityProvider(probe.issuer);
    const trustKeycloak = { AUTH_MODE: 'oidc', AUTH_ISSUER: probe.issuer, AUTH_AUDIENCE: 'plo-api', NODE_ENV: 'test' };
    services = {
      cases: stack.service('cases', trustKeycloak),
      plo: stack.service('plo', trustKeycloak),
      alerting: stack.service('alerting', trustKeycloak),
    };
    await Promise.all(Object.values(services).map((service) => service.start()));
    consoleApp = stack.console(services, {
      SIGN_IN: 'oidc',
      OIDC_ISSUER: probe.issuer,
      OIDC_CLIENT_ID: probe.clientId,
      OIDC_CLIENT_SECRET: probe.clientSecret,
    });
    await consoleApp.start();
    realm = developmentRealm(`${consoleApp.url}/auth/callback`);
    browser = await launchBrowser();
    page = await openPage(browser);
  }, 180_000);

  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await stack.stop();
  }, 60_000);

  async function signInAtKeycloak(person: string) {
    await page.locator('#username').fill(person);
    await page.locator('#password').fill(realm.personaPassword);
    await page.locator('#kc-login').click();
    await page.waitForURL((url) => url.origin === consoleApp.url);
  }

  async function checkPage(name: string) {
    await expectNoAccessibilityViolations(page, name);
    await saveScreenshot(page, `console-${name}`);
  }

  const mainText = () => page.locator('main').innerText();

  it('seeds a family through the APIs with Keycloak tokens: drift for the team, proceedings with an extension and a moved hearing', async () => {
    const opened = await ok(
      'POST',
      `${services.cases.url}/cases`,
      newCase({
        councilId: council,
        teamId: 'north-1',
        allocatedWorkerId: 'sw.alex',
        teamManagerId: 'tm.sam',
        legalStatus: 'child-protection-plan',
        openedOn: on(-120),
        children: SIBLINGS,
      }),
      'tm.sam',
    );
    const child = (name: string) => opened.body.children.find((c: { firstName: string }) => c.firstName === name).id as string;
    Object.assign(seeded, { caseId: opened.body.id, caseReference: opened.body.caseReference, ana: child('Ana'), ben: child('Ben') });
    await eventually(
      () => stack.sql('plo', 'SELECT 1 FROM known_case_children WHERE case_id = $1', [seeded.caseId]),
      (rows) => rows.length === 2,
      30_000,
      'PLO to know the case and both children',
    );
    const plo = services.plo.url;
    const issued = await ok(
      'POST',
      `${plo}/proceedings`,
      {
        caseId: seeded.caseId,
        court: 'Northtown Family Court',
        courtCaseNumber: 'NT26C00042',
        issuedOn: on(-70),
        submittedOn: on(-70),
        childIds: [seeded.ana, seeded.ben],
      },
      'law.kim',
    );
    const proceedingsId = issued.body.proceedingsId;
    const cmh = await ok(
      'POST',
      `${plo}/proceedings/${proceedingsId}/hearings`,
      { hearingType: 'case-management', startsAt: `${on(-56)}T10:00:00Z`, listingStatus: 'fixed' },
      'law.kim',
    );
    await ok('POST', `${plo}/proceedings/${proceedingsId}/hearings/${cmh.body.id}/move`, { startsAt: `${on(-54)}T10:00:00Z` }, 'law.kim');
    await ok(
      'POST',
      `${plo}/proceedings/${proceedingsId}/hearings`,
      { hearingType: 'final', startsAt: `${on(140)}T10:00:00Z`, listingStatus: 'fixed' },
      'law.kim',
    );
    await ok(
      'POST',
      `${plo}/proceedings/${proceedingsId}/children/${seeded.ana}/extensions`,
      { grantedOn: on(0), extendBy: '8 weeks', reason: 'timetable-for-child' },
      'law.kim',
    );
    // The children's visits were due long ago: alerting has drift for the team.
    await eventually(
      () => stack.sql('alerting', `SELECT 1 FROM alerts WHERE case_id = $1 AND level = 'drift' AND state = 'open'`, [seeded.caseId]),
      (rows) => rows.length > 0,
      60_000,
      'drift on the seeded case',
    );
  }, 120_000);

  it('signs a team manager in through Keycloak and shows the team this week with the seeded drift', async () => {
    await page.goto(`${consoleApp.url}/team`);
    expect(new URL(page.url()).origin).not.toBe(consoleApp.url); // at the identity provider
    await signInAtKeycloak('tm.sam');
    expect(new URL(page.url()).pathname).toBe('/team');
    const text = await mainText();
    expect(text).toContain('Ana Sibling');
    expect(text).toMatch(/drift/i);
    const cookies = await page.context().cookies(consoleApp.url);
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([['__Host-plo-console', true, 'Lax']]);
    await checkPage('team');
  }, 60_000);

  it('acknowledges an alert with the keyboard alone, and the alerting API shows it acknowledged', async () => {
    await page.goto(`${consoleApp.url}/team`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent.trim()')).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    let focused = '';
    for (let presses = 0; presses < 200 && !focused.startsWith('Acknowledge'); presses += 1) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<string>('(document.activeElement.textContent || "").trim()');
    }
    expect(focused).toMatch(/^Acknowledge .*alert for /);
    const alertId = (await page.evaluate<string>('document.activeElement.value')).split(':')[0];
    // The focused control shows GOV.UK's yellow focus state: keyboard users can see where they are.
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).backgroundColor')).toBe('rgb(255, 221, 0)');
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('.govuk-notification-banner');
    const alert = await request<{ state: string; acknowledgedBy?: string }>(
      'GET',
      `${services.alerting.url}/alerts/${alertId}`,
      undefined,
      await as('tm.sam'),
    );
    expect(alert.body.state).toBe('acknowledged');
    await checkPage('team-acknowledged');
  }, 60_000);

  it('resolves an alert from its confirmation page, refusing an empty reason first', async () => {
    await page.goto(`${consoleApp.url}/team`);
    await page
      .getByRole('link', { name: /^Resolve / })
      .first()
      .click();
    await page.waitForURL(/\/team\/alerts\/[^/]+\/resolve/);
    const alertId = new URL(page.url()).pathname.split('/')[3];
    await checkPage('resolve');
    await page.getByRole('button', { name: 'Resolve alert' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter why the alert can be resolved');
    await checkPage('resolve-error');
    await page.getByLabel('Why can this alert be resolved?').fill('The visit happened; the record was late.');
    await page.getByRole('button', { name: 'Resolve alert' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Alert resolved');
    const alert = await request<{ state: string }>('GET', `${services.alerting.url}/alerts/${alertId}`, undefined, await as('tm.sam'));
    expect(alert.body.state).toBe('resolved');
  }, 60_000);

  it("draws the case's PLO timeline per child with the extension and the moved hearing", async () => {
    await page.goto(`${consoleApp.url}/cases/${seeded.caseId}`);
    const timelines = page.locator('svg[role="img"]');
    expect(await timelines.count()).toBe(2);
    const description = await timelines.first().locator('desc').textContent();
    expect(description).toContain('Extended once');
    expect(description).toMatch(/moved from/);
    await checkPage('case-timeline');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href$="/chronology.pdf"]').first().click()]);
    expect(download.suggestedFilename()).toMatch(/^chronology-.+-Ana-Sibling\.pdf$/);
    expect((await readFile((await download.path())!)).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('shows the KPI table and downloads it as CSV', async () => {
    await page.goto(`${consoleApp.url}/kpis`);
    const text = await mainText();
    expect(text).toContain('Children in need seen in the last 6 weeks');
    expect(text).toContain('Proceedings concluded within 26 weeks');
    await checkPage('kpis');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Download these figures as CSV').click()]);
    expect(download.suggestedFilename()).toMatch(/^kpis-north-1-\d{4}-\d{2}-vs-\d{4}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^group,measure,counted,/);
    expect(csv).toContain('Care proceedings,Proceedings concluded within 26 weeks,per child');
  }, 60_000);

  it('signs out: the session ends here and at Keycloak, so the next visit asks for a password again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${consoleApp.url}/signed-out`);
    expect(await mainText()).toContain('You have signed out');
    await checkPage('signed-out');
    await page.goto(`${consoleApp.url}/team`);
    expect(await page.locator('#password').count()).toBe(1);
  }, 60_000);

  it('gives a social worker of another team the 404 page for the case', async () => {
    await signInAtKeycloak('sw.pat');
    const response = await page.goto(`${consoleApp.url}/cases/${seeded.caseId}`);
    expect(response?.status()).toBe(404);
    expect(await mainText()).toContain('Page not found');
    expect(await mainText()).not.toContain('Ana');
    await checkPage('not-found');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${consoleApp.url}/signed-out`);
  }, 60_000);

  it('offers the demo personas on an accessible page when the console runs with the development sign-in', async () => {
    const development = stack.console(services, { SIGN_IN: 'development' });
    await development.start();
    try {
      const own = await openPage(browser);
      await own.goto(`${development.url}/sign-in`);
      expect(await own.getByRole('radio').count()).toBe(6);
      await expectNoAccessibilityViolations(own, 'development sign-in');
      await saveScreenshot(own, 'console-development-sign-in');
      await own.getByRole('button', { name: 'Sign in' }).click();
      expect(await own.locator('.govuk-error-summary').innerText()).toContain('Select who to sign in as');
      await expectNoAccessibilityViolations(own, 'development sign-in with an error');
      await own.context().close();
    } finally {
      await development.kill();
    }
  }, 60_000);

  it('shows legal staff the proceedings with each child’s clock, and a service manager the teams ranked', async () => {
    await page.goto(`${consoleApp.url}/legal`);
    await signInAtKeycloak('law.kim');
    expect(await mainText()).toContain('Ana Sibling');
    await checkPage('legal');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${consoleApp.url}/signed-out`);

    await page.goto(`${consoleApp.url}/service`);
    await signInAtKeycloak('sm.jo');
    expect(await mainText()).toContain('north-1');
    await checkPage('service');
  }, 90_000);
});
