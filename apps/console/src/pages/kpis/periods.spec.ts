import { comparedPeriods, period, recentMonths } from './periods';

describe('the periods the KPI page compares', () => {
  it('defaults to three months ago against this month to date, like the review’s August against November', () => {
    const [a, b] = comparedPeriods({}, '2026-11-19');
    expect(a).toEqual({ month: '2026-08', label: 'August 2026', from: '2026-08-01', to: '2026-08-31' });
    expect(b).toEqual({ month: '2026-11', label: 'November 2026 (to date)', from: '2026-11-01', to: '2026-11-19' });
  });

  it('crosses a year end and ends February on the 29th in a leap year', () => {
    expect(comparedPeriods({}, '2028-02-10')[0]).toMatchObject({ month: '2027-11', from: '2027-11-01', to: '2027-11-30' });
    expect(period('2028-02', '2028-06-01')).toMatchObject({ from: '2028-02-01', to: '2028-02-29', label: 'February 2028' });
    expect(period('2027-02', '2028-06-01').to).toBe('2027-02-28');
  });

  it('ignores a malformed or future month rather than failing the page', () => {
    const [a, b] = comparedPeriods({ a: '2026-13', b: '2027-01' }, '2026-12-06');
    expect(a.month).toBe('2026-09');
    expect(b.month).toBe('2026-12');
    expect(comparedPeriods({ a: ['2026-01'] as unknown, b: "2026-01' OR 1=1" }, '2026-12-06')[1].month).toBe('2026-12');
  });

  it('offers the last twelve months, newest first', () => {
    const months = recentMonths('2026-12-06');
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ value: '2026-12', text: 'December 2026' });
    expect(months[11]).toEqual({ value: '2026-01', text: 'January 2026' });
  });
});
