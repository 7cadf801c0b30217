import fc from 'fast-check';
import { parseBankHolidays } from './bank-holidays';
import { type LocalDate, parseLocalDate } from './local-date';
import { DOMAIN_BANK_HOLIDAYS } from './testing/domain-bank-holidays';
import {
  COVERAGE_WARNING_MONTHS,
  CalendarCoverageError,
  WorkingDayCalendar,
  addWorkingDays,
  countWorkingDays,
  coverageMonthsAhead,
  defaultCalendar,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
} from './working-day-calendar';

const d = (text: string): LocalDate => parseLocalDate(text);
const calendar = defaultCalendar();

// Oracle for the whole table: JavaScript's calendar plus domain.md §5, independent of the library.
const MS_PER_DAY = 86_400_000;
const FIRST_MS = Date.UTC(2018, 0, 1);
const LAST_MS = Date.UTC(2030, 11, 31);
const domainHolidays = new Set(DOMAIN_BANK_HOLIDAYS);
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10) as LocalDate;
const oracleIsWorkingDay = (ms: number) => {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !domainHolidays.has(isoOf(ms));
};
const ALL_COVERED_DAYS: number[] = [];
for (let ms = FIRST_MS; ms <= LAST_MS; ms += MS_PER_DAY) ALL_COVERED_DAYS.push(ms);

describe('every date 2018–2030 against domain.md §5', () => {
  it('isWorkingDay is "weekday and not a bank holiday"', () => {
    const disagreements = ALL_COVERED_DAYS.filter((ms) => calendar.isWorkingDay(isoOf(ms)) !== oracleIsWorkingDay(ms));
    expect(disagreements.map(isoOf)).toEqual([]);
  });

  it('nextWorkingDay and previousWorkingDay are the nearest working days strictly after and before', () => {
    const workingDays = ALL_COVERED_DAYS.filter(oracleIsWorkingDay);
    let nextIndex = 0;
    for (const ms of ALL_COVERED_DAYS) {
      while (nextIndex < workingDays.length && workingDays[nextIndex] <= ms) nextIndex++;
      const date = isoOf(ms);
      if (nextIndex < workingDays.length) expect(calendar.nextWorkingDay(date)).toBe(isoOf(workingDays[nextIndex]));
      const previousIndex = oracleIsWorkingDay(ms) ? nextIndex - 2 : nextIndex - 1;
      if (previousIndex >= 0) expect(calendar.previousWorkingDay(date)).toBe(isoOf(workingDays[previousIndex]));
    }
  });

  it('countWorkingDays from the start of coverage is a running count of working days', () => {
    let running = 0;
    for (const ms of ALL_COVERED_DAYS) {
      if (ms !== FIRST_MS && oracleIsWorkingDay(ms)) running++;
      expect(calendar.countWorkingDays(d('2018-01-01'), isoOf(ms))).toBe(running);
    }
  });
});

describe('bank-holiday edges', () => {
  it.each([
    // Easter 2025: Good Friday 18 Apr, Easter Monday 21 Apr
    ['2025-04-17', 1, '2025-04-22'],
    ['2025-04-22', -1, '2025-04-17'],
    // Christmas 2020: Boxing Day (Sat) substituted on Mon 28 Dec; New Year's Day Fri 1 Jan 2021
    ['2020-12-24', 1, '2020-12-29'],
    ['2020-12-24', 4, '2021-01-04'],
    // Christmas 2021: both days at a weekend, substituted on 27 and 28 Dec; New Year's Day on Mon 3 Jan 2022
    ['2021-12-24', 1, '2021-12-29'],
    ['2021-12-31', 1, '2022-01-04'],
    // Christmas 2022: Christmas Day (Sun) substituted on Tue 27 Dec; New Year's Day on Mon 2 Jan 2023
    ['2022-12-23', 1, '2022-12-28'],
    ['2022-12-23', 4, '2023-01-03'],
    // VE Day 2020: the early May holiday moved from Mon 4 May to Fri 8 May
    ['2020-05-01', 1, '2020-05-04'],
    ['2020-05-07', 1, '2020-05-11'],
    // Platinum Jubilee 2022: Thu 2 and Fri 3 Jun; Mon 30 May was a working day
    ['2022-05-27', 1, '2022-05-30'],
    ['2022-06-01', 1, '2022-06-06'],
    // State Funeral, Mon 19 Sep 2022
    ['2022-09-16', 1, '2022-09-20'],
    // Early May and Coronation holidays, Mon 1 and Mon 8 May 2023
    ['2023-04-28', 5, '2023-05-09'],
    // Leap days
    ['2024-02-28', 1, '2024-02-29'],
    ['2028-02-25', 2, '2028-02-29'],
    // Non-working starting days are never counted themselves
    ['2025-01-04', 1, '2025-01-06'],
    ['2025-01-04', -1, '2025-01-03'],
    ['2025-12-25', 1, '2025-12-29'],
    ['2025-12-25', -1, '2025-12-24'],
    // n = 0 leaves the date where it is, even on a non-working day
    ['2025-01-04', 0, '2025-01-04'],
  ])('%s %+i working days = %s', (from, n, expected) => {
    expect(calendar.addWorkingDays(d(from), n)).toBe(expected);
  });

  it.each([
    ['2020-05-04', true],
    ['2020-05-08', false],
    ['2022-05-30', true],
    ['2022-06-02', false],
    ['2022-06-03', false],
    ['2022-09-19', false],
    ['2020-12-28', false],
    ['2020-12-26', false],
    ['2024-02-29', true],
    ['2026-03-29', false],
  ])('isWorkingDay(%s) is %s', (date, expected) => {
    expect(calendar.isWorkingDay(d(date))).toBe(expected);
  });

  it('counts (from, to]: the start day is not counted, the end day is', () => {
    expect(calendar.countWorkingDays(d('2025-04-17'), d('2025-04-22'))).toBe(1);
    expect(calendar.countWorkingDays(d('2025-04-22'), d('2025-04-17'))).toBe(-1);
    expect(calendar.countWorkingDays(d('2025-01-06'), d('2025-01-06'))).toBe(0);
    expect(calendar.countWorkingDays(d('2025-01-03'), d('2025-01-04'))).toBe(0);
    expect(calendar.countWorkingDays(d('2024-12-24'), d('2025-01-02'))).toBe(4);
  });

  it('rejects a fractional number of working days', () => {
    expect(() => calendar.addWorkingDays(d('2025-01-06'), 1.5)).toThrow(RangeError);
  });
});

describe('calendar algebra (property-based)', () => {
  // About 253 working days a year: anchors from Mar 2019 to Oct 2029 keep ±250 working days inside
  // the 2018–2030 coverage.
  const anyDate = fc.integer({ min: Date.UTC(2019, 2, 1), max: Date.UTC(2029, 9, 31) }).map((ms) => isoOf(ms - (ms % MS_PER_DAY)));
  const anyWorkingDay = anyDate.map((date) => (calendar.isWorkingDay(date) ? date : calendar.nextWorkingDay(date)));
  const anyOffset = fc.integer({ min: -250, max: 250 });

  it('adding then subtracting n working days from a working day returns to it', () => {
    fc.assert(
      fc.property(anyWorkingDay, anyOffset, (date, n) => {
        expect(calendar.addWorkingDays(calendar.addWorkingDays(date, n), -n)).toBe(date);
      }),
    );
  });

  it('never lands on a non-working day when n ≠ 0', () => {
    fc.assert(
      fc.property(
        anyDate,
        anyOffset.filter((n) => n !== 0),
        (date, n) => {
          expect(calendar.isWorkingDay(calendar.addWorkingDays(date, n))).toBe(true);
        },
      ),
    );
  });

  it('the working days counted from d to addWorkingDays(d, n) are n (any d for n ≥ 0; working d for any n)', () => {
    fc.assert(
      fc.property(anyDate, fc.nat(250), (date, n) => {
        expect(calendar.countWorkingDays(date, calendar.addWorkingDays(date, n))).toBe(n);
      }),
    );
    fc.assert(
      fc.property(anyWorkingDay, anyOffset, (date, n) => {
        expect(calendar.countWorkingDays(date, calendar.addWorkingDays(date, n))).toBe(n);
      }),
    );
  });

  it('agrees with stepping one day at a time', () => {
    fc.assert(
      fc.property(anyDate, anyOffset, (date, n) => {
        let ms = Date.parse(date);
        for (let remaining = Math.abs(n); remaining > 0;) {
          ms += Math.sign(n) * MS_PER_DAY;
          if (oracleIsWorkingDay(ms)) remaining--;
        }
        expect(calendar.addWorkingDays(date, n)).toBe(isoOf(ms));
      }),
    );
  });

  it('counts agree with stepping one day at a time', () => {
    fc.assert(
      fc.property(anyDate, anyDate, (from, to) => {
        const [low, high] = from <= to ? [from, to] : [to, from];
        let stepped = 0;
        for (let ms = Date.parse(low) + MS_PER_DAY; ms <= Date.parse(high); ms += MS_PER_DAY) {
          if (oracleIsWorkingDay(ms)) stepped++;
        }
        expect(calendar.countWorkingDays(from, to)).toBe(from <= to ? stepped : 0 - stepped); // never -0
      }),
    );
  });
});

describe('coverage', () => {
  const coverageText = /2018-01-01 to 2030-12-31/;

  it('refuses dates outside the table, naming the date and the coverage', () => {
    expect(() => calendar.isWorkingDay(d('2031-01-02'))).toThrow(CalendarCoverageError);
    expect(() => calendar.isWorkingDay(d('2031-01-02'))).toThrow(/2031-01-02 is outside .*2018-01-01 to 2030-12-31/);
    expect(() => calendar.countWorkingDays(d('2017-12-29'), d('2018-01-05'))).toThrow(/2017-12-29/);
    expect(() => calendar.addWorkingDays(d('2017-12-31'), 1)).toThrow(CalendarCoverageError);
  });

  it('refuses results that would fall outside the table', () => {
    expect(() => calendar.addWorkingDays(d('2030-12-31'), 1)).toThrow(coverageText);
    expect(() => calendar.nextWorkingDay(d('2030-12-31'))).toThrow(/1 working day\(s\) after 2030-12-31 falls outside/);
    expect(() => calendar.addWorkingDays(d('2018-01-02'), -1)).toThrow(/before 2018-01-02/);
    expect(calendar.addWorkingDays(d('2030-12-30'), 1)).toBe('2030-12-31');
    expect(calendar.addWorkingDays(d('2018-01-03'), -1)).toBe('2018-01-02');
  });

  it('carries the date and coverage on the error for callers', () => {
    const error = (() => {
      try {
        calendar.isWorkingDay(d('2031-06-01'));
      } catch (caught) {
        return caught as CalendarCoverageError;
      }
      throw new Error('expected a CalendarCoverageError');
    })();
    expect(error.date).toBe('2031-06-01');
    expect(error.coverage).toEqual({ from: '2018-01-01', to: '2030-12-31' });
  });

  it.each([
    ['2026-01-15', 59],
    ['2029-12-31', 12],
    ['2030-01-01', 11],
    ['2030-01-31', 11],
    ['2030-11-30', 1],
    ['2030-12-01', 0],
    ['2030-12-31', 0],
    ['2031-05-01', 0],
  ])('coverageMonthsAhead(%s) = %i', (today, months) => {
    expect(calendar.coverageMonthsAhead(d(today))).toBe(months);
  });

  it('lets health checks see when less than a year is covered', () => {
    expect(coverageMonthsAhead(d('2029-12-31')) < COVERAGE_WARNING_MONTHS).toBe(false);
    expect(coverageMonthsAhead(d('2030-01-01')) < COVERAGE_WARNING_MONTHS).toBe(true);
  });

  it('works on any table, including one that starts and ends mid-week', () => {
    const small = new WorkingDayCalendar(
      parseBankHolidays(
        {
          division: 'england-and-wales',
          coverage: { from: '2025-12-24', to: '2026-01-02' },
          events: [
            { title: 'Christmas Day', date: '2025-12-25' },
            { title: 'Boxing Day', date: '2025-12-26' },
            { title: 'New Year’s Day', date: '2026-01-01' },
          ],
        },
        'small.json',
      ),
    );
    expect(small.addWorkingDays(d('2025-12-24'), 4)).toBe('2026-01-02');
    expect(() => small.addWorkingDays(d('2025-12-24'), 5)).toThrow(/2025-12-24 to 2026-01-02/);
    expect(() => small.addWorkingDays(d('2025-12-24'), -1)).toThrow(CalendarCoverageError);
  });
});

describe('free functions use the default calendar unless given one', () => {
  it('delegates to the calendar', () => {
    expect(isWorkingDay(d('2025-12-25'))).toBe(false);
    expect(addWorkingDays(d('2025-12-24'), 1)).toBe('2025-12-29');
    expect(countWorkingDays(d('2025-12-24'), d('2025-12-29'))).toBe(1);
    expect(nextWorkingDay(d('2025-12-24'))).toBe('2025-12-29');
    expect(previousWorkingDay(d('2025-12-29'), calendar)).toBe('2025-12-24');
  });
});
