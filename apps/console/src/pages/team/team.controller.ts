import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Response } from 'express';
import { answer, Backend } from '../../backend/backend';
import { CurrentSession } from '../../http/console-request';
import type { Person, SignedInSession } from '../../sessions/session';
import { DUE_WITHIN_DAYS, readTeam } from './team-reader';
import {
  AGE_BANDS,
  alertRow,
  bySeverity,
  CaseDirectory,
  caseloads,
  dueRows,
  escalatedOpen,
  isManager,
  kindLabel,
  levelLabel,
  severityByAge,
} from './team-week';

/** What the page says after a form: only these fixed messages, never text from the address. */
export const OUTCOMES = {
  acknowledged: {
    type: 'success',
    heading: 'Alert acknowledged',
    text: 'It stays on the list until it is resolved, and it stops escalating.',
  },
  resolved: { type: 'success', heading: 'Alert resolved', text: 'It is no longer on the list.' },
  changed: {
    type: 'important',
    heading: 'Nothing was changed',
    text: 'Someone changed that alert after you loaded the page (or it had already been dealt with). The page now shows it as it is.',
  },
} as const;
export type Outcome = keyof typeof OUTCOMES;

export function outcomeBanner(done: unknown) {
  return typeof done === 'string' && Object.hasOwn(OUTCOMES, done) ? OUTCOMES[done as Outcome] : undefined;
}

/** The team the page is about: one of the person's own (the first by default); any other does not exist for them. */
export function chosenTeam(person: Person, teamId: unknown): string {
  if (typeof teamId === 'string' && teamId !== '') {
    if (!person.teamIds.includes(teamId)) throw new NotFoundException();
    return teamId;
  }
  if (!person.teamIds.length) throw new ForbiddenException('This page is for people who work in a team, and you are not in one.');
  return person.teamIds[0];
}

/** Where a form on a team page or the service page sends the person back to. */
export function backTo(from: unknown, teamId: string, done: Outcome): string {
  return from === 'service' ? `/service?done=${done}` : `/team?teamId=${encodeURIComponent(teamId)}&done=${done}`;
}

/** If-Match from the version the page showed, so a decision is never made on a stale view of the alert. */
function ifMatch(version: unknown): string | undefined {
  if (version === undefined || version === '') return undefined;
  if (typeof version !== 'string' || !/^\d{1,10}$/.test(version)) throw new BadRequestException('The form was not one this site made.');
  return `"${version}"`;
}

interface AlertForm {
  alert?: string;
  version?: string;
  teamId?: string;
  from?: string;
  reason?: string;
}

const MAX_REASON = 2000;

@Controller()
export class TeamController {
  constructor(private readonly backend: Backend) {}

  @Get('team')
  @Header('cache-control', 'no-store')
  async team(
    @CurrentSession() session: SignedInSession,
    @Query() query: { teamId?: unknown; done?: unknown },
    @Res() response: Response,
  ): Promise<void> {
    const { person } = session;
    const teamId = chosenTeam(person, query.teamId);
    const data = await readTeam(this.backend.as(session), person.councilId, teamId);
    const directory = new CaseDirectory(data.cases);
    const rows = data.alerts.map((alert) => alertRow(alert, directory, person));
    const escalated = escalatedOpen(rows);
    response.render('pages/team.njk', {
      session,
      title: 'My team this week',
      section: person.roles.includes('team-manager') || person.roles.includes('social-worker') ? 'team' : 'service',
      teamId,
      otherTeams: person.teamIds.filter((team) => team !== teamId),
      banner: outcomeBanner(query.done),
      counts: {
        drift: rows.filter((row) => row.drift).length,
        other: rows.filter((row) => !row.drift).length,
        escalated: escalated.length,
        cases: data.casesTotal,
        casesOverdue: data.cases.filter((item) => item.overdue.length > 0).length,
        due: data.dueTotal,
      },
      ageBands: AGE_BANDS,
      bySeverityAndAge: severityByAge(rows, new Date()),
      escalated,
      groups: bySeverity(rows),
      allAlerts: data.allAlerts,
      caseloads: caseloads(data.cases, rows),
      due: dueRows(data.due, directory),
      dueTotal: data.dueTotal,
      dueDays: DUE_WITHIN_DAYS,
    });
  }

  /** One form per table: the button pressed names its alert and the version the page showed (`id:version`). */
  @Post('team/alerts/acknowledge')
  async acknowledge(@CurrentSession() session: SignedInSession, @Body() form: AlertForm, @Res() response: Response): Promise<void> {
    const teamId = chosenTeam(session.person, form.teamId);
    const [id, version] = typeof form.alert === 'string' ? form.alert.split(':') : [];
    if (!id || !isUUID(id)) throw new BadRequestException('The form was not one this site made.');
    const call = this.backend.as(session).alerting.POST('/alerts/{id}/acknowledge', {
      params: { path: { id }, header: { 'if-match': ifMatch(version) } },
      body: {},
    });
    response.redirect(303, backTo(form.from, teamId, await outcomeOf(call, 'acknowledged')));
  }

  @Get('team/alerts/:id/resolve')
  @Header('cache-control', 'no-store')
  async resolvePage(
    @CurrentSession() session: SignedInSession,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: { teamId?: unknown; from?: unknown },
    @Res() response: Response,
  ): Promise<void> {
    const teamId = chosenTeam(session.person, query.teamId);
    const view = await this.resolveView(session, id);
    if (view.alert.state === 'resolved') return response.redirect(303, backTo(query.from, teamId, 'changed'));
    response.render('pages/team-resolve.njk', { ...view, session, teamId, from: query.from === 'service' ? 'service' : 'team' });
  }

  @Post('team/alerts/:id/resolve')
  async resolve(
    @CurrentSession() session: SignedInSession,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() form: AlertForm,
    @Res() response: Response,
  ): Promise<void> {
    const teamId = chosenTeam(session.person, form.teamId);
    const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
    const problem = !reason
      ? 'Enter why the alert can be resolved'
      : reason.length > MAX_REASON
        ? `The reason must be ${MAX_REASON.toLocaleString('en-GB')} characters or fewer`
        : undefined;
    if (problem) {
      const view = await this.resolveView(session, id);
      response.status(400).render('pages/team-resolve.njk', {
        ...view,
        session,
        teamId,
        from: form.from === 'service' ? 'service' : 'team',
        reason: form.reason,
        error: problem,
      });
      return;
    }
    const call = this.backend.as(session).alerting.POST('/alerts/{id}/resolve', {
      params: { path: { id }, header: { 'if-match': ifMatch(form.version) } },
      body: { reason },
    });
    response.redirect(303, backTo(form.from, teamId, await outcomeOf(call, 'resolved')));
  }

  /** The alert to resolve, described as the team page describes it (its child named from the case). */
  private async resolveView(session: SignedInSession, id: string) {
    if (!isManager(session.person)) throw new ForbiddenException('Only a manager of the team can resolve an alert.');
    const api = this.backend.as(session);
    const alert = await answer('alerting', api.alerting.GET('/alerts/{id}', { params: { path: { id } } }));
    const record = await answer('cases', api.cases.GET('/cases/{caseId}', { params: { path: { caseId: alert.caseId } } }));
    const child = record.children.find((c) => c.id === alert.childId);
    return {
      title: 'Resolve an alert',
      section: 'team',
      alert,
      version: alert.version,
      child: child ? `${child.firstName} ${child.lastName}` : null,
      caseReference: record.caseReference,
      rule: kindLabel(alert.kind),
      level: levelLabel(alert.level),
    };
  }
}

/**
 * A transition's outcome for the banner: done, or `changed` when alerting refused it because the
 * alert had moved on (409: not open any more; 412: not the version the page showed). Anything else
 * is an error page.
 */
async function outcomeOf(call: Promise<{ error?: unknown; response: globalThis.Response }>, done: Outcome): Promise<Outcome> {
  const result = await call;
  if (result.response.ok) return done;
  if (result.response.status === 409 || result.response.status === 412) return 'changed';
  return answer('alerting', Promise.resolve(result)).then(() => done);
}
