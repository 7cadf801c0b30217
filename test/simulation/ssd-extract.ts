import { Day } from './calendar';
import { Fact, Status, World } from './world';

/**
 * The world's history as the council's old system would hand it over: a Standard Safeguarding
 * Dataset extract of everything typed in by the cut. Pure: the driver posts the tables to the cases
 * service's history import, sends what the SSD cannot say through the public APIs afterwards, and
 * never sends what the import carried.
 *
 * The SSD has no table for care proceedings (PLO's) or CIN reviews: those are `viaApi`. A CIN
 * review of a plan that ended before the cut is `dropped` — no council would type the reviews of a
 * closed plan into its new system, and the expectations do not depend on them (a status's review
 * series ends with it); the acceptance test checks that they do not.
 */
export interface SsdExtract {
  tables: Record<string, string>;
  /** The person id each child has in the extract (the child's key). */
  familyOf: Map<string, string>;
  imported: Set<string>;
  viaApi: Fact[];
  dropped: Set<string>;
}

/** The team's name as an extract writes it ("North 1"): the import slugs it back to the team id (`north-1`) the managers' tokens carry. */
export const teamName = (teamId: string) =>
  teamId
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

const csv = (header: string[], rows: (string | number)[][]) =>
  [header, ...rows]
    .map((row) => row.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : v)).join(','))
    .join('\n') + '\n';

export function ssdExtract(world: World, cut: Day): SsdExtract {
  const history = world.facts.filter((f) => f.enteredOn <= cut);
  const imported = new Set<string>();
  const dropped = new Set<string>();
  const viaApi: Fact[] = [];
  const rows: Record<string, (string | number)[][]> = {};
  const row = (table: string, ...values: (string | number)[]) => (rows[table] ??= []).push(values);
  const familyOf = new Map<string, string>();

  for (const simCase of world.cases) {
    const facts = history.filter((f) => f.caseKey === simCase.key);
    if (!facts.length) continue;
    for (const child of simCase.children) {
      familyOf.set(child.key, simCase.reference);
      row('ssd_person', child.key, child.key.split('.')[1], simCase.reference, 'U', child.dateOfBirth);
      row('ssd_family', simCase.reference, child.key);
    }
    // Each child's status periods by the cut, to end one when the next starts and to file visits under the right table.
    const periods = new Map<string, { status: Status; start: Day }[]>(simCase.children.map((c) => [c.key, []]));
    for (const f of facts) {
      if (f.type === 'open') for (const c of simCase.children) periods.get(c.key)!.push({ status: f.status, start: f.date });
      if (f.type === 'status') for (const c of f.children) periods.get(c)!.push({ status: f.status, start: f.date });
    }
    const statusOn = (child: string, day: Day) => [...periods.get(child)!].reverse().find((p) => p.start <= day)!.status;
    const claId = (child: string) => `${child}.cla`;
    for (const [child, own] of periods)
      own.forEach((period, i) => {
        const end = own[i + 1]?.start ?? '';
        if (period.status === 'child-in-need') row('ssd_cin_plans', child, period.start, end);
        else if (period.status === 'child-protection-plan') row('ssd_cp_plans', child, period.start, end);
        else {
          // Accommodated under section 20 (SSDA903 V2), as the live driver records it, placed the day it starts.
          row('ssd_legal_status', child, 'V2', period.start, end);
          row('ssd_cla_episodes', child, claId(child));
          row('ssd_cla_placement', claId(child), period.start);
        }
      });
    // Siblings whose statuses ran apart have their own conferences under the same review key: held is per child.
    const heldInHistory = new Set(facts.flatMap((f) => (f.type === 'review-held' ? f.children.map((c) => `${f.reviewKey}|${c}`) : [])));

    for (const f of facts) {
      switch (f.type) {
        case 'open':
          row('ssd_involvements', simCase.children[0].key, simCase.worker, teamName(simCase.team), f.date);
          imported.add(f.id);
          break;
        case 'status':
          imported.add(f.id);
          break;
        case 'allocation':
          row('ssd_involvements', simCase.children[0].key, f.worker, teamName(f.team), f.date);
          imported.add(f.id);
          break;
        case 'visit':
          for (const { key: child } of simCase.children) {
            const table = { 'child-in-need': 'ssd_cin_visits', 'child-protection-plan': 'ssd_cp_visits', 'looked-after': 'ssd_cla_visits' }[
              statusOn(child, f.date)
            ];
            row(table, child, f.date, f.seen.includes(child) ? 'Y' : 'N');
          }
          imported.add(f.id);
          break;
        case 'review-scheduled':
        case 'review-held': {
          if (f.kind === 'cin-review') {
            // Still on the CIN plan at the cut: its reviews go in by hand after the import.
            if (f.children.every((c) => periods.get(c)!.at(-1)!.status === 'child-in-need')) viaApi.push(f);
            else dropped.add(f.id);
          } else if (f.type === 'review-scheduled') {
            // The service schedules its own series; a conference convened and not held by the cut is typed in after the import.
            if (f.kind === 'icpc' && !f.children.every((c) => heldInHistory.has(`${f.reviewKey}|${c}`))) viaApi.push(f);
            else imported.add(f.id);
          } else {
            for (const child of f.children) {
              if (f.kind === 'icpc') row('ssd_initial_cp_conference', child, f.date, f.outcome === 'plan' ? 'Y' : 'N');
              else if (f.kind === 'cp-review') row('ssd_cp_reviews', child, f.date);
              else row('ssd_cla_reviews', claId(child), f.date);
            }
            imported.add(f.id);
          }
          break;
        }
        default:
          viaApi.push(f);
      }
    }
  }

  const header: Record<string, string[]> = {
    ssd_person: ['pers_person_id', 'pers_forename', 'pers_surname', 'pers_sex', 'pers_dob'],
    ssd_family: ['fami_family_id', 'fami_person_id'],
    ssd_involvements: ['invo_person_id', 'invo_professional_id', 'invo_professional_team', 'invo_involvement_start_date'],
    ssd_cin_plans: ['cinp_person_id', 'cinp_cin_plan_start_date', 'cinp_cin_plan_end_date'],
    ssd_cp_plans: ['cppl_person_id', 'cppl_cp_plan_start_date', 'cppl_cp_plan_end_date'],
    ssd_legal_status: ['lega_person_id', 'lega_legal_status', 'lega_legal_status_start_date', 'lega_legal_status_end_date'],
    ssd_cla_episodes: ['clae_person_id', 'clae_cla_id'],
    ssd_cla_placement: ['clap_cla_id', 'clap_cla_placement_start_date'],
    ssd_cin_visits: ['cinv_person_id', 'cinv_cin_visit_date', 'cinv_cin_visit_seen'],
    ssd_cp_visits: ['cppv_person_id', 'cppv_cp_visit_date', 'cppv_cp_visit_seen'],
    ssd_cla_visits: ['clav_person_id', 'clav_cla_visit_date', 'clav_cla_visit_seen'],
    ssd_initial_cp_conference: ['icpc_person_id', 'icpc_icpc_date', 'icpc_icpc_outcome_cp_flag'],
    ssd_cp_reviews: ['cppr_person_id', 'cppr_cp_review_date'],
    ssd_cla_reviews: ['clar_cla_id', 'clar_cla_review_date'],
  };
  const tables = Object.fromEntries(Object.entries(header).map(([table, columns]) => [table, csv(columns, rows[table] ?? [])]));
  return { tables, familyOf, imported, viaApi, dropped };
}
