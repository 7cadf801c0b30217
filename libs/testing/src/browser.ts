import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repositoryRoot } from './repository-root';

// playwright-core and axe are loaded only when a test opens a browser: loading them costs about half a
// second, which every test file importing @plo/testing would otherwise pay.

/** Where Debian's chromium package puts its launcher; `scripts/chromium.sh ensure` installs it. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Playwright passes most of these itself, but this is the set checked on these machines, so it is
 * stated rather than left to Playwright's defaults: without the background-networking ones Chromium
 * keeps calling Google hosts this machine cannot reach. `--user-data-dir` is absent on purpose:
 * Playwright refuses it in `launch()` and instead creates a fresh profile folder in the system's
 * temporary folder for every launch, which it deletes when the browser closes.
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The axe tags that together make WCAG 2.2 level AA (axe tags each rule with the version that added it). */
export const WCAG_22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The Chromium binary the tests drive: CHROMIUM_PATH, else Debian's. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
  if (!existsSync(path)) throw new Error(`no Chromium at ${path}: run \`bash scripts/chromium.sh ensure\` (npm test does it for you)`);
  return path;
}

/**
 * A headless Chromium with a profile of its own, removed when `browser.close()` returns. Open pages
 * with `openPage(browser)`.
 */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}

/**
 * A page in a browser context of its own, so cookies and storage never leak between tests. Close it
 * with `page.context().close()`, which closes the page too. Not `browser.newPage()`: axe opens a
 * second page in the page's context to gather its results, which a context made that way refuses.
 */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/**
 * Runs axe on the page as it is now and throws when it breaks any WCAG 2.2 AA rule, listing each
 * rule (id, impact, what it asks) and the elements that break it. `label` names the page in the error.
 */
export async function expectNoAccessibilityViolations(page: Page, label: string): Promise<void> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA_TAGS).analyze();
  if (violations.length === 0) return;
  const lines = violations.flatMap((violation) => [
    `- ${violation.id} (${violation.impact ?? 'impact not rated'}): ${violation.help} [${violation.helpUrl}]`,
    // A target is one selector per frame level, and a list of selectors where it crosses shadow roots.
    ...violation.nodes.map((node) => `    ${node.target.map((level) => [level].flat().join(' >>> ')).join(' in frame ')}`),
  ]);
  throw new Error(`${label}: ${violations.length} WCAG 2.2 AA accessibility violation(s) at ${page.url()}\n${lines.join('\n')}`);
}

/** Saves the whole page (not just the viewport) as `.local/screenshots/<name>.png` and returns that path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)} must be a plain file name`);
  const folder = join(repositoryRoot(), '.local', 'screenshots');
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
