import fc from 'fast-check';
import { type LocalDate, addDays, fromEpochDay, parseLocalDate, toEpochDay } from './local-date';
import { londonDateOf, londonInstant, londonIsoString, londonTimeOn, overdueAt } from './london-time';

const d = (text: string): LocalDate => parseLocalDate(text);

describe('overdueAt: the start of the day after the due date, in Europe/London', () => {
  it.each([
    // Spring 2026: clocks go forward at 01:00 UTC on Sun 29 Mar
    ['2026-03-27', '2026-03-28T00:00:00.000Z'],
    ['2026-03-28', '2026-03-29T00:00:00.000Z'],
    ['2026-03-29', '2026-03-29T23:00:00.000Z'],
    ['2026-03-30', '2026-03-30T23:00:00.000Z'],
    // Autumn 2026: clocks go back at 01:00 UTC on Sun 25 Oct
    ['2026-10-23', '2026-10-23T23:00:00.000Z'],
    ['2026-10-24', '2026-10-24T23:00:00.000Z'],
    ['2026-10-25', '2026-10-26T00:00:00.000Z'],
    // Spring and autumn 2025 (30 Mar, 26 Oct)
    ['2025-03-29', '2025-03-30T00:00:00.000Z'],
    ['2025-03-30', '2025-03-30T23:00:00.000Z'],
    ['2025-10-25', '2025-10-25T23:00:00.000Z'],
    ['2025-10-26', '2025-10-27T00:00:00.000Z'],
    // Summer, year ends and leap days
    ['2025-07-06', '2025-07-06T23:00:00.000Z'],
    ['2025-12-31', '2026-01-01T00:00:00.000Z'],
    ['2030-12-31', '2031-01-01T00:00:00.000Z'],
    ['2024-02-28', '2024-02-29T00:00:00.000Z'],
    ['2028-02-29', '2028-03-01T00:00:00.000Z'],
  ])('due %s → overdue from %s', (due, instant) => {
    expect(overdueAt(d(due)).toISOString()).toBe(instant);
  });

  it('works beyond the bank-holiday coverage: instants need no holidays', () => {
    expect(overdueAt(d('2040-06-30')).toISOString()).toBe('2040-06-30T23:00:00.000Z');
  });
});

describe('londonDateOf: the Europe/London date of an instant', () => {
  it.each([
    ['2026-03-29T00:59:59.999Z', '2026-03-29'],
    ['2026-03-29T01:00:00.000Z', '2026-03-29'],
    ['2026-03-29T22:59:59.999Z', '2026-03-29'],
    ['2026-03-29T23:00:00.000Z', '2026-03-30'],
    ['2026-10-24T22:59:59.999Z', '2026-10-24'],
    ['2026-10-24T23:00:00.000Z', '2026-10-25'],
    ['2026-10-25T23:30:00.000Z', '2026-10-25'],
    ['2026-10-26T00:00:00.000Z', '2026-10-26'],
    ['2025-12-31T23:59:59.999Z', '2025-12-31'],
    ['2026-01-01T00:00:00.000Z', '2026-01-01'],
    ['2025-06-30T23:30:00.000Z', '2025-07-01'],
  ])('%s is %s in London', (instant, date) => {
    expect(londonDateOf(new Date(instant))).toBe(date);
    expect(londonDateOf(Date.parse(instant))).toBe(date);
  });

  it('refuses an invalid instant', () => {
    expect(() => londonDateOf(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('overdueAt and londonDateOf agree (property-based)', () => {
  it('the overdue instant is the first moment of the next London day', () => {
    const anyDate = fc.integer({ min: toEpochDay(d('1990-01-01')), max: toEpochDay(d('2100-12-31')) }).map(fromEpochDay);
    fc.assert(
      fc.property(anyDate, (due) => {
        const overdue = overdueAt(due).getTime();
        expect(londonDateOf(overdue)).toBe(addDays(due, 1));
        expect(londonDateOf(overdue - 1)).toBe(due);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('londonInstant', () => {
  it.each([
    ['2026-01-15T10:00:00', '2026-01-15T10:00:00.000Z', 'winter (GMT)'],
    ['2026-07-15T10:00:00', '2026-07-15T09:00:00.000Z', 'summer (BST)'],
    ['2026-07-15 10:30', '2026-07-15T09:30:00.000Z', 'space separator, no seconds'],
    ['2026-03-29T00:30:00', '2026-03-29T00:30:00.000Z', 'just before the spring change'],
    ['2026-03-29T01:30:00', '2026-03-29T01:30:00.000Z', 'in the spring gap: moves forward an hour (02:30 BST)'],
    ['2026-03-29T02:00:00', '2026-03-29T01:00:00.000Z', 'first BST hour'],
    ['2026-10-25T00:30:00', '2026-10-24T23:30:00.000Z', 'before the autumn change (BST)'],
    ['2026-10-25T01:30:00', '2026-10-25T00:30:00.000Z', 'in the autumn overlap: the first, BST, occurrence'],
    ['2026-10-25T02:00:00', '2026-10-25T02:00:00.000Z', 'after the autumn change (GMT)'],
    ['2026-12-31T23:59:59', '2026-12-31T23:59:59.000Z', 'year end'],
    ['2026-07-15T10:00:00+01:00', '2026-07-15T09:00:00.000Z', 'an explicit offset is honoured'],
    ['2026-07-15T10:00:00Z', '2026-07-15T10:00:00.000Z', 'UTC is honoured'],
  ])('%s → %s (%s)', (wallClock, expected) => {
    expect(londonInstant(wallClock).toISOString()).toBe(expected);
  });

  it('gives back the same London date', () => {
    expect(londonDateOf(londonInstant('2026-03-29T23:30:00'))).toBe('2026-03-29');
    expect(londonDateOf(londonInstant('2026-10-25T00:15:00'))).toBe('2026-10-25');
  });

  it.each(['2026-02-30T10:00:00', '2026-07-15T24:00:00', 'tomorrow at ten', '2026-07-15'])('refuses %s', (text) => {
    expect(() => londonInstant(text)).toThrow(RangeError);
  });
});

describe('londonIsoString and londonTimeOn', () => {
  it('writes London wall-clock time with the offset in force', () => {
    expect(londonIsoString(new Date('2026-01-12T16:00:00Z'))).toBe('2026-01-12T16:00:00+00:00');
    expect(londonIsoString(new Date('2026-07-01T15:30:45Z'))).toBe('2026-07-01T16:30:45+01:00');
  });

  it('changes offset at 01:00 UTC on the last Sundays of March and October', () => {
    expect(londonIsoString(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29T00:59:59+00:00');
    expect(londonIsoString(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29T02:00:00+01:00');
    expect(londonIsoString(new Date('2026-10-25T00:59:59Z'))).toBe('2026-10-25T01:59:59+01:00');
    expect(londonIsoString(new Date('2026-10-25T01:00:00Z'))).toBe('2026-10-25T01:00:00+00:00');
  });

  it('gives the instant of a time of day on a London date', () => {
    expect(londonTimeOn(d('2026-03-27'), '16:00').toISOString()).toBe('2026-03-27T16:00:00.000Z');
    expect(londonTimeOn(d('2026-03-30'), '16:00').toISOString()).toBe('2026-03-30T15:00:00.000Z');
  });
});
