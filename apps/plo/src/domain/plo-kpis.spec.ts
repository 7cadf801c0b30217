import fc from 'fast-check';
import { addDays, computeDeadline, fromEpochDay, parseLocalDate, RulePack, toEpochDay } from '@plo/timescales';
import { computePloKpis, PloKpiFacts, weeksRun } from './plo-kpis';

const d = parseLocalDate;
const pack = RulePack.standard();
const none: PloKpiFacts = { asOf: d('2025-12-31'), concludedChildren: [], concludedCases: [], endedPreProceedings: [], openChildren: [] };

describe('PLO KPIs', () => {
  it('counts weeks as the 26-week limit does: its last day is 26.0 weeks run, the next day is past it', () => {
    fc.assert(
      fc.property(fc.integer({ min: toEpochDay(d('2015-01-01')), max: toEpochDay(d('2035-12-31')) }), (epochDay) => {
        const issuedOn = fromEpochDay(epochDay);
        const lastDay = computeDeadline('proceedings-26-week-limit', issuedOn, pack).dueDate;
        expect(weeksRun(issuedOn, lastDay)).toBe(26);
        expect(weeksRun(issuedOn, addDays(lastDay, 1))).toBeGreaterThan(26);
      }),
    );
  });

  it('concluding on the 26 weeks’ last day (Sun 6 Jul 2025 for issue on Mon 6 Jan) is within; the next day is not', () => {
    const report = computePloKpis(
      {
        ...none,
        concludedChildren: [
          { issuedOn: d('2025-01-06'), concludedOn: d('2025-07-06') },
          { issuedOn: d('2025-01-06'), concludedOn: d('2025-07-07') },
        ],
      },
      pack,
    );
    expect(report.concludedWithin26Weeks.perChild).toEqual({ numerator: 1, denominator: 2, percent: 50 });
    // 182 and 183 days counted with the issue day: 26.0 and 26.1 weeks, 26.1 on average to one decimal.
    expect(report.averageWeeksToConclusion.perChild).toEqual({ weeks: 26.1, count: 2 });
  });

  it('per child and per case differ: a sibling in 25 weeks and one in 30 make one case of 30 weeks', () => {
    const report = computePloKpis(
      {
        ...none,
        concludedChildren: [
          { issuedOn: d('2025-01-07'), concludedOn: d('2025-06-30') },
          { issuedOn: d('2025-01-07'), concludedOn: d('2025-08-04') },
          { issuedOn: d('2025-01-07'), concludedOn: d('2025-10-13') },
        ],
        concludedCases: [
          { issuedOn: d('2025-01-07'), concludedOn: d('2025-08-04') },
          { issuedOn: d('2025-01-07'), concludedOn: d('2025-10-13') },
        ],
      },
      pack,
    );
    expect(report.concludedWithin26Weeks.perChild).toEqual({ numerator: 1, denominator: 3, percent: 33.3 });
    expect(report.concludedWithin26Weeks.perCase).toEqual({ numerator: 0, denominator: 2, percent: 0 });
    expect(report.averageWeeksToConclusion.perChild).toEqual({ weeks: 31.7, count: 3 });
    expect(report.averageWeeksToConclusion.perCase).toEqual({ weeks: 35, count: 2 });
  });

  it('with nothing to count: no percentages, no averages, zero counts', () => {
    const report = computePloKpis(none, pack);
    expect(report.concludedWithin26Weeks.perChild).toEqual({ numerator: 0, denominator: 0, percent: null });
    expect(report.averageWeeksToConclusion.perCase).toEqual({ weeks: null, count: 0 });
    expect(report.preProceedingsWithin16Weeks.perCase.percent).toBeNull();
    expect(report.openProceedings).toMatchObject({ children: 0, cases: 0, pastCompletionDate: { children: 0, cases: 0 } });
    expect(report.openProceedings.bands.map((b) => [b.band, b.children, b.cases])).toEqual([
      ['up-to-20-weeks', 0, 0],
      ['over-20-up-to-26-weeks', 0, 0],
      ['over-26-weeks', 0, 0],
    ]);
  });

  it('pre-proceedings end within 16 weeks up to the letter + 16 weeks, extended or not', () => {
    const report = computePloKpis(
      {
        ...none,
        endedPreProceedings: [
          { letterSentOn: d('2025-05-05'), endedOn: d('2025-08-25'), extended: false }, // letter + 112 days
          { letterSentOn: d('2025-05-05'), endedOn: d('2025-08-26'), extended: true },
          { letterSentOn: d('2025-05-05'), endedOn: d('2025-07-28'), extended: true },
        ],
      },
      pack,
    );
    expect(report.preProceedingsWithin16Weeks).toMatchObject({ perCase: { numerator: 2, denominator: 3, percent: 66.7 }, extended: 2 });
  });

  it("bands open proceedings by weeks run on the reporting date: each child from their own issue, each case from the proceedings'", () => {
    const report = computePloKpis(
      {
        ...none,
        asOf: d('2025-12-31'),
        openChildren: [
          // 140 days counted on 31 Dec: exactly 20.0 weeks; the baby who joined later, 13.1.
          { proceedingsId: 'c', issuedOn: d('2025-08-14'), proceedingsIssuedOn: d('2025-08-14'), completionDate: d('2026-02-11') },
          { proceedingsId: 'c', issuedOn: d('2025-10-01'), proceedingsIssuedOn: d('2025-08-14'), completionDate: d('2026-03-31') },
          // 141 days: 20.1 weeks.
          { proceedingsId: 'd', issuedOn: d('2025-08-13'), proceedingsIssuedOn: d('2025-08-13'), completionDate: d('2026-02-10') },
          // 28 weeks, extended to February; and 30 weeks, past the completion date.
          { proceedingsId: 'e', issuedOn: d('2025-06-19'), proceedingsIssuedOn: d('2025-06-19'), completionDate: d('2026-02-11') },
          { proceedingsId: 'f', issuedOn: d('2025-06-05'), proceedingsIssuedOn: d('2025-06-05'), completionDate: d('2025-12-03') },
          { proceedingsId: 'f', issuedOn: d('2025-12-31'), proceedingsIssuedOn: d('2025-06-05'), completionDate: d('2026-06-30') },
        ],
      },
      pack,
    );
    expect(report.openProceedings).toMatchObject({ children: 6, cases: 4, pastCompletionDate: { children: 1, cases: 1 } });
    expect(report.openProceedings.bands.map((b) => [b.band, b.children, b.cases])).toEqual([
      ['up-to-20-weeks', 3, 1],
      ['over-20-up-to-26-weeks', 1, 1],
      ['over-26-weeks', 2, 2],
    ]);
  });

  it('says what each measure means and cites its source', () => {
    const report = computePloKpis(none, pack);
    for (const measure of Object.values(report)) {
      expect(measure.definition.length).toBeGreaterThan(50);
      expect(measure.source).not.toBe('');
    }
    expect(report.concludedWithin26Weeks.source).toContain('Children Act 1989 s.32(1)(a)(ii)');
    expect(report.preProceedingsWithin16Weeks.source).toContain('16 weeks');
  });
});
