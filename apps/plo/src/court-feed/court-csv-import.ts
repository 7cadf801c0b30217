import { readCsv } from '@plo/platform';
import { CourtFeedService, CourtOutcome, CourtSender } from './court-feed.service';

/** CSV columns: the HMC message's fields, flattened (the hearingUpdate fields by their own names). */
const TOP_LEVEL = ['hmctsServiceCode', 'caseRef', 'hearingID'];
const UPDATE_FIELDS = [
  'hearingResponseReceivedDateTime',
  'hearingEventBroadcastDateTime',
  'HMCStatus',
  'hearingListingStatus',
  'nextHearingDate',
  'hearingVenueId',
  'hearingJudgeId',
  'ListAssistCaseStatus',
  'hearingRoomId',
];
export const CSV_COLUMNS = [...TOP_LEVEL, ...UPDATE_FIELDS];
const REQUIRED_COLUMNS = ['hmctsServiceCode', 'caseRef', 'hearingID', 'hearingEventBroadcastDateTime', 'HMCStatus'];

export interface RowReport {
  row: number;
  line: number;
  outcome: CourtOutcome['outcome'];
  reason?: string;
  exceptionId?: number;
}

export type ImportResult =
  { valid: false; problem: string } | { valid: true; rows: number; counts: Record<string, number>; problems: RowReport[] };

/**
 * Each row is applied in its own transaction, so one bad row loses nothing else; every row that was
 * not applied is reported with its line and reason (and, if it reached the court logic, an exception).
 */
export async function importCourtCsv(text: string, court: CourtFeedService, sender: CourtSender): Promise<ImportResult> {
  const file = readCsv(text);
  if ('problem' in file) return { valid: false, problem: `the file is ${file.problem}` };
  const header = file.header;
  const unknown = header.filter((column) => !CSV_COLUMNS.includes(column));
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (unknown.length || missing.length) {
    const parts = [
      unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
      missing.length ? `missing columns: ${missing.join(', ')}` : '',
    ].filter(Boolean);
    return { valid: false, problem: `${parts.join('; ')} (columns are: ${CSV_COLUMNS.join(', ')})` };
  }
  const counts: Record<string, number> = { applied: 0, 'no-change': 0, duplicate: 0, stale: 0, rejected: 0 };
  const problems: RowReport[] = [];
  for (const [index, { cells: record, line }] of file.rows.entries()) {
    const row = index + 1;
    if (record.length !== header.length) {
      counts.rejected += 1;
      problems.push({
        row,
        line,
        outcome: 'rejected',
        reason: `row has ${record.length} fields; the header has ${header.length}`,
      });
      continue;
    }
    const cells = Object.fromEntries(header.map((column, i) => [column, record[i] === '' ? undefined : record[i]]));
    const message = {
      ...Object.fromEntries(TOP_LEVEL.map((column) => [column, cells[column]])),
      hearingUpdate: Object.fromEntries(
        UPDATE_FIELDS.filter((column) => cells[column] !== undefined).map((column) => [column, cells[column]]),
      ),
    };
    const result = await court.applyOffered(message, 'csv', sender);
    counts[result.outcome] += 1;
    if (result.outcome === 'rejected')
      problems.push({ row, line, outcome: result.outcome, reason: result.reason, exceptionId: result.exceptionId });
    else if (result.outcome === 'stale' || result.outcome === 'duplicate')
      problems.push({ row, line, outcome: result.outcome, reason: result.note });
  }
  return { valid: true, rows: file.rows.length, counts, problems };
}
