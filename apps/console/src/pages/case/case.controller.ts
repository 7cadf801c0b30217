import { Controller, Get, Header, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { londonDateOf } from '@plo/timescales';
import { answer, Backend } from '../../backend/backend';
import { CurrentSession } from '../../http/console-request';
import type { SignedInSession } from '../../sessions/session';
import { timelineDescription, timelineRows, timelineSvg, driftOf } from '../../timeline/timeline';
import { allocationRows, caseChronology, CaseReads, childRows, timelineModels } from './case-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One case: its children and their statuses, who has held it, each child's PLO timeline, and its chronology. */
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
      chronology: caseChronology(reads, newestFirst),
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
    return { record, visits, reviews, referrals, plans, proceedings, ploChronology };
  }
}
