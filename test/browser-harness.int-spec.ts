import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, resolve } from 'node:path';
import nunjucks from 'nunjucks';
import type { Browser, Page } from 'playwright-core';
import { expectNoAccessibilityViolations, launchBrowser, openPage, repositoryRoot, saveScreenshot } from '@plo/testing';

/**
 * The browser harness against a GOV.UK page wired the way a server-rendered GOV.UK service is:
 * govuk-frontend's own page template and button macro through nunjucks, its compiled stylesheet,
 * fonts and images served from the package, its JavaScript started as an ES module.
 */
const GOVUK_DIST = join(repositoryRoot(), 'node_modules', 'govuk-frontend', 'dist');

// `assetPath` (favicons, manifest) defaults to /assets, and the compiled stylesheet asks for its fonts
// and the crown at /assets too, so the package's assets folder is served there.
const PAGE = `
{% extends "govuk/template.njk" %}
{% from "govuk/components/button/macro.njk" import govukButton %}
{% block pageTitle %}Check the harness – GOV.UK{% endblock %}
{% block head %}<link rel="stylesheet" href="/stylesheets/govuk-frontend.min.css">{% endblock %}
{% block content %}
  <h1 class="govuk-heading-l">Check the harness</h1>
  {% if broken %}<img src="/assets/images/govuk-crest.svg">{% endif %}
  {{ govukButton({ text: "Save and continue" }) }}
{% endblock %}
{% block bodyEnd %}
  <script type="module">
    import { initAll } from '/javascripts/govuk-frontend.min.js';
    initAll();
  </script>
{% endblock %}
`;

// The project compiles for Node, without the DOM library, so code that runs in the page is given as source text.
const backgroundColour = (page: Page, selector: string) =>
  page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);
const loadedFontFamilies = (page: Page) =>
  page.evaluate<string[]>('[...document.fonts].filter((face) => face.status === "loaded").map((face) => face.family)');

// A page load plus an axe run takes one to two seconds here, and several times that while other
// test runs share the two cores.
const BROWSER_TEST_MS = 30_000;

const STATIC: Record<string, string> = {
  '/stylesheets/': join(GOVUK_DIST, 'govuk'),
  '/javascripts/': join(GOVUK_DIST, 'govuk'),
  '/assets/': join(GOVUK_DIST, 'govuk', 'assets'),
};
const TYPES: Record<string, string> = {
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/manifest+json',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

async function staticFile(pathname: string): Promise<{ body: Buffer; type: string } | undefined> {
  const prefix = Object.keys(STATIC).find((candidate) => pathname.startsWith(candidate));
  if (!prefix) return undefined;
  const folder = STATIC[prefix];
  const file = resolve(folder, `.${pathname.slice(prefix.length - 1)}`);
  if (relative(folder, file).startsWith('..') || !TYPES[extname(file)] || !existsSync(file)) return undefined;
  return { body: await readFile(file), type: TYPES[extname(file)] };
}

describe('browser harness (Debian Chromium, axe, screenshots) on a GOV.UK Frontend page', () => {
  const views = new nunjucks.Environment(new nunjucks.FileSystemLoader(GOVUK_DIST), { autoescape: true });
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const { pathname } = new URL(request.url ?? '/', 'http://localhost');
      if (pathname === '/' || pathname === '/broken') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(views.renderString(PAGE, { broken: pathname === '/broken' }));
        return;
      }
      staticFile(pathname).then(
        (found) => {
          response.writeHead(found ? 200 : 404, { 'content-type': found?.type ?? 'text/plain' });
          response.end(found?.body ?? 'not found');
        },
        (error: Error) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(error.message);
        },
      );
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 60_000);

  beforeEach(async () => {
    page = await openPage(browser);
  });

  afterEach(async () => {
    await page.context().close();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((closed) => server?.close(closed));
  });

  it(
    'shows the GOV.UK page styled and its JavaScript started',
    async () => {
      const failed: string[] = [];
      page.on('response', (response) => {
        if (!response.ok()) failed.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${origin}/`, { waitUntil: 'networkidle' });

      expect(await page.title()).toBe('Check the harness – GOV.UK');
      expect(await page.locator('h1').textContent()).toBe('Check the harness');
      const button = page.getByRole('button', { name: 'Save and continue' });
      expect(await backgroundColour(page, '.govuk-button')).toBe('rgb(15, 122, 82)');
      expect(await button.getAttribute('data-govuk-button-init')).toBe('');
      expect((await page.locator('body').getAttribute('class'))?.split(' ')).toContain('govuk-frontend-supported');
      expect(await loadedFontFamilies(page)).toContain('GDS Transport');
      expect(failed).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'finds no WCAG 2.2 AA violation on it',
    async () => {
      await page.goto(`${origin}/`);
      await expect(expectNoAccessibilityViolations(page, 'harness page')).resolves.toBeUndefined();
    },
    BROWSER_TEST_MS,
  );

  it(
    'names the rule and the element when an image has no text alternative',
    async () => {
      await page.goto(`${origin}/broken`);
      const failure = expectNoAccessibilityViolations(page, 'broken harness page');
      await expect(failure).rejects.toThrow(/^broken harness page: 1 WCAG 2\.2 AA accessibility violation/);
      await expect(failure).rejects.toThrow(/- image-alt \(critical\): Images must have alternative text.*\n {4}img\b/);
    },
    BROWSER_TEST_MS,
  );

  it(
    'reaches the button with the keyboard and shows where the focus is',
    async () => {
      await page.goto(`${origin}/`);
      const focused = page.locator(':focus');
      const stops: (string | undefined)[] = [];
      for (let press = 0; press < 3; press++) {
        await page.keyboard.press('Tab');
        stops.push((await focused.textContent())?.trim());
      }
      expect(stops).toEqual(['Skip to main content', 'GOV.UK', 'Save and continue']);
      expect(await focused.getAttribute('class')).toBe('govuk-button');
      expect(await backgroundColour(page, ':focus')).toBe('rgb(255, 221, 0)');
    },
    BROWSER_TEST_MS,
  );

  it(
    'saves a full-page screenshot under .local/screenshots',
    async () => {
      await page.goto(`${origin}/`);
      const path = await saveScreenshot(page, 'browser-harness');
      expect(path).toBe(join(repositoryRoot(), '.local', 'screenshots', 'browser-harness.png'));
      const png = readFileSync(path);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(page.viewportSize()!.width);
    },
    BROWSER_TEST_MS,
  );

  it(
    'launches Chromium with the machine flags and a throwaway profile',
    async () => {
      const own = await launchBrowser();
      const versionPage = await openPage(own);
      await versionPage.goto('chrome://version');
      const commandLine = await versionPage.locator('#command_line').textContent();
      const profile = (await versionPage.locator('#profile_path').textContent())!;
      expect(commandLine).toContain('--disable-background-networking');
      expect(commandLine).toContain('--disable-quic');
      expect(existsSync(profile)).toBe(true);
      await own.close();
      expect(existsSync(profile)).toBe(false);
    },
    BROWSER_TEST_MS,
  );
});
