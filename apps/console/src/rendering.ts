import type { NestExpressApplication } from '@nestjs/platform-express';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';

const LONDON = 'Europe/London';
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hour: '2-digit', minute: '2-digit', hour12: false });

/** `2026-12-07` or an instant, as people in England read a date: 7 Dec 2026. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dayFormat.format(date);
}

/** An instant as a London date and time: 7 Dec 2026, 16:00. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : `${dayFormat.format(date)}, ${timeFormat.format(date)}`;
}

/** How long ago, in the unit a manager thinks in: hours, then days, then weeks. */
export function formatAge(since: string | Date | null | undefined, now = new Date()): string {
  if (!since) return '';
  const hours = Math.max(0, (now.getTime() - new Date(since).getTime()) / 3_600_000);
  if (hours < 24) return `${Math.floor(hours)} h`;
  const days = Math.floor(hours / 24);
  return days < 14 ? `${days} d` : `${Math.floor(days / 7)} wk`;
}

export const GOVUK_FRONTEND = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/** Nunjucks over the console's views and the GOV.UK Frontend macros, autoescaping everything. */
export function configureRendering(app: NestExpressApplication, viewsDirectory: string): nunjucks.Environment {
  const environment = nunjucks.configure([viewsDirectory, GOVUK_FRONTEND], {
    autoescape: true,
    throwOnUndefined: false,
    express: app.getHttpAdapter().getInstance(),
  });
  environment.addFilter('date', formatDate);
  environment.addFilter('dateTime', formatDateTime);
  environment.addFilter('age', formatAge);
  // GOV.UK's select and radios macros mark the chosen item with `selected`.
  environment.addFilter('selectedItem', (items: { value: string; text: string }[], chosen: string) =>
    items.map((item) => ({ ...item, selected: item.value === chosen })),
  );
  app.setViewEngine('njk');
  return environment;
}
