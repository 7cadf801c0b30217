import { parse } from 'csv-parse/sync';

/** A CSV row with the file line it ended on, so a report can point the sender at it. */
export interface CsvRow {
  cells: string[];
  line: number;
}

/**
 * Reads an uploaded CSV file the same way for every importer: cells trimmed, blank lines and a BOM
 * skipped, ragged rows kept (the importer says what is wrong with them). Answers the header and
 * rows, or what makes the file unreadable as a whole.
 */
export function readCsv(text: string): { header: string[]; rows: CsvRow[] } | { problem: string } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    return { problem: `not CSV: ${(error as Error).message}` };
  }
  if (!records.length) return { problem: 'empty; the first line must name the columns' };
  return { header: records[0].record, rows: records.slice(1).map(({ record, info }) => ({ cells: record, line: info.lines })) };
}

/**
 * One CSV cell for an export. Text a spreadsheet would read as a formula (= + - @, or a tab or
 * carriage return before one) is prefixed with an apostrophe, so an export opened in Excel cannot run
 * what a record says (CSV injection).
 */
export function csvCell(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}
