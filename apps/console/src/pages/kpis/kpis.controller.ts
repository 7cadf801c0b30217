import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { londonDateOf } from '@plo/timescales';
import { answer, Backend } from '../../backend/backend';
import { CurrentSession } from '../../http/console-request';
import type { SignedInSession } from '../../sessions/session';
import { DRIFT_AGE_BANDS, kpiCsv, kpiRows, type PeriodFigures, supervisionBreakdown } from './kpi-table';
import { comparedPeriods, recentMonths, type Period } from './periods';

interface KpiQuery {
  a?: string;
  b?: string;
  teamId?: string;
}

/**
 * The KPI page: the peer review's table and PLO's measures for two months side by side, with the
 * national figures beside them. Team managers see one of their teams; service managers the council.
 */
@Controller()
export class KpisController {
  constructor(private readonly backend: Backend) {}

  private scopeOf(session: SignedInSession, teamId: string | undefined): string | undefined {
    const { roles, teamIds } = session.person;
    const wholeCouncil = roles.includes('service-manager') || roles.includes('administrator');
    if (teamId && teamIds.includes(teamId)) return teamId;
    return wholeCouncil ? undefined : teamIds[0];
  }

  private async figures(session: SignedInSession, period: Period, teamId: string | undefined): Promise<PeriodFigures> {
    const api = this.backend.as(session);
    const query = { councilId: session.person.councilId, from: period.from, to: period.to, ...(teamId ? { teamId } : {}) };
    const [cases, plo] = await Promise.all([
      answer('cases', api.cases.GET('/kpis', { params: { query } })),
      answer('plo', api.plo.GET('/kpis', { params: { query } })),
    ]);
    return { label: period.label, from: period.from, to: period.to, cases, plo };
  }

  private async report(session: SignedInSession, query: KpiQuery) {
    const today = londonDateOf(new Date());
    const periods = comparedPeriods(query, today);
    const teamId = this.scopeOf(session, query.teamId);
    const api = this.backend.as(session);
    const [a, b, dashboard] = await Promise.all([
      this.figures(session, periods[0], teamId),
      this.figures(session, periods[1], teamId),
      answer('alerting', api.alerting.GET('/alerts/dashboard', { params: { query: teamId ? { teamId } : {} } })),
    ]);
    const figures: [PeriodFigures, PeriodFigures] = [a, b];
    return {
      today,
      periods,
      teamId,
      figures,
      rows: kpiRows(figures),
      supervision: supervisionBreakdown(figures),
      driftByAge: dashboard.driftByAge,
    };
  }

  @Get('kpis')
  async page(@CurrentSession() session: SignedInSession, @Query() query: KpiQuery, @Res() response: Response): Promise<void> {
    const report = await this.report(session, query);
    const csvQuery = new URLSearchParams({
      a: report.periods[0].month,
      b: report.periods[1].month,
      ...(report.teamId ? { teamId: report.teamId } : {}),
    });
    response.render('pages/kpis.njk', {
      title: 'KPIs',
      section: 'kpis',
      session,
      ...report,
      months: recentMonths(report.today),
      teams: session.person.teamIds,
      wholeCouncil: session.person.roles.includes('service-manager') || session.person.roles.includes('administrator'),
      driftBands: DRIFT_AGE_BANDS.map((band) => ({ ...band, count: report.driftByAge[band.key] })),
      csvHref: `/kpis.csv?${csvQuery.toString()}`,
    });
  }

  @Get('kpis.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('cache-control', 'no-store')
  async csv(@CurrentSession() session: SignedInSession, @Query() query: KpiQuery, @Res() response: Response): Promise<void> {
    const report = await this.report(session, query);
    const scope = report.teamId ?? session.person.councilId;
    response.setHeader(
      'content-disposition',
      `attachment; filename="kpis-${scope}-${report.periods[0].month}-vs-${report.periods[1].month}.csv"`,
    );
    response.send(kpiCsv(report.figures, report.rows, report.driftByAge, report.today));
  }
}
