// Test fixture: domain.md §5 transcribed as written, so the data file and the calendar are checked
// against the brief rather than against themselves.
const DOMAIN_TABLE: Readonly<Record<number, string>> = {
  2018: '1 Jan, 30 Mar, 2 Apr, 7 May, 28 May, 27 Aug, 25 Dec, 26 Dec',
  2019: '1 Jan, 19 Apr, 22 Apr, 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec',
  2020: '1 Jan, 10 Apr, 13 Apr, 8 May, 25 May, 31 Aug, 25 Dec, 28 Dec',
  2021: '1 Jan, 2 Apr, 5 Apr, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec',
  2022: '3 Jan, 15 Apr, 18 Apr, 2 May, 2 Jun, 3 Jun, 29 Aug, 19 Sep, 26 Dec, 27 Dec',
  2023: '2 Jan, 7 Apr, 10 Apr, 1 May, 8 May, 29 May, 28 Aug, 25 Dec, 26 Dec',
  2024: '1 Jan, 29 Mar, 1 Apr, 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec',
  2025: '1 Jan, 18 Apr, 21 Apr, 5 May, 26 May, 25 Aug, 25 Dec, 26 Dec',
  2026: '1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec, 28 Dec',
  2027: '1 Jan, 26 Mar, 29 Mar, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec',
  2028: '3 Jan, 14 Apr, 17 Apr, 1 May, 29 May, 28 Aug, 25 Dec, 26 Dec',
  2029: '1 Jan, 30 Mar, 2 Apr, 7 May, 28 May, 27 Aug, 25 Dec, 26 Dec',
  2030: '1 Jan, 19 Apr, 22 Apr, 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Every bank holiday of domain.md §5 as 'YYYY-MM-DD', in date order. */
export const DOMAIN_BANK_HOLIDAYS: readonly string[] = Object.entries(DOMAIN_TABLE).flatMap(([year, dates]) =>
  dates.split(', ').map((entry) => {
    const [day, month] = entry.split(' ');
    return `${year}-${String(MONTHS.indexOf(month) + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
  }),
);
