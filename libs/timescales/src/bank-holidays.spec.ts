import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BANK_HOLIDAYS_FILE_ENV, BankHolidayTableError, loadBankHolidays, parseBankHolidays } from './bank-holidays';
import { DOMAIN_BANK_HOLIDAYS } from './testing/domain-bank-holidays';

/** Easter Sunday by the anonymous Gregorian algorithm: an independent check on the Easter rows. */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function shiftIso(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('the bundled England & Wales table', () => {
  const table = loadBankHolidays();

  it('covers 2018–2030', () => {
    expect(table.division).toBe('england-and-wales');
    expect(table.coverage).toEqual({ from: '2018-01-01', to: '2030-12-31' });
  });

  it('lists exactly the dates of domain.md §5', () => {
    expect(table.events.map((event) => event.date)).toEqual(DOMAIN_BANK_HOLIDAYS);
  });

  it('flags 2028–2030, and only those years, as projected', () => {
    const projectedYears = new Set(table.events.filter((event) => event.projected).map((event) => event.date.slice(0, 4)));
    expect([...projectedYears]).toEqual(['2028', '2029', '2030']);
    expect(table.events.filter((event) => event.date >= '2028').every((event) => event.projected)).toBe(true);
  });

  it('has Good Friday and Easter Monday where the Easter computus puts them', () => {
    for (let year = 2018; year <= 2030; year++) {
      const easter = easterSunday(year);
      const dates = table.events.map((event) => event.date);
      expect(dates).toContain(shiftIso(easter, -2));
      expect(dates).toContain(shiftIso(easter, 1));
    }
  });

  it('records the one-off and moved holidays with their titles', () => {
    const titleOn = (date: string) => table.events.find((event) => event.date === date)?.title;
    expect(titleOn('2020-05-08')).toMatch(/VE day/);
    expect(titleOn('2022-06-03')).toMatch(/Platinum Jubilee/);
    expect(titleOn('2022-09-19')).toMatch(/State Funeral/);
    expect(titleOn('2023-05-08')).toMatch(/coronation/);
    expect(titleOn('2020-12-28')).toBe('Boxing Day');
  });
});

describe('loading a table chosen by the operator', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'bank-holidays-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
    delete process.env[BANK_HOLIDAYS_FILE_ENV];
  });

  const writeTable = (name: string, content: unknown): string => {
    const path = join(folder, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it(`reads the file named by ${BANK_HOLIDAYS_FILE_ENV} when no path is given`, () => {
    const path = writeTable('custom.json', validDocument());
    process.env[BANK_HOLIDAYS_FILE_ENV] = path;
    const table = loadBankHolidays();
    expect(table.origin).toBe(path);
    expect(table.coverage).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('prefers an explicit path over the environment variable', () => {
    process.env[BANK_HOLIDAYS_FILE_ENV] = join(folder, 'missing.json');
    const path = writeTable('explicit.json', validDocument());
    expect(loadBankHolidays(path).origin).toBe(path);
  });

  it('names the file it cannot read', () => {
    const path = join(folder, 'missing.json');
    expect(() => loadBankHolidays(path)).toThrow(BankHolidayTableError);
    expect(() => loadBankHolidays(path)).toThrow(new RegExp(`${path}[\\s\\S]*cannot read the file`));
  });

  it('reports malformed JSON', () => {
    const path = writeTable('broken.json', '{ "division": ');
    expect(() => loadBankHolidays(path)).toThrow(/not valid JSON/);
  });

  it('keeps the GOV.UK fields it does not need (e.g. bunting) without complaint', () => {
    const document = validDocument();
    (document.events[0] as Record<string, unknown>).bunting = true;
    expect(() => loadBankHolidays(writeTable('feed.json', document))).not.toThrow();
  });
});

interface EditableDocument {
  division?: unknown;
  coverage?: unknown;
  events: unknown[];
}

/** A complete one-year table (2025) to mutate in validation tests. */
function validDocument(): EditableDocument {
  return {
    division: 'england-and-wales',
    coverage: { from: '2025-01-01', to: '2025-12-31' },
    events: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'].map(
      (date) => ({ title: `Holiday ${date}`, date, notes: '' }),
    ),
  };
}

function problemsOf(document: unknown): readonly string[] {
  try {
    parseBankHolidays(document, 'test.json');
  } catch (error) {
    if (error instanceof BankHolidayTableError) return error.problems;
    throw error;
  }
  throw new Error('expected the table to be rejected');
}

describe('validating a table', () => {
  it('accepts a well-formed table', () => {
    const table = parseBankHolidays(validDocument(), 'test.json');
    expect(table.events).toHaveLength(8);
    expect(table.events[0]).toEqual({ title: 'Holiday 2025-01-01', date: '2025-01-01', notes: '', projected: false });
  });

  it('rejects a document that is not an object', () => {
    expect(() => parseBankHolidays([], 'test.json')).toThrow(/must be a JSON object/);
  });

  it('requires the england-and-wales division', () => {
    expect(problemsOf({ ...validDocument(), division: 'scotland' })).toEqual([
      'division is "scotland"; this product needs "england-and-wales"',
    ]);
  });

  it('requires an explicit coverage period', () => {
    const { coverage: _ignored, ...withoutCoverage } = validDocument();
    expect(problemsOf(withoutCoverage)[0]).toMatch(/missing "coverage"/);
    expect(problemsOf({ ...validDocument(), coverage: { from: '2025-01-01', to: '2025-13-01' } })).toEqual([
      'coverage.to "2025-13-01" is not a date written YYYY-MM-DD',
    ]);
    expect(problemsOf({ ...validDocument(), coverage: { from: '2025-12-31', to: '2025-01-01' } })).toEqual([
      'coverage.to 2025-01-01 is before coverage.from 2025-12-31',
    ]);
  });

  it('requires an events array', () => {
    expect(problemsOf({ ...validDocument(), events: 'none' })).toEqual([
      '"events" must be an array of {"title", "date", "notes"?, "projected"?}',
    ]);
  });

  it('rejects dates that are not real calendar dates', () => {
    const document = validDocument();
    document.events[1] = { title: 'Good Friday', date: '2025-02-30' };
    expect(problemsOf(document)).toContain('events[1].date "2025-02-30" is not a real date written YYYY-MM-DD');
  });

  it('rejects events with missing titles or wrongly typed fields', () => {
    const document = validDocument();
    document.events[2] = { date: '2025-04-21', notes: 7, projected: 'yes' };
    expect(problemsOf(document)).toEqual([
      'events[2].title must be a non-empty string',
      'events[2].notes must be a string',
      'events[2].projected must be true or false',
    ]);
  });

  it('rejects events outside the coverage', () => {
    const document = validDocument();
    document.events.push({ title: 'New Year’s Day', date: '2026-01-01' });
    expect(problemsOf(document)).toEqual(['events[8] (2026-01-01 New Year’s Day) lies outside the coverage 2025-01-01 to 2025-12-31']);
  });

  it('rejects unsorted and duplicate events', () => {
    const unsorted = validDocument();
    [unsorted.events[3], unsorted.events[4]] = [unsorted.events[4], unsorted.events[3]];
    expect(problemsOf(unsorted)).toEqual([
      'events[4] (2025-05-05 Holiday 2025-05-05) is not after the previous event (2025-05-26): events must be sorted by date with no duplicates',
    ]);
    const duplicated = validDocument();
    duplicated.events.splice(7, 0, duplicated.events[6]);
    expect(problemsOf(duplicated)[0]).toMatch(/events\[7\] \(2025-12-25 .*\) is not after the previous event \(2025-12-25\)/);
  });

  it('rejects a weekend date listed where its substitute day belongs', () => {
    const document = validDocument();
    document.coverage = { from: '2021-01-01', to: '2021-12-31' };
    document.events = ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-25', '2021-12-28'].map(
      (date) => ({ title: 'Holiday', date }),
    );
    expect(problemsOf(document)).toEqual([
      'events[6] (2021-12-25 Holiday) falls on a Saturday: a bank holiday at a weekend is replaced by a weekday substitute day, so list the substitute day instead',
    ]);
  });

  it('rejects coverage extended over a year whose holidays were not added', () => {
    const document = validDocument();
    document.coverage = { from: '2025-01-01', to: '2026-12-31' };
    expect(problemsOf(document)).toEqual([
      "2026 lists 0 bank holidays but every year has at least 8: add that year's dates or end the coverage before it",
    ]);
  });

  it('does not demand 8 holidays of a partly covered year', () => {
    const document = validDocument();
    document.coverage = { from: '2025-01-01', to: '2026-01-31' };
    expect(() => parseBankHolidays(document, 'test.json')).not.toThrow();
  });

  it('reports every problem at once, naming the file', () => {
    const document = validDocument();
    document.division = 'scotland';
    document.events[0] = { title: '', date: '2025-01-01' };
    document.events[5] = { title: 'Summer', date: '2025-08-24' };
    const error = (() => {
      try {
        parseBankHolidays(document, '/etc/plo/holidays.json');
      } catch (caught) {
        return caught as BankHolidayTableError;
      }
      throw new Error('expected a BankHolidayTableError');
    })();
    expect(error.message).toMatch(/^Bank-holiday table \/etc\/plo\/holidays.json is not usable:/);
    expect(error.problems).toHaveLength(3);
  });
});
