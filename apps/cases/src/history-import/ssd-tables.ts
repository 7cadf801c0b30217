import { readCsv } from '@plo/platform';

/**
 * The Standard Safeguarding Dataset tables the history import reads (data-to-insight/ssd-data-model),
 * with the columns it uses. A council's extract has more columns than these: the others are ignored,
 * so an LCS, Mosaic or Eclipse extract loads as it comes. `required` columns must be in the header.
 */
export const SSD_TABLES = {
  ssd_person: {
    required: ['pers_person_id'],
    optional: ['pers_forename', 'pers_surname', 'pers_sex', 'pers_gender', 'pers_dob', 'pers_expected_dob'],
  },
  ssd_family: { required: ['fami_family_id', 'fami_person_id'], optional: [] },
  ssd_involvements: {
    required: ['invo_person_id', 'invo_professional_id', 'invo_professional_team', 'invo_involvement_start_date'],
    optional: ['invo_involvements_id', 'invo_involvement_end_date', 'invo_worker_change_reason'],
  },
  ssd_cin_plans: { required: ['cinp_person_id', 'cinp_cin_plan_start_date'], optional: ['cinp_cin_plan_id', 'cinp_cin_plan_end_date'] },
  ssd_cp_plans: { required: ['cppl_person_id', 'cppl_cp_plan_start_date'], optional: ['cppl_cp_plan_id', 'cppl_cp_plan_end_date'] },
  ssd_legal_status: {
    required: ['lega_person_id', 'lega_legal_status', 'lega_legal_status_start_date'],
    optional: ['lega_legal_status_id', 'lega_legal_status_end_date'],
  },
  ssd_cin_visits: {
    required: ['cinv_person_id', 'cinv_cin_visit_date', 'cinv_cin_visit_seen'],
    optional: ['cinv_cin_visit_id', 'cinv_cin_visit_seen_alone', 'cinv_cin_visit_bedroom'],
  },
  ssd_cp_visits: {
    required: ['cppv_person_id', 'cppv_cp_visit_date', 'cppv_cp_visit_seen'],
    optional: ['cppv_cp_visit_id', 'cppv_cp_visit_seen_alone', 'cppv_cp_visit_bedroom'],
  },
  ssd_cla_visits: {
    required: ['clav_person_id', 'clav_cla_visit_date', 'clav_cla_visit_seen'],
    optional: ['clav_cla_visit_id', 'clav_cla_visit_seen_alone'],
  },
  ssd_cp_reviews: { required: ['cppr_person_id', 'cppr_cp_review_date'], optional: ['cppr_cp_review_id', 'cppr_cp_review_due'] },
  ssd_cla_episodes: { required: ['clae_person_id', 'clae_cla_id'], optional: ['clae_cla_episode_id'] },
  ssd_initial_cp_conference: {
    required: ['icpc_person_id', 'icpc_icpc_date'],
    optional: ['icpc_icpc_id', 'icpc_icpc_outcome_cp_flag'],
  },
  ssd_cla_placement: {
    required: ['clap_cla_id', 'clap_cla_placement_start_date'],
    optional: ['clap_cla_placement_id', 'clap_cla_placement_end_date'],
  },
  ssd_cla_reviews: {
    required: ['clar_cla_id', 'clar_cla_review_date'],
    optional: ['clar_cla_review_id', 'clar_cla_review_due_date', 'clar_cla_review_cancelled'],
  },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

export type SsdTable = keyof typeof SSD_TABLES;
export const SSD_TABLE_NAMES = Object.keys(SSD_TABLES) as SsdTable[];

/** Where a value came from, for the per-row report: the table and the line of the file (the header is line 1). */
export interface RowRef {
  table: SsdTable;
  line: number;
}

export interface SsdRow {
  ref: RowRef;
  values: Record<string, string>;
}

export interface TableProblem {
  table: string;
  problem: string;
}

/** Reads one table's CSV: rows keyed by column, or what is wrong with the file as a whole. */
export function readSsdTable(table: SsdTable, text: string): { rows: SsdRow[] } | TableProblem {
  const file = readCsv(text);
  if ('problem' in file) return { table, problem: `${table} is ${file.problem}` };
  const header = file.header.map((column) => column.toLowerCase());
  const missing = SSD_TABLES[table].required.filter((column) => !header.includes(column));
  if (missing.length) return { table, problem: `${table} lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  const rows = file.rows.map(({ cells, line }) => ({
    ref: { table, line },
    values: Object.fromEntries(header.map((column, i) => [column, cells[i] ?? ''])),
  }));
  return { rows };
}

/**
 * A date as extracts write it: ISO (`2025-03-04`, with or without a time, as SQL Server's DATETIME
 * prints) or the UK's day-first `04/03/2025`. The time of day is dropped: these are legal dates.
 */
export function ssdDate(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(value);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2].padStart(2, '0'), uk[1].padStart(2, '0')] : [];
  if (!year) return undefined;
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : undefined;
}

const TRUE = new Set(['y', 'yes', '1', 'true', 't']);
const FALSE = new Set(['n', 'no', '0', 'false', 'f']);

/** SSD flags are NCHAR(1) `Y`/`N` in most extracts; some write 1/0 or words. Empty is "not recorded". */
export function ssdFlag(value: string): boolean | undefined | 'invalid' {
  const flag = value.trim().toLowerCase();
  if (flag === '') return undefined;
  if (TRUE.has(flag)) return true;
  if (FALSE.has(flag)) return false;
  return 'invalid';
}
