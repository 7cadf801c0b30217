import { CasesOwnedChildStatus, LookedAfterBasis } from '@plo/contracts';
import { FieldProblem } from '@plo/platform';
import { IDENTIFIER } from '../case/http';
import { readSsdTable, RowRef, SSD_TABLE_NAMES, SsdRow, ssdDate, ssdFlag, SsdTable, TableProblem } from './ssd-tables';

export interface ImportedChild {
  personId: string;
  firstName: string;
  lastName: string;
  sex: 'female' | 'male' | 'unknown' | 'indeterminate';
  dateOfBirth?: string;
  expectedDateOfBirth?: string;
  ref: RowRef;
}

export interface Allocation {
  teamId: string;
  workerId: string;
  on: string;
  ref: RowRef;
}

/** One fact of a family's history, in the order the replay applies them. */
export type HistoryFact =
  | { type: 'status-started'; on: string; personId: string; status: CasesOwnedChildStatus; basis?: LookedAfterBasis; ref: RowRef }
  | { type: 'status-ended'; on: string; personId: string; status: CasesOwnedChildStatus; basis?: LookedAfterBasis; ref: RowRef }
  | { type: 're-allocated'; on: string; teamId: string; workerId: string; ref: RowRef }
  | { type: 'visit'; on: string; personId: string; seen: boolean; seenAlone: boolean; bedroomSeen: boolean; ref: RowRef }
  | { type: 'placement-started'; on: string; personId: string; ref: RowRef }
  | { type: 'review-held'; on: string; personId: string; kind: 'icpc' | 'cp-review' | 'lac-review'; outcome?: string; ref: RowRef };

type StatusStarted = Extract<HistoryFact, { type: 'status-started' }>;

/**
 * A family (the children of one case) and everything the extract says happened to them. The case
 * opens on the first day any child held a status, with the statuses that began that day and the
 * worker who held the family then; everything later is a fact to replay in order.
 */
export interface FamilyHistory {
  familyId: string;
  children: ImportedChild[];
  openedOn: string;
  allocation: Allocation;
  openingStatuses: StatusStarted[];
  facts: HistoryFact[];
}

export interface RowReport {
  table: SsdTable;
  line: number;
  outcome: 'rejected' | 'skipped';
  problems: FieldProblem[];
}

export interface SsdHistory {
  families: FamilyHistory[];
  rows: RowReport[];
  tableProblems: TableProblem[];
}

/**
 * SSDA903 legal status codes that make a child looked after, with the basis the product tracks.
 * Others (short breaks V3/V4, remand J1–J3, police protection and EPOs L1–L3, freeing orders D1) are
 * reported as not imported rather than guessed.
 */
const LOOKED_AFTER_CODES: Record<string, LookedAfterBasis> = {
  C1: 'interim-care-order',
  C2: 'care-order',
  E1: 'placement-order',
  V2: 'section-20',
};

const SEX: Record<string, ImportedChild['sex']> = {
  m: 'male',
  male: 'male',
  '1': 'male',
  f: 'female',
  female: 'female',
  '2': 'female',
  i: 'indeterminate',
  indeterminate: 'indeterminate',
};

/** Order within a day: who holds the case first, then statuses (ends before starts) and placements, then what was done. */
const FACT_ORDER: Record<HistoryFact['type'], number> = {
  're-allocated': 0,
  'status-ended': 1,
  'status-started': 2,
  'placement-started': 3,
  'review-held': 4,
  visit: 5,
};

function problem(field: string, message: string): FieldProblem {
  return { field, message: `${field} ${message}` };
}

/** A team name as a team id: councils' extracts carry names ("North Team 1"); ids are `north-team-1`. */
export function teamIdOf(team: string): string | undefined {
  const id = team
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return IDENTIFIER.test(id) && id.length <= 64 ? id : undefined;
}

/**
 * Reads an SSD extract into family histories. Every row either feeds a fact or is reported with the
 * fields at fault; nothing is written here (the replay applies the facts through the services).
 */
export function readSsdHistory(files: Partial<Record<string, string>>): SsdHistory {
  const rows: RowReport[] = [];
  const tableProblems: TableProblem[] = [];
  const tables = new Map<SsdTable, SsdRow[]>();
  for (const name of Object.keys(files)) {
    if (!(SSD_TABLE_NAMES as string[]).includes(name))
      tableProblems.push({ table: name, problem: `${name} is not a table the import reads (it reads ${SSD_TABLE_NAMES.join(', ')})` });
  }
  for (const table of SSD_TABLE_NAMES) {
    const text = files[table];
    if (text === undefined) continue;
    const read = readSsdTable(table, text);
    if ('problem' in read) tableProblems.push(read);
    else tables.set(table, read.rows);
  }
  if (!tables.has('ssd_person')) {
    if (!tableProblems.some((p) => p.table === 'ssd_person'))
      tableProblems.push({ table: 'ssd_person', problem: 'ssd_person is required: it names the children' });
    return { families: [], rows, tableProblems };
  }
  const reject = (ref: RowRef, problems: FieldProblem[]) => rows.push({ ...ref, outcome: 'rejected', problems });
  const rowsOf = (table: SsdTable) => tables.get(table) ?? [];

  const children = new Map<string, ImportedChild>();
  for (const { ref, values } of rowsOf('ssd_person')) {
    const personId = values.pers_person_id;
    const dateOfBirth = values.pers_dob ? ssdDate(values.pers_dob) : undefined;
    const expectedDateOfBirth = values.pers_expected_dob ? ssdDate(values.pers_expected_dob) : undefined;
    const problems = [
      !personId && problem('pers_person_id', 'is empty'),
      children.has(personId) && problem('pers_person_id', `${personId} appears twice`),
      values.pers_dob && !dateOfBirth && problem('pers_dob', `"${values.pers_dob}" is not a date`),
      values.pers_expected_dob && !expectedDateOfBirth && problem('pers_expected_dob', `"${values.pers_expected_dob}" is not a date`),
      !values.pers_dob &&
        !values.pers_expected_dob &&
        problem('pers_dob', 'is empty: give pers_dob, or pers_expected_dob for an unborn child'),
    ].filter((p): p is FieldProblem => Boolean(p));
    if (problems.length) {
      reject(ref, problems);
      continue;
    }
    children.set(personId, {
      personId,
      firstName: values.pers_forename || 'Not recorded',
      lastName: values.pers_surname || 'Not recorded',
      sex: SEX[(values.pers_sex || values.pers_gender || '').toLowerCase()] ?? 'unknown',
      ...(dateOfBirth ? { dateOfBirth } : { expectedDateOfBirth }),
      ref,
    });
  }

  // A child belongs to one family; a child with no family row is a family of one.
  const familyOf = new Map<string, string>();
  for (const { ref, values } of rowsOf('ssd_family')) {
    const problems = [
      !values.fami_family_id && problem('fami_family_id', 'is empty'),
      !children.has(values.fami_person_id) &&
        problem('fami_person_id', `${values.fami_person_id || '(empty)'} is not a child in ssd_person`),
      familyOf.has(values.fami_person_id) &&
        familyOf.get(values.fami_person_id) !== values.fami_family_id &&
        problem('fami_person_id', `${values.fami_person_id} is already in family ${familyOf.get(values.fami_person_id)}`),
    ].filter((p): p is FieldProblem => Boolean(p));
    if (problems.length) reject(ref, problems);
    else familyOf.set(values.fami_person_id, values.fami_family_id);
  }
  for (const personId of children.keys()) if (!familyOf.has(personId)) familyOf.set(personId, `person-${personId}`);

  const allocations = new Map<string, Allocation[]>();
  const facts = new Map<string, HistoryFact[]>();
  const familyFact = (personId: string, fact: HistoryFact) => {
    const family = familyOf.get(personId)!;
    facts.set(family, [...(facts.get(family) ?? []), fact]);
  };
  const knownChild = (field: string, personId: string) =>
    children.has(personId) ? false : problem(field, `${personId || '(empty)'} is not a child in ssd_person`);
  const dateProblem = (field: string, value: string, required: boolean) =>
    !value ? required && problem(field, 'is empty') : !ssdDate(value) && problem(field, `"${value}" is not a date`);

  for (const { ref, values } of rowsOf('ssd_involvements')) {
    const teamId = teamIdOf(values.invo_professional_team);
    const problems = [
      knownChild('invo_person_id', values.invo_person_id),
      !values.invo_professional_id && problem('invo_professional_id', 'is empty'),
      !teamId && problem('invo_professional_team', `"${values.invo_professional_team}" does not make a team id`),
      dateProblem('invo_involvement_start_date', values.invo_involvement_start_date, true),
    ].filter((p): p is FieldProblem => Boolean(p));
    if (problems.length) {
      reject(ref, problems);
      continue;
    }
    const family = familyOf.get(values.invo_person_id)!;
    const allocation = { teamId: teamId!, workerId: values.invo_professional_id, on: ssdDate(values.invo_involvement_start_date)!, ref };
    allocations.set(family, [...(allocations.get(family) ?? []), allocation]);
  }

  const statusRows = (
    table: SsdTable,
    columns: { person: string; start: string; end: string },
    statusOf: (values: Record<string, string>) => { status: CasesOwnedChildStatus; basis?: LookedAfterBasis } | FieldProblem,
  ) => {
    for (const { ref, values } of rowsOf(table)) {
      const status = statusOf(values);
      const problems = [
        knownChild(columns.person, values[columns.person]),
        dateProblem(columns.start, values[columns.start], true),
        dateProblem(columns.end, values[columns.end] ?? '', false),
        'field' in status && status,
      ].filter((p): p is FieldProblem => Boolean(p));
      const start = ssdDate(values[columns.start]);
      const end = values[columns.end] ? ssdDate(values[columns.end]) : undefined;
      if (!problems.length && end && start && end < start) problems.push(problem(columns.end, `${end} is before the start ${start}`));
      if (problems.length || 'field' in status) {
        reject(ref, problems);
        continue;
      }
      const personId = values[columns.person];
      familyFact(personId, { type: 'status-started', on: start!, personId, ...status, ref });
      if (end) familyFact(personId, { type: 'status-ended', on: end, personId, ...status, ref });
    }
  };
  statusRows('ssd_cin_plans', { person: 'cinp_person_id', start: 'cinp_cin_plan_start_date', end: 'cinp_cin_plan_end_date' }, () => ({
    status: 'child-in-need',
  }));
  statusRows('ssd_cp_plans', { person: 'cppl_person_id', start: 'cppl_cp_plan_start_date', end: 'cppl_cp_plan_end_date' }, () => ({
    status: 'child-protection-plan',
  }));
  statusRows(
    'ssd_legal_status',
    { person: 'lega_person_id', start: 'lega_legal_status_start_date', end: 'lega_legal_status_end_date' },
    (values) => {
      const code = values.lega_legal_status.trim().toUpperCase().slice(0, 2);
      const basis = LOOKED_AFTER_CODES[code];
      return basis
        ? { status: 'looked-after', basis }
        : problem(
            'lega_legal_status',
            `"${values.lega_legal_status}" is not a legal status this product tracks (${Object.entries(LOOKED_AFTER_CODES)
              .map(([c, b]) => `${c} ${b}`)
              .join(', ')})`,
          );
    },
  );

  const visitRows = (table: SsdTable, prefix: string, kind: string) => {
    const [person, date, seen, alone, bedroom] = [
      `${prefix}_person_id`,
      `${prefix}_${kind}_visit_date`,
      `${prefix}_${kind}_visit_seen`,
      `${prefix}_${kind}_visit_seen_alone`,
      `${prefix}_${kind}_visit_bedroom`,
    ];
    for (const { ref, values } of rowsOf(table)) {
      const flags = [seen, alone, bedroom].map((column) => [column, ssdFlag(values[column] ?? '')] as const);
      const problems = [
        knownChild(person, values[person]),
        dateProblem(date, values[date], true),
        ...flags.filter(([, flag]) => flag === 'invalid').map(([column]) => problem(column, `"${values[column]}" is not Y or N`)),
        flags[0][1] === undefined && problem(seen, 'is empty: say whether the child was seen (Y or N)'),
      ].filter((p): p is FieldProblem => Boolean(p));
      if (problems.length) {
        reject(ref, problems);
        continue;
      }
      familyFact(values[person], {
        type: 'visit',
        on: ssdDate(values[date])!,
        personId: values[person],
        seen: flags[0][1] === true,
        seenAlone: flags[1][1] === true,
        bedroomSeen: flags[2][1] === true,
        ref,
      });
    }
  };
  visitRows('ssd_cin_visits', 'cinv', 'cin');
  visitRows('ssd_cp_visits', 'cppv', 'cp');
  visitRows('ssd_cla_visits', 'clav', 'cla');

  // An initial child protection conference held: its outcome flag says whether it made a plan (empty: the extract does not say, so a plan, as the conference that starts a plan's reviews).
  for (const { ref, values } of rowsOf('ssd_initial_cp_conference')) {
    const flag = ssdFlag(values.icpc_icpc_outcome_cp_flag ?? '');
    const problems = [
      knownChild('icpc_person_id', values.icpc_person_id),
      dateProblem('icpc_icpc_date', values.icpc_icpc_date, true),
      flag === 'invalid' && problem('icpc_icpc_outcome_cp_flag', `"${values.icpc_icpc_outcome_cp_flag}" is not Y or N`),
    ].filter((p): p is FieldProblem => Boolean(p));
    if (problems.length) reject(ref, problems);
    else
      familyFact(values.icpc_person_id, {
        type: 'review-held',
        on: ssdDate(values.icpc_icpc_date)!,
        personId: values.icpc_person_id,
        kind: 'icpc',
        outcome: flag === false ? 'no-plan' : 'plan',
        ref,
      });
  }
  for (const { ref, values } of rowsOf('ssd_cp_reviews')) {
    const problems = [
      knownChild('cppr_person_id', values.cppr_person_id),
      dateProblem('cppr_cp_review_date', values.cppr_cp_review_date, true),
    ].filter((p): p is FieldProblem => Boolean(p));
    if (problems.length) reject(ref, problems);
    else
      familyFact(values.cppr_person_id, {
        type: 'review-held',
        on: ssdDate(values.cppr_cp_review_date)!,
        personId: values.cppr_person_id,
        kind: 'cp-review',
        ref,
      });
  }
  // A looked-after review names the child's period of care (clar_cla_id); ssd_cla_episodes names its child.
  const childOfCla = new Map(rowsOf('ssd_cla_episodes').map(({ values }) => [values.clae_cla_id, values.clae_person_id]));
  for (const { ref, values } of rowsOf('ssd_cla_reviews')) {
    const personId = childOfCla.get(values.clar_cla_id) ?? '';
    if (ssdFlag(values.clar_cla_review_cancelled ?? '') === true) {
      rows.push({
        ...ref,
        outcome: 'skipped',
        problems: [problem('clar_cla_review_cancelled', 'is Y: a cancelled review is not replayed')],
      });
      continue;
    }
    const problems = [
      !personId && problem('clar_cla_id', `${values.clar_cla_id || '(empty)'} is not a period of care in ssd_cla_episodes`),
      personId && knownChild('clar_cla_id', personId),
      dateProblem('clar_cla_review_date', values.clar_cla_review_date, true),
    ].filter((p): p is FieldProblem => Boolean(p));
    if (problems.length) reject(ref, problems);
    else familyFact(personId, { type: 'review-held', on: ssdDate(values.clar_cla_review_date)!, personId, kind: 'lac-review', ref });
  }

  // A placement names the child's period of care too; reg 28's visits count from it.
  for (const { ref, values } of rowsOf('ssd_cla_placement')) {
    const personId = childOfCla.get(values.clap_cla_id) ?? '';
    const problems = [
      !personId && problem('clap_cla_id', `${values.clap_cla_id || '(empty)'} is not a period of care in ssd_cla_episodes`),
      personId && knownChild('clap_cla_id', personId),
      dateProblem('clap_cla_placement_start_date', values.clap_cla_placement_start_date, true),
    ].filter((p): p is FieldProblem => Boolean(p));
    if (problems.length) reject(ref, problems);
    else familyFact(personId, { type: 'placement-started', on: ssdDate(values.clap_cla_placement_start_date)!, personId, ref });
  }

  const families: FamilyHistory[] = [];
  const members = new Map<string, ImportedChild[]>();
  for (const child of children.values()) {
    const family = familyOf.get(child.personId)!;
    members.set(family, [...(members.get(family) ?? []), child]);
  }
  for (const [familyId, familyChildren] of members) {
    const held = (allocations.get(familyId) ?? []).sort((a, b) => a.on.localeCompare(b.on));
    const familyFacts = facts.get(familyId) ?? [];
    if (!held.length) {
      for (const child of familyChildren)
        reject(child.ref, [
          problem('pers_person_id', `${child.personId}: no worker holds this family in ssd_involvements, so its case has no allocation`),
        ]);
      for (const fact of familyFacts)
        reject(fact.ref, [problem('ssd_involvements', `no worker holds family ${familyId}, so its case cannot be opened`)]);
      continue;
    }
    const openingDay = familyFacts.filter((f) => f.type === 'status-started').sort((a, b) => a.on.localeCompare(b.on))[0]?.on;
    if (!openingDay) {
      for (const child of familyChildren)
        reject(child.ref, [
          problem('pers_person_id', `${child.personId}: no CIN plan, CP plan or legal status in the extract, so there is no case to open`),
        ]);
      for (const fact of familyFacts) reject(fact.ref, [problem('ssd_person', `family ${familyId} has no status to open its case with`)]);
      continue;
    }
    // Who held the family the day its case opened (or, if nobody yet, the first to hold it); later changes are re-allocations.
    const holder = [...held].reverse().find((a) => a.on <= openingDay) ?? held[0];
    const reallocations: HistoryFact[] = [];
    let current = holder;
    for (const allocation of held.filter((a) => a.on > openingDay)) {
      if (allocation.workerId === current.workerId && allocation.teamId === current.teamId) continue;
      reallocations.push({
        type: 're-allocated',
        on: allocation.on,
        teamId: allocation.teamId,
        workerId: allocation.workerId,
        ref: allocation.ref,
      });
      current = allocation;
    }
    const openingStatuses = familyFacts.filter((f): f is StatusStarted => f.type === 'status-started' && f.on === openingDay);
    const all = [...familyFacts.filter((f) => !openingStatuses.includes(f as StatusStarted)), ...reallocations].sort(
      (a, b) => a.on.localeCompare(b.on) || FACT_ORDER[a.type] - FACT_ORDER[b.type],
    );
    families.push({ familyId, children: familyChildren, openedOn: openingDay, allocation: holder, openingStatuses, facts: all });
  }
  return { families, rows, tableProblems };
}
