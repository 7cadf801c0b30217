import type { ApiClients } from '@plo/api-client';
import { answer } from '../../backend/backend';
import type { Person } from '../../sessions/session';
import type { Alert, CaseSummary, DueObligation, Severity, TeamAlertSummary, TeamFacts } from './team-week';

/** The most the alerts API gives in one page. */
const ALERT_PAGE = 200;
/** Per severity: beyond this the page says it shows only part (1,000 alerts of one severity is a team in crisis). */
const MAX_ALERT_PAGES = 5;
const CASE_PAGE = 100;
const MAX_CASE_PAGES = 20;
export const DUE_WITHIN_DAYS = 7;
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'warning'];

export interface TeamWeekData {
  alerts: Alert[];
  /** False when a severity had more alerts than the page fetches. */
  allAlerts: boolean;
  cases: CaseSummary[];
  casesTotal: number;
  due: DueObligation[];
  dueTotal: number;
}

export interface ServiceData {
  summaries: TeamAlertSummary[];
  facts: Map<string, TeamFacts>;
  escalated: Alert[];
  /** More escalated alerts than one page of the API holds. */
  moreEscalated: boolean;
  cases: CaseSummary[];
}

/**
 * What a team page reads, all at once: one chain of pages per severity (the alerts API pages newest
 * first, at most 200 at a time), the team's cases a hundred at a time once the first page has said
 * how many there are, and the obligations due this week.
 */
export async function readTeam(api: ApiClients, councilId: string, teamId: string): Promise<TeamWeekData> {
  const [alertChains, cases, due] = await Promise.all([
    Promise.all(SEVERITIES.map((severity) => activeAlerts(api, teamId, severity))),
    teamCases(api, councilId, teamId),
    answer('alerting', api.alerting.GET('/obligations/due', { params: { query: { teamId, days: DUE_WITHIN_DAYS } } })),
  ]);
  return {
    alerts: alertChains.flatMap((chain) => chain.alerts),
    allAlerts: alertChains.every((chain) => chain.complete),
    cases: cases.items,
    casesTotal: cases.total,
    due: due.items,
    dueTotal: due.total,
  };
}

/** Every team of a service manager side by side: counts only, plus what has been escalated and not yet picked up. */
export async function readService(api: ApiClients, person: Person): Promise<ServiceData> {
  const { councilId, teamIds } = person;
  const perTeam = (teamId: string) =>
    Promise.all([
      answer('cases', api.cases.GET('/cases', { params: { query: { councilId, teamId, pageSize: 1 } } })),
      answer('cases', api.cases.GET('/cases', { params: { query: { councilId, teamId, overdue: 'true', pageSize: 1 } } })),
      answer('alerting', api.alerting.GET('/obligations/due', { params: { query: { teamId, days: DUE_WITHIN_DAYS, limit: 1 } } })),
    ]);
  const [summaries, escalated, facts] = await Promise.all([
    answer('alerting', api.alerting.GET('/alerts/teams')),
    answer('alerting', api.alerting.GET('/alerts', { params: { query: { escalated: 'true', state: 'open', limit: ALERT_PAGE } } })),
    Promise.all(teamIds.map(perTeam)),
  ]);
  // Children's names for the escalated alerts: only the cases they are on.
  const escalatedCaseIds = new Set(escalated.items.map((alert) => alert.caseId));
  const cases = escalatedCaseIds.size
    ? (await Promise.all(teamIds.map((teamId) => teamCases(api, councilId, teamId)))).flatMap((page) => page.items)
    : [];
  return {
    summaries,
    facts: new Map(
      teamIds.map((teamId, index) => {
        const [all, overdue, due] = facts[index];
        return [teamId, { cases: all.total, casesOverdue: overdue.total, dueThisWeek: due.total }];
      }),
    ),
    escalated: escalated.items,
    moreEscalated: escalated.nextCursor !== null,
    cases: cases.filter((item) => escalatedCaseIds.has(item.id)),
  };
}

async function activeAlerts(api: ApiClients, teamId: string, severity: Severity): Promise<{ alerts: Alert[]; complete: boolean }> {
  const alerts: Alert[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_ALERT_PAGES; page += 1) {
    const result = await answer(
      'alerting',
      api.alerting.GET('/alerts', { params: { query: { teamId, severity, state: 'active', limit: ALERT_PAGE, cursor } } }),
    );
    alerts.push(...result.items);
    if (!result.nextCursor) return { alerts, complete: true };
    cursor = result.nextCursor;
  }
  return { alerts, complete: false };
}

async function teamCases(api: ApiClients, councilId: string, teamId: string): Promise<{ items: CaseSummary[]; total: number }> {
  const page = (number: number) =>
    answer('cases', api.cases.GET('/cases', { params: { query: { councilId, teamId, page: number, pageSize: CASE_PAGE } } }));
  const first = await page(1);
  const pages = Math.min(Math.ceil(first.total / CASE_PAGE), MAX_CASE_PAGES);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, index) => page(index + 2)));
  return { items: [first, ...rest].flatMap((result) => result.items), total: first.total };
}
