import { type LocalDate, parseLocalDate } from './local-date';
import { type Period, applyPeriod, periodProblem } from './periods';
import { defaultCalendar } from './working-day-calendar';

const d = (text: string): LocalDate => parseLocalDate(text);
const calendar = defaultCalendar();
const apply = (anchor: string, period: Period) => applyPeriod(d(anchor), period, calendar);

describe("'inclusive': the anchor day is day 1", () => {
  it('26 weeks beginning with issue end on issue + 181 days', () => {
    const period: Period = { offset: 26, unit: 'weeks', direction: 'after', counting: 'inclusive' };
    expect(apply('2025-01-06', period)).toBe('2025-07-06');
    expect(apply('2027-09-01', period)).toBe('2028-02-29');
  });

  it('Day N in calendar days is anchor + N − 1', () => {
    expect(apply('2025-01-06', { offset: 12, unit: 'calendar-days', direction: 'after', counting: 'inclusive' })).toBe('2025-01-17');
    expect(apply('2025-01-06', { offset: 1, unit: 'calendar-days', direction: 'after', counting: 'inclusive' })).toBe('2025-01-06');
  });

  it('in working days, a working anchor is day 1; otherwise the next working day is', () => {
    const days = (offset: number): Period => ({ offset, unit: 'working-days', direction: 'after', counting: 'inclusive' });
    expect(apply('2025-01-06', days(1))).toBe('2025-01-06');
    expect(apply('2025-01-06', days(5))).toBe('2025-01-10');
    expect(apply('2025-01-04', days(1))).toBe('2025-01-06');
    expect(apply('2025-04-17', days(2))).toBe('2025-04-22');
  });
});

describe("'simple': plain arithmetic from the anchor", () => {
  it.each<[string, Period, string]>([
    ['2025-01-06', { offset: 26, unit: 'weeks', direction: 'after', counting: 'simple' }, '2025-07-07'],
    ['2025-03-31', { offset: 1, unit: 'months', direction: 'before', counting: 'simple' }, '2025-02-28'],
    ['2025-01-31', { offset: 1, unit: 'months', direction: 'after', counting: 'simple' }, '2025-02-28'],
    ['2025-01-08', { offset: 2, unit: 'working-days', direction: 'before', counting: 'simple' }, '2025-01-06'],
    ['2025-01-06', { offset: 5, unit: 'calendar-days', direction: 'before', counting: 'simple' }, '2025-01-01'],
  ])('%s with %o = %s', (anchor, period, expected) => {
    expect(apply(anchor, period)).toBe(expected);
  });
});

describe("'clear-days' (FPR r.2.9)", () => {
  const clear = (offset: number, direction: Period['direction']): Period => ({
    offset,
    unit: 'calendar-days',
    direction,
    counting: 'clear-days',
  });

  describe('after an event', () => {
    it('7 days or less: the event day and non-business days are not counted', () => {
      // Fri 11 Apr 2025: Mon 14–Thu 17 count, Good Friday and Easter Monday do not, Tue 22 is the 5th.
      expect(apply('2025-04-11', clear(5, 'after'))).toBe('2025-04-22');
      // Exactly 7 is still short: Fri 3 Jan 2025 → Mon 6 … Fri 10, Mon 13, Tue 14.
      expect(apply('2025-01-03', clear(7, 'after'))).toBe('2025-01-14');
      // From a Saturday, the weekend is skipped: Mon 6 and Tue 7.
      expect(apply('2025-01-04', clear(2, 'after'))).toBe('2025-01-07');
    });

    it('more than 7 days: only the event day is left out, every other day counts', () => {
      expect(apply('2025-01-03', clear(8, 'after'))).toBe('2025-01-11');
      expect(apply('2025-04-11', clear(14, 'after'))).toBe('2025-04-25');
      expect(apply('2024-02-20', clear(14, 'after'))).toBe('2024-03-05');
    });
  });

  describe('before an event', () => {
    it('7 days or less: the counted business days lie strictly between the act and the event', () => {
      // Hearing Tue 22 Apr 2025, 3 clear days: Thu 17, Wed 16, Tue 15 (Easter days skipped) → act by Mon 14.
      expect(apply('2025-04-22', clear(3, 'before'))).toBe('2025-04-14');
      // Hearing Wed 8 Jan 2025, 2 clear days: Tue 7 and Mon 6 → in time up to Sun 5 Jan.
      expect(apply('2025-01-08', clear(2, 'before'))).toBe('2025-01-05');
      // Hearing Fri 10 Jan 2025, 1 clear day: Thu 9 → act by Wed 8.
      expect(apply('2025-01-10', clear(1, 'before'))).toBe('2025-01-08');
    });

    it('more than 7 days: N whole days between the act and the event', () => {
      // Hearing Fri 31 Jan 2025, 14 clear days: 17–30 Jan → act by Thu 16 Jan.
      expect(apply('2025-01-31', clear(14, 'before'))).toBe('2025-01-16');
      // Across a leap day: hearing Fri 1 Mar 2024, 10 clear days: 20–29 Feb → act by Mon 19 Feb.
      expect(apply('2024-03-01', clear(10, 'before'))).toBe('2024-02-19');
    });
  });
});

describe('periods that cannot be computed', () => {
  it.each<[Period, RegExp]>([
    [{ offset: 0, unit: 'weeks', direction: 'after', counting: 'simple' }, /positive whole number/],
    [{ offset: -2, unit: 'weeks', direction: 'after', counting: 'simple' }, /positive whole number/],
    [{ offset: 1.5, unit: 'weeks', direction: 'after', counting: 'simple' }, /positive whole number/],
    [{ offset: 2, unit: 'fortnights' as Period['unit'], direction: 'after', counting: 'simple' }, /unit must be one of/],
    [{ offset: 2, unit: 'weeks', direction: 'around' as Period['direction'], counting: 'simple' }, /direction must be one of/],
    [{ offset: 2, unit: 'weeks', direction: 'after', counting: 'rounded' as Period['counting'] }, /counting must be one of/],
    [{ offset: 2, unit: 'weeks', direction: 'before', counting: 'inclusive' }, /direction must be 'after'/],
    [{ offset: 2, unit: 'months', direction: 'after', counting: 'inclusive' }, /not defined for months/],
    [{ offset: 2, unit: 'weeks', direction: 'after', counting: 'clear-days' }, /FPR r\.2\.9/],
    [{ offset: 2, unit: 'working-days', direction: 'after', counting: 'clear-days' }, /FPR r\.2\.9/],
  ])('%o is refused', (period, reason) => {
    expect(periodProblem(period)).toMatch(reason);
    expect(() => apply('2025-01-06', period)).toThrow(reason);
  });
});
