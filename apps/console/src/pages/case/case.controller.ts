import { Controller, Get, Header, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { londonDateOf } from '@plo/timescales';
import { answer, Backend } from '../../backend/backend';
import { CurrentSession } from '../../http/console-request';
import type { SignedInSession } from '../../sessions/session';
import { timelineDescription, timelineRows, timelineSvg, driftOf } from '../../timeline/timeline';
import { allocationRows, CaseReads, childRows, chronologyTables, timelineModels } from './case-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One case: its children and their statuses, who has held it, each child's PLO timeline and each
 * child's chronology, with the chronology's exports fetched for the browser with the person's token.
 */
@Controller('cases')
export class CasePageController {
  constructor(private readonly backend: Backend) {}

  @Get(':caseId')
  @Header('cache-control', 'no-store')
  async show(
    @CurrentSession() session: SignedInSession,
    @Param('caseId') caseId: string,
    @Query('order') order: unknown,
    @Res() response: Response,
  ): Promise<void> {
    // An address that cannot name a case is a page that does not exist, as for a case one may not see.
    if (!UUID.test(caseId)) throw new NotFoundException();
    const reads = await this.read(session, caseId);
    const today = londonDateOf(new Date());
    const newestFirst = order === 'newest';
    const timelines = timelineModels(reads, today).map((model) => ({
      model,
      svg: timelineSvg(model),
      description: timelineDescription(model),
      rows: timelineRows(model),
      drift: driftOf(model),
    }));
    const inProceedings = new Set(reads.proceedings.flatMap((proceedings) => proceedings.children.map((child) => child.childId)));
    const children = childRows(reads.record);
    response.render('pages/case.njk', {
      session,
      title: `Case ${reads.record.caseReference}`,
      section: 'case',
      record: reads.record,
      children,
      notInProceedings: children.filter((child) => !inProceedings.has(child.id)),
      allocations: allocationRows(reads.record),
      timelines,
      chronologies: chronologyTables(reads.record, reads.chronologies, newestFirst),
      newestFirst,
      today,
    });
  }

  /**
   * Every read at once. Each service answers 404 for a case the person may not see, and any refusal
   * fails the whole page (the console's 404 page), never a page with parts missing.
   */
  private async read(session: SignedInSession, caseId: string): Promise<CaseReads> {
    const { cases, plo } = this.backend.as(session);
    const path = { params: { path: { caseId } } };
    const query = { params: { query: { caseId } } };
    const [record, visits, reviews, referrals, plans, proceedings, ploChronology] = await Promise.all([
      answer('cases', cases.GET('/cases/{caseId}', path)),
      answer('cases', cases.GET('/cases/{caseId}/visits', path)),
      answer('cases', cases.GET('/cases/{caseId}/reviews', path)),
      answer('cases', cases.GET('/cases/{caseId}/referrals', path)),
      answer('cases', cases.GET('/cases/{caseId}/plans', path)),
      answer('plo', plo.GET('/proceedings', query)),
      answer('plo', plo.GET('/chronology', query)),
    ]);
    const chronologies = await Promise.all(
      record.children.map((child) =>
        answer('cases', cases.GET('/cases/{caseId}/children/{childId}/chronology', { params: { path: { caseId, childId: child.id } } })),
      ),
    );
    return { record, visits, reviews, referrals, plans, proceedings, ploChronology, chronologies };
  }

  /**
   * A child's chronology as a file, passed through from the cases service as the person asked for it,
   * so the service audits the disclosure under their name.
   */
  @Get(':caseId/children/:childId/chronology.csv')
  csv(
    @CurrentSession() session: SignedInSession,
    @Param('caseId') caseId: string,
    @Param('childId') childId: string,
    @Res() response: Response,
  ) {
    return this.export(session, caseId, childId, 'csv', response);
  }

  @Get(':caseId/children/:childId/chronology.pdf')
  pdf(
    @CurrentSession() session: SignedInSession,
    @Param('caseId') caseId: string,
    @Param('childId') childId: string,
    @Res() response: Response,
  ) {
    return this.export(session, caseId, childId, 'pdf', response);
  }

  private async export(session: SignedInSession, caseId: string, childId: string, format: 'csv' | 'pdf', response: Response) {
    if (!UUID.test(caseId) || !UUID.test(childId)) throw new NotFoundException();
    const { cases } = this.backend.as(session);
    const params = { params: { path: { caseId, childId } }, parseAs: 'arrayBuffer' as const };
    const call =
      format === 'csv'
        ? cases.GET('/cases/{caseId}/children/{childId}/chronology.csv', params)
        : cases.GET('/cases/{caseId}/children/{childId}/chronology.pdf', params);
    const { response: upstream } = await call;
    const file = await answer('cases', call);
    response
      .status(200)
      .set({
        'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
        'content-disposition': upstream.headers.get('content-disposition') ?? 'attachment',
        'cache-control': 'no-store',
      })
      .send(Buffer.from(file as ArrayBuffer));
  }
}
