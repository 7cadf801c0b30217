/** A whole calendar month, or the current one to date: the unit the peer review compared ("August vs November"). */
export interface Period {
  month: string;
  label: string;
  from: string;
  to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

function monthOffset(month: string, offset: number): string {
  const [year, number] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, number - 1 + offset, 1));
  return date.toISOString().slice(0, 7);
}

export function period(month: string, today: string): Period {
  const [year, number] = month.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10);
  const to = lastDay < today ? lastDay : today;
  return {
    month,
    label: monthName.format(new Date(Date.UTC(year, number - 1, 1))) + (to === today ? ' (to date)' : ''),
    from: `${month}-01`,
    to,
  };
}

/**
 * The two periods to compare: as asked, else three months ago against this month to date. A month
 * that is malformed or in the future falls back to its default rather than failing the page.
 */
export function comparedPeriods(query: { a?: unknown; b?: unknown }, today: string): [Period, Period] {
  const thisMonth = today.slice(0, 7);
  const pick = (value: unknown, fallback: string) =>
    typeof value === 'string' && MONTH.test(value) && value <= thisMonth ? value : fallback;
  return [period(pick(query.a, monthOffset(thisMonth, -3)), today), period(pick(query.b, thisMonth), today)];
}

/** The last twelve months, newest first, for the period pickers. */
export function recentMonths(today: string): { value: string; text: string }[] {
  const thisMonth = today.slice(0, 7);
  return Array.from({ length: 12 }, (_, index) => {
    const month = monthOffset(thisMonth, -index);
    const [year, number] = month.split('-').map(Number);
    return { value: month, text: monthName.format(new Date(Date.UTC(year, number - 1, 1))) };
  });
}
