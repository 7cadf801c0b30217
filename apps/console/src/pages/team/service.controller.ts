import { Controller, ForbiddenException, Get, Header, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentSession } from '../../http/console-request';
import type { SignedInSession } from '../../sessions/session';
import { outcomeBanner } from './team.controller';
import { Backend } from '../../backend/backend';
import { DUE_WITHIN_DAYS, readService } from './team-reader';
import { alertRow, CaseDirectory, escalatedOpen, rankTeams } from './team-week';

/** A service manager's teams side by side: which team's drift is largest and which has stood longest. */
@Controller()
export class ServiceController {
  constructor(private readonly backend: Backend) {}

  @Get('service')
  @Header('cache-control', 'no-store')
  async service(@CurrentSession() session: SignedInSession, @Query() query: { done?: unknown }, @Res() response: Response): Promise<void> {
    const { person } = session;
    if (!person.roles.includes('service-manager')) throw new ForbiddenException('This page is for service managers.');
    const data = await readService(this.backend.as(session), person);
    // Only the person's own teams: each links to its team page, which shows no other.
    const { byDrift, byAge } = rankTeams(
      data.summaries.filter((summary) => person.teamIds.includes(summary.teamId)),
      data.facts,
    );
    const directory = new CaseDirectory(data.cases);
    response.render('pages/service.njk', {
      session,
      title: 'Your teams this week',
      section: 'service',
      banner: outcomeBanner(query.done),
      byDrift,
      byAge,
      escalated: escalatedOpen(data.escalated.map((alert) => alertRow(alert, directory, person))),
      moreEscalated: data.moreEscalated,
      dueDays: DUE_WITHIN_DAYS,
    });
  }
}
