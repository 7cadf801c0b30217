// Realistic data for the API and memory benchmarks, written straight into each service's database
// with set-based SQL (INSERT … SELECT over generate_series), so a million rows take seconds, not
// the hours the APIs would. Every row is derived from a case number g: its ids are md5-derived
// UUIDs, so the cases, plo and alerting databases describe the same cases and children, and the
// benchmarks can compute any id (and its team) without reading it back.
//
// Case g belongs to team g % teams, in council (g % teams) % 5, allocated to one of the team's 20
// workers; its team manager is tm-<team>. It has two children, its current legal status and
// allocation, a placement per child when looked after, and per child one open visit obligation (due
// 7–66 days ahead, so no warning falls due while a benchmark runs). With `history`, it also has an
// earlier legal status and allocation and `history` met visits per child.
import { createHash, randomUUID } from 'node:crypto';
import { createEnvelope, EventTypes, ObligationScheduledV1 } from '@plo/contracts';
import { TestStack } from '@plo/testing';

export const CHILDREN_PER_CASE = 2;
const COUNCILS = 5;
const WORKERS_PER_TEAM = 20;

/** A version-4-shaped UUID from the md5 of a text (the services accept only RFC 4122 UUIDs). */
export function benchUuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** benchUuid in SQL, of a text expression. */
export function uuidOf(text: string): string {
  return `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;
}

export function benchTeam(teamIndex: number) {
  return { teamId: `team-${teamIndex}`, councilId: `council-${teamIndex % COUNCILS}`, managerId: `tm-${teamIndex}` };
}

export function benchCase(g: number, teams: number) {
  return { caseId: benchUuid(`case-${g}`), proceedingsId: benchUuid(`proceedings-${g}`), teamIndex: g % teams, ...benchTeam(g % teams) };
}

/**
 * Case numbers $1 ≤ g < $2 with their derived facts; $3 is the number of teams. What varies within
 * a team (worker, legal status, alerts) follows n, the case's number within its team, so every
 * team gets its share whatever the number of teams.
 */
const CASES = `
  WITH c AS (
    SELECT g, n, ${uuidOf("'case-' || g")} AS case_id, 'REF-' || g AS case_reference,
           'council-' || (g % $3 % ${COUNCILS}) AS council_id, 'team-' || (g % $3) AS team_id, 'tm-' || (g % $3) AS manager_id,
           'sw-' || (g % $3) || '-' || (n % ${WORKERS_PER_TEAM}) AS worker_id,
           (ARRAY['child-in-need', 'child-protection-plan', 'looked-after', 'plo'])[n % 4 + 1] AS legal_status,
           (ARRAY['cin-visit', 'cp-visit', 'lac-visit-other', 'cp-visit'])[n % 4 + 1] AS visit_rule,
           current_date - 120 - (g % 700) AS opened_on
      FROM generate_series($1::int, $2::int - 1) AS g, LATERAL (SELECT g / $3 AS n) AS within_team),
  k AS (SELECT generate_series(1, ${CHILDREN_PER_CASE}) AS k)`;

const VISIT_EXPLANATION = `'statutory visit to the child within the period the council''s rule sets (benchmark data)'`;

export interface SeedRange {
  from: number;
  to: number;
  teams: number;
}

function casesStatements(history: number): string[] {
  return [
    `${CASES} INSERT INTO cases (id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_status, opened_on)
       SELECT case_id, council_id, case_reference, team_id, worker_id, manager_id, legal_status, opened_on FROM c`,
    `${CASES} INSERT INTO children (id, case_id, first_name, last_name, date_of_birth, sex, added_on)
       SELECT ${uuidOf("'child-' || g || '-' || k")}, case_id, 'Child' || k, 'Bench' || g, opened_on - 400 * k - (g % 3000), (ARRAY['female', 'male'])[k], opened_on FROM c, k`,
    `${CASES} INSERT INTO legal_statuses (id, case_id, legal_status, start_date, end_date)
       SELECT ${uuidOf("'status-1-' || g")}, case_id, legal_status, opened_on + 30, NULL FROM c`,
    `${CASES} INSERT INTO allocations (id, case_id, team_id, worker_id, team_manager_id, start_date, end_date, reason)
       SELECT ${uuidOf("'allocation-1-' || g")}, case_id, team_id, worker_id, manager_id, opened_on + 30, NULL, NULL FROM c`,
    `${CASES} INSERT INTO placements (id, case_id, child_id, started_on, intended_until_18)
       SELECT ${uuidOf("'placement-' || g || '-' || k")}, case_id, ${uuidOf("'child-' || g || '-' || k")}, opened_on + 30, false FROM c, k
        WHERE legal_status = 'looked-after'`,
    `${CASES} INSERT INTO obligations (id, case_id, kind, rule_id, due_date, explanation, status, child_id)
       SELECT ${uuidOf("'visit-' || g || '-' || k")}, case_id, 'visit', visit_rule, current_date + 7 + (g % 60), ${VISIT_EXPLANATION}, 'open',
              ${uuidOf("'child-' || g || '-' || k")} FROM c, k`,
    ...(history > 0
      ? [
          `${CASES} INSERT INTO legal_statuses (id, case_id, legal_status, start_date, end_date)
           SELECT ${uuidOf("'status-0-' || g")}, case_id, 'child-in-need', opened_on, opened_on + 30 FROM c`,
          `${CASES} INSERT INTO allocations (id, case_id, team_id, worker_id, team_manager_id, start_date, end_date, reason)
           SELECT ${uuidOf("'allocation-0-' || g")}, case_id, team_id, 'sw-duty', manager_id, opened_on, opened_on + 30, 'allocated from the duty team' FROM c`,
          `${CASES}, h AS (SELECT generate_series(1, ${history}) AS h)
           INSERT INTO obligations (id, case_id, kind, rule_id, due_date, explanation, status, satisfied_on, child_id)
           SELECT ${uuidOf("'visit-' || g || '-' || k || '-' || h")}, case_id, 'visit', visit_rule, current_date - 14 * h, ${VISIT_EXPLANATION},
                  'satisfied', current_date - 14 * h - 2, ${uuidOf("'child-' || g || '-' || k")} FROM c, k, h`,
        ]
      : []),
  ];
}

/**
 * Alerting: the case directory, each child's open visit obligation (the same ids as in cases), and
 * for one case in `alertEvery` an overdue visit with its drift alert (a third of them acknowledged).
 * Alerts escalate two days from now, so escalation stays idle while a benchmark runs.
 */
function alertingStatements(alertEvery: number): string[] {
  const overdueAt = `((due_date + 1)::timestamp AT TIME ZONE 'Europe/London')`;
  return [
    `${CASES} INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_status)
       SELECT case_id, council_id, case_reference, team_id, worker_id, manager_id, legal_status FROM c`,
    `${CASES}, o AS (SELECT c.*, k, current_date + 7 + (g % 60) AS due_date FROM c, k)
       INSERT INTO obligations (id, case_id, council_id, child_id, kind, rule_id, due_date, overdue_at, explanation, responsible_team_id,
                                responsible_worker_id, status, source_event_id, next_alert_at)
       SELECT ${uuidOf("'visit-' || g || '-' || k")}, case_id, council_id, ${uuidOf("'child-' || g || '-' || k")}, 'visit', visit_rule, due_date,
              ${overdueAt}, ${VISIT_EXPLANATION}, team_id, worker_id, 'open', ${uuidOf("'event-visit-' || g || '-' || k")},
              ${overdueAt} - interval '2 days' FROM o`,
    `${CASES}, o AS (SELECT c.*, current_date - 1 - (g % 20) AS due_date FROM c WHERE n % ${alertEvery} = 0)
       INSERT INTO obligations (id, case_id, council_id, child_id, kind, rule_id, due_date, overdue_at, explanation, responsible_team_id,
                                responsible_worker_id, status, source_event_id, next_alert_at)
       SELECT ${uuidOf("'late-' || g")}, case_id, council_id, ${uuidOf("'child-' || g || '-1'")}, 'visit', visit_rule, due_date, ${overdueAt},
              ${VISIT_EXPLANATION}, team_id, worker_id, 'open', ${uuidOf("'event-late-' || g")}, NULL FROM o`,
    `${CASES}, o AS (SELECT c.*, current_date - 1 - (g % 20) AS due_date, n / ${alertEvery} % 3 = 0 AS acknowledged FROM c WHERE n % ${alertEvery} = 0)
       INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation, state,
                           team_id, worker_id, recipient_id, raised_at, escalates_at, acknowledged_by, acknowledged_at)
       SELECT ${uuidOf("'alert-' || g")}, ${uuidOf("'late-' || g")}::text, 'drift', due_date, ${uuidOf("'late-' || g")}, case_id, council_id,
              ${uuidOf("'child-' || g || '-1'")}, 'visit', 'critical', ${VISIT_EXPLANATION}, CASE WHEN acknowledged THEN 'acknowledged' ELSE 'open' END,
              team_id, worker_id, worker_id, ${overdueAt} + interval '1 minute', CASE WHEN acknowledged THEN NULL ELSE now() + interval '2 days' END,
              CASE WHEN acknowledged THEN worker_id END, CASE WHEN acknowledged THEN ${overdueAt} + interval '3 hours' END FROM o`,
  ];
}

/**
 * PLO: every case is in proceedings issued in the last 17 weeks (so the week-20 "no final hearing"
 * sweep has nothing to do yet), at one of the first five stages, with a case management hearing
 * listed, one 26-week clock per child and each clock's open completion obligation.
 */
function ploStatements(): string[] {
  const proceedings = `
    p AS (SELECT c.*, ${uuidOf("'proceedings-' || g")} AS proceedings_id, current_date - (g % 119) AS issued_on,
                 (ARRAY['issued', 'gatekeeping', 'case-management-hearing', 'further-case-management-hearing', 'issues-resolution-hearing'])[g % 5 + 1] AS stage
            FROM c)`;
  return [
    `${CASES} INSERT INTO known_cases (case_id, council_id, case_reference, team_id, allocated_worker_id)
       SELECT case_id, council_id, case_reference, team_id, worker_id FROM c`,
    `${CASES}, ${proceedings}
       INSERT INTO proceedings (id, case_id, court, court_case_number, issued_on, submitted_on, stage, stage_entered_on, timetable_version,
                                no_final_hearing_warning_on, no_final_hearing_warning_week)
       SELECT proceedings_id, case_id, 'Family Court at Bench', 'BN' || g, issued_on, issued_on, stage, issued_on, 1, issued_on + 139, 20 FROM p`,
    `${CASES}, ${proceedings}
       INSERT INTO stage_history (proceedings_id, stage, previous_stage, entered_on, recorded_by)
       SELECT proceedings_id, stage, 'issued', issued_on, 'bench' FROM p WHERE stage <> 'issued'`,
    `${CASES}, ${proceedings}
       INSERT INTO child_clocks (proceedings_id, child_id, obligation_id, completion_date, original_completion_date, hmcts_display_date)
       SELECT proceedings_id, ${uuidOf("'child-' || g || '-' || k")}, ${uuidOf("'clock-' || g || '-' || k")}, issued_on + 181, issued_on + 181, issued_on + 182 FROM p, k`,
    `${CASES}, ${proceedings}
       INSERT INTO plo_obligations (id, case_id, proceedings_id, child_id, kind, rule_id, due_date, explanation, updated_at)
       SELECT ${uuidOf("'clock-' || g || '-' || k")}, case_id, proceedings_id, ${uuidOf("'child-' || g || '-' || k")}, 'proceedings-completion',
              'proceedings-26-week-limit', issued_on + 181, '26 weeks beginning with the day of issue (benchmark data)', now() FROM p, k`,
    `${CASES}, ${proceedings}
       INSERT INTO hearings (id, proceedings_id, hearing_type, starts_at, hearing_date, venue, judge, listing_status, status, updated_at)
       SELECT ${uuidOf("'hearing-' || g")}, proceedings_id, 'case-management', (issued_on + 140)::timestamp AT TIME ZONE 'Europe/London' + interval '10 hours',
              issued_on + 140, 'Bench Family Court', 'HHJ Bench', 'fixed', 'listed', now() FROM p`,
  ];
}

export type BenchService = 'cases' | 'plo' | 'alerting';

export interface SeedOptions {
  /** Met visit obligations per child in cases; with any, an earlier legal status and allocation too. */
  history?: number;
  /** One case in this many has an overdue visit with a drift alert. */
  alertEvery?: number;
}

/** Inserts cases [from, to) into one service's database, in chunks, printing progress. */
export async function seed(stack: TestStack, service: BenchService, range: SeedRange, options: SeedOptions = {}, chunk = 100_000) {
  const statements =
    service === 'cases'
      ? casesStatements(options.history ?? 0)
      : service === 'alerting'
        ? alertingStatements(options.alertEvery ?? 5)
        : ploStatements();
  const startedAt = Date.now();
  for (let from = range.from; from < range.to; from += chunk) {
    const to = Math.min(from + chunk, range.to);
    for (const sql of statements) await stack.sql(service, sql, [from, to, range.teams]);
    console.log(
      `  ${service}: cases ${to.toLocaleString('en-GB')} of ${range.to.toLocaleString('en-GB')} seeded (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
    );
  }
  // Vacuumed now, so autovacuum does not descend on a million fresh rows in the middle of a measurement.
  await stack.sql(service, 'VACUUM ANALYZE');
}

/** `count` obligation-scheduled events spread over `cases` cases, as the cases service would publish them. */
export function obligationEvents(count: number, cases: number) {
  const caseIds = Array.from({ length: cases }, () => randomUUID());
  return Array.from({ length: count }, (_, i) => {
    const caseId = caseIds[i % cases];
    const data: ObligationScheduledV1 = {
      obligationId: randomUUID(),
      caseId,
      councilId: 'bench-council',
      kind: 'visit',
      ruleId: 'cp-visit',
      dueDate: '2027-01-15',
      explanation: '10 working days after the last visit on Thu 31 Dec 2026 → last day Fri 15 Jan 2027 (local policy)',
      responsible: { teamId: 'team-1', workerId: 'sw-1' },
    };
    return createEnvelope('urn:plo:cases', EventTypes.obligationScheduled, caseId, data, {
      correlationId: randomUUID(),
      actor: { kind: 'system', id: 'bench' },
    });
  });
}
