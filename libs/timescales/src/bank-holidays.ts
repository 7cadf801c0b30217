import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type LocalDate, isLocalDate, toEpochDay, weekdayOfEpochDay } from './local-date';

/**
 * The England & Wales bank-holiday table is data, not code: one-off holidays (jubilees, funerals,
 * coronations) are announced at short notice, so the operator replaces the file without a release.
 *
 * Where the table comes from, in order:
 *   1. the `path` argument of `loadBankHolidays(path)`;
 *   2. the file named by the environment variable `BANK_HOLIDAYS_FILE`;
 *   3. the bundled `libs/timescales/data/bank-holidays.england-and-wales.json`.
 *
 * File shape: the GOV.UK feed (https://www.gov.uk/bank-holidays.json) reduced to the
 * england-and-wales division, plus an explicit coverage period, because "no event listed" must mean
 * "not a bank holiday" only for dates the table claims to be complete for:
 *
 *   { "division": "england-and-wales",
 *     "coverage": { "from": "2018-01-01", "to": "2030-12-31" },
 *     "events": [ { "title": "New Year’s Day", "date": "2018-01-01", "notes": "", "projected"?: true } ] }
 *
 * `projected: true` marks dates derived from the standing rules rather than announced by GOV.UK.
 */
export const BANK_HOLIDAYS_FILE_ENV = 'BANK_HOLIDAYS_FILE';

const BUNDLED_FILE_NAME = 'bank-holidays.england-and-wales.json';
const DIVISION = 'england-and-wales';
// England and Wales have had at least 8 bank holidays every year since 1978; fewer in a covered year
// means someone extended the coverage without adding that year's dates.
const MIN_EVENTS_PER_FULL_YEAR = 8;

export interface BankHoliday {
  readonly title: string;
  readonly date: LocalDate;
  readonly notes: string;
  readonly projected: boolean;
}

export interface Coverage {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

export interface BankHolidayTable {
  readonly division: typeof DIVISION;
  readonly coverage: Coverage;
  readonly events: readonly BankHoliday[];
  /** Where the table was read from, for messages and health reports. */
  readonly origin: string;
}

export class BankHolidayTableError extends Error {
  constructor(
    readonly origin: string,
    readonly problems: readonly string[],
  ) {
    super(`Bank-holiday table ${origin} is not usable:\n  - ${problems.join('\n  - ')}`);
    this.name = 'BankHolidayTableError';
  }
}

/**
 * Compiled output (e.g. dist/libs/timescales/src) does not carry the data folder, so when running
 * from a build the bundled file is looked up from the working directory (the repository root) too.
 */
function bundledFileCandidates(): string[] {
  return [resolve(__dirname, '..', 'data', BUNDLED_FILE_NAME), resolve(process.cwd(), 'libs', 'timescales', 'data', BUNDLED_FILE_NAME)];
}

function resolveTablePath(path: string | undefined): string {
  if (path !== undefined) return resolve(path);
  const fromEnvironment = process.env[BANK_HOLIDAYS_FILE_ENV];
  if (fromEnvironment) return resolve(fromEnvironment);
  const candidates = bundledFileCandidates();
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new BankHolidayTableError(candidates.join(' or '), [
      `bundled table not found; set ${BANK_HOLIDAYS_FILE_ENV} to the table's path`,
    ]);
  }
  return found;
}

export function loadBankHolidays(path?: string): BankHolidayTable {
  const resolvedPath = resolveTablePath(path);
  let text: string;
  try {
    text = readFileSync(resolvedPath, 'utf8');
  } catch (error) {
    throw new BankHolidayTableError(resolvedPath, [`cannot read the file: ${(error as Error).message}`]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BankHolidayTableError(resolvedPath, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseBankHolidays(document, resolvedPath);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function readCoverage(document: Record<string, unknown>, problems: string[]): Coverage | undefined {
  const coverage = document.coverage;
  if (!isRecord(coverage)) {
    problems.push(
      'missing "coverage": {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"} ' + 'stating the dates the table lists every bank holiday for',
    );
    return undefined;
  }
  const { from, to } = coverage;
  if (!isLocalDate(from)) problems.push(`coverage.from ${describe(from)} is not a date written YYYY-MM-DD`);
  if (!isLocalDate(to)) problems.push(`coverage.to ${describe(to)} is not a date written YYYY-MM-DD`);
  if (!isLocalDate(from) || !isLocalDate(to)) return undefined;
  if (to < from) {
    problems.push(`coverage.to ${to} is before coverage.from ${from}`);
    return undefined;
  }
  return { from, to };
}

function readEvent(raw: unknown, index: number, problems: string[]): BankHoliday | undefined {
  const where = `events[${index}]`;
  if (!isRecord(raw)) {
    problems.push(`${where} is not an object`);
    return undefined;
  }
  const { title, date, notes, projected } = raw;
  const before = problems.length;
  if (typeof title !== 'string' || title.trim() === '') problems.push(`${where}.title must be a non-empty string`);
  if (!isLocalDate(date)) problems.push(`${where}.date ${describe(date)} is not a real date written YYYY-MM-DD`);
  if (notes !== undefined && typeof notes !== 'string') problems.push(`${where}.notes must be a string`);
  if (projected !== undefined && typeof projected !== 'boolean') {
    problems.push(`${where}.projected must be true or false`);
  }
  if (problems.length > before) return undefined;
  return {
    title: title as string,
    date: date as LocalDate,
    notes: (notes as string | undefined) ?? '',
    projected: projected === true,
  };
}

function checkEvent(event: BankHoliday, index: number, coverage: Coverage, previous: BankHoliday | undefined, problems: string[]): void {
  const where = `events[${index}] (${event.date} ${event.title})`;
  if (event.date < coverage.from || event.date > coverage.to) {
    problems.push(`${where} lies outside the coverage ${coverage.from} to ${coverage.to}`);
  }
  const weekday = weekdayOfEpochDay(toEpochDay(event.date));
  if (weekday >= 6) {
    problems.push(
      `${where} falls on a ${weekday === 6 ? 'Saturday' : 'Sunday'}: a bank holiday at a weekend is ` +
        'replaced by a weekday substitute day, so list the substitute day instead',
    );
  }
  if (previous !== undefined && event.date <= previous.date) {
    problems.push(`${where} is not after the previous event (${previous.date}): events must be sorted by date with no duplicates`);
  }
}

function checkEveryYearIsListed(events: readonly BankHoliday[], coverage: Coverage, problems: string[]): void {
  const firstFullYear = Number(coverage.from.slice(0, 4)) + (coverage.from.endsWith('-01-01') ? 0 : 1);
  const lastFullYear = Number(coverage.to.slice(0, 4)) - (coverage.to.endsWith('-12-31') ? 0 : 1);
  for (let year = firstFullYear; year <= lastFullYear; year++) {
    const prefix = `${year}-`;
    const count = events.filter((event) => event.date.startsWith(prefix)).length;
    if (count < MIN_EVENTS_PER_FULL_YEAR) {
      problems.push(
        `${year} lists ${count} bank holidays but every year has at least ${MIN_EVENTS_PER_FULL_YEAR}: ` +
          "add that year's dates or end the coverage before it",
      );
    }
  }
}

/** Validates an already-parsed document (e.g. fetched from GOV.UK and given a coverage period). */
export function parseBankHolidays(document: unknown, origin: string): BankHolidayTable {
  if (!isRecord(document)) throw new BankHolidayTableError(origin, ['the document must be a JSON object']);
  const problems: string[] = [];
  if (document.division !== DIVISION) {
    problems.push(`division is ${describe(document.division)}; this product needs "${DIVISION}"`);
  }
  const coverage = readCoverage(document, problems);
  const rawEvents = document.events;
  if (!Array.isArray(rawEvents)) {
    problems.push('"events" must be an array of {"title", "date", "notes"?, "projected"?}');
    throw new BankHolidayTableError(origin, problems);
  }
  const events: BankHoliday[] = [];
  rawEvents.forEach((raw, index) => {
    const event = readEvent(raw, index, problems);
    if (event === undefined) return;
    if (coverage !== undefined) checkEvent(event, index, coverage, events[events.length - 1], problems);
    events.push(event);
  });
  // Counting a year's holidays only means something once all of its events could be read.
  if (coverage !== undefined && problems.length === 0) checkEveryYearIsListed(events, coverage, problems);
  if (problems.length > 0 || coverage === undefined) throw new BankHolidayTableError(origin, problems);
  return { division: DIVISION, coverage, events, origin };
}
