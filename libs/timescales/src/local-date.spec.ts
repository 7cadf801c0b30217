import fc from 'fast-check';
import {
  InvalidDateError,
  type LocalDate,
  addDays,
  addMonths,
  addWeeks,
  dayOfWeek,
  daysBetween,
  formatLongDate,
  fromEpochDay,
  isLocalDate,
  laterOf,
  parseLocalDate,
  toEpochDay,
} from './local-date';

const d = (text: string): LocalDate => parseLocalDate(text);
const MS_PER_DAY = 86_400_000;

/** Independent oracle: JavaScript's own UTC calendar. */
function isoFromEpochDayViaDate(epochDay: number): string {
  const date = new Date(0);
  date.setUTCFullYear(1970, 0, 1 + epochDay);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

const MIN_EPOCH_DAY = toEpochDay(d('0001-01-01'));
const MAX_EPOCH_DAY = toEpochDay(d('9999-12-31'));

describe('parseLocalDate', () => {
  it.each(['2025-01-06', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('accepts %s', (text) => {
    expect(parseLocalDate(text)).toBe(text);
  });

  it.each([
    '2025-02-29', // not a leap year
    '1900-02-29', // century, not a leap year
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-1-6',
    '2025/01/06',
    '2025-01-06T00:00:00Z',
    '0000-01-01',
    '',
    ' 2025-01-06',
  ])('rejects %j with an InvalidDateError', (text) => {
    expect(() => parseLocalDate(text)).toThrow(InvalidDateError);
    expect(isLocalDate(text)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(() => parseLocalDate(20250106)).toThrow(/Invalid date 20250106/);
    expect(isLocalDate(undefined)).toBe(false);
  });

  it('re-validates a forged LocalDate before doing arithmetic with it', () => {
    expect(() => addDays('2025-02-30' as LocalDate, 1)).toThrow(InvalidDateError);
  });
});

describe('epoch days', () => {
  it('counts from 1970-01-01', () => {
    expect(toEpochDay(d('1970-01-01'))).toBe(0);
    expect(toEpochDay(d('1969-12-31'))).toBe(-1);
    expect(toEpochDay(d('2025-01-06'))).toBe(Date.UTC(2025, 0, 6) / MS_PER_DAY);
  });

  it('agrees with the JavaScript calendar over years 0001–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_EPOCH_DAY, max: MAX_EPOCH_DAY }), (epochDay) => {
        const iso = isoFromEpochDayViaDate(epochDay);
        expect(fromEpochDay(epochDay)).toBe(iso);
        expect(toEpochDay(iso as LocalDate)).toBe(epochDay);
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses years outside 0001–9999', () => {
    expect(() => fromEpochDay(MAX_EPOCH_DAY + 1)).toThrow(InvalidDateError);
    expect(() => fromEpochDay(MIN_EPOCH_DAY - 1)).toThrow(InvalidDateError);
    expect(() => fromEpochDay(1.5)).toThrow(InvalidDateError);
  });
});

describe('day arithmetic', () => {
  it('adds days and weeks across month, year and leap-day boundaries', () => {
    expect(addDays(d('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(d('2028-02-28'), 1)).toBe('2028-02-29');
    expect(addDays(d('2025-02-28'), 1)).toBe('2025-03-01');
    expect(addDays(d('2025-12-31'), 1)).toBe('2026-01-01');
    expect(addDays(d('2026-01-01'), -1)).toBe('2025-12-31');
    expect(addWeeks(d('2025-01-06'), 26)).toBe('2025-07-07');
    expect(addWeeks(d('2025-07-07'), -26)).toBe('2025-01-06');
    expect(daysBetween(d('2025-01-06'), d('2025-07-06'))).toBe(181);
    expect(daysBetween(d('2025-07-06'), d('2025-01-06'))).toBe(-181);
  });

  it('rejects fractional amounts rather than rounding a legal period', () => {
    expect(() => addDays(d('2025-01-06'), 0.5)).toThrow(RangeError);
    expect(() => addWeeks(d('2025-01-06'), Number.NaN)).toThrow(RangeError);
    expect(() => addMonths(d('2025-01-06'), 1.5)).toThrow(RangeError);
  });

  it('knows the weekday', () => {
    expect(dayOfWeek(d('2025-01-06'))).toBe(1);
    expect(dayOfWeek(d('2025-07-06'))).toBe(7);
    expect(dayOfWeek(d('1970-01-01'))).toBe(4);
    expect(dayOfWeek(d('1969-12-28'))).toBe(7);
  });

  it('picks the later of two dates', () => {
    expect(laterOf(d('2025-07-06'), d('2025-06-30'))).toBe('2025-07-06');
    expect(laterOf(d('2025-06-30'), d('2025-07-06'))).toBe('2025-07-06');
  });
});

describe('addMonths clamps to the end of shorter months', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2025-05-31', 1, '2025-06-30'],
    ['2025-01-15', 1, '2025-02-15'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2025-12-31', 1, '2026-01-31'],
    ['2026-01-31', -1, '2025-12-31'],
    ['2025-01-06', 0, '2025-01-06'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(d(from), months)).toBe(expected);
  });

  it('is not associative at month ends, which is why intervals count from the actual previous event', () => {
    expect(addMonths(addMonths(d('2025-01-31'), 1), 1)).toBe('2025-03-28');
    expect(addMonths(d('2025-01-31'), 2)).toBe('2025-03-31');
  });

  it('keeps the day of month when it exists, else lands on the last day of the month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * 366 }), fc.integer({ min: -240, max: 240 }), (offset, months) => {
        const from = fromEpochDay(toEpochDay(d('1950-01-01')) + offset);
        const result = addMonths(from, months);
        const [year, month, day] = from.split('-').map(Number);
        const targetIndex = year * 12 + (month - 1) + months;
        const lastDay = new Date(Date.UTC(Math.floor(targetIndex / 12), (targetIndex % 12) + 1, 0)).getUTCDate();
        const [resultYear, resultMonth, resultDay] = result.split('-').map(Number);
        expect(resultYear * 12 + resultMonth - 1).toBe(targetIndex);
        expect(resultDay).toBe(Math.min(day, lastDay));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('formatLongDate', () => {
  it('writes dates the way explanations show them', () => {
    expect(formatLongDate(d('2025-01-06'))).toBe('Mon 6 Jan 2025');
    expect(formatLongDate(d('2025-07-06'))).toBe('Sun 6 Jul 2025');
    expect(formatLongDate(d('2028-02-29'))).toBe('Tue 29 Feb 2028');
  });
});
