import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventTypes, Section47ConcludedV1, Section47StartedV1, StrategyDiscussionHeldV1 } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, notBefore, notFuture } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CaseChanges, UNDER_THE_CASE } from '../case/case-changes';
import { CaseStore } from '../case/case.store';
import { cancelsIcpc, missingAgencies } from '../domain/enquiry-rules';
import { ReviewSeries } from '../reviews/review-series';
import { ConcludeSection47Dto, RecordStrategyDiscussionDto, StartSection47Dto } from './enquiries.dto';
import { EnquiriesStore } from './enquiries.store';
import { IcpcDueView, RecordedStrategyDiscussionView, Section47EnquiryView } from './enquiries.views';

/**
 * Child protection enquiries, per child: a strategy discussion decides a s.47 enquiry and starts the
 * wait for each child's ICPC (a review of kind icpc, held through the review routes); the enquiry's
 * conclusion without a conference cancels that ICPC.
 */
@Injectable()
export class EnquiriesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly enquiries: EnquiriesStore,
    private readonly series: ReviewSeries,
    private readonly clock: Clock,
  ) {}

  async recordDiscussion(caseId: string, input: RecordStrategyDiscussionDto, actor: Actor): Promise<RecordedStrategyDiscussionView> {
    const missing = missingAgencies(input.participants);
    assertNoFieldProblems([
      notFuture('heldOn', input.heldOn, this.today()),
      missing.length > 0 && {
        field: 'participants',
        message: `participants must include the council, the police and health (Working Together 2023); missing: ${missing.join(', ')}`,
      },
    ]);
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change, row) => {
      const ofCase = await this.cases.childIds(change, caseId);
      const childIds = input.childIds ?? ofCase;
      assertNoFieldProblems(
        childIds.map(
          (id, i) => !ofCase.includes(id) && { field: `childIds.${i}`, message: `childIds.${i} ${id} is not a child on case ${caseId}` },
        ),
      );
      const id = randomUUID();
      const participants = input.participants.map(({ agency, name, role }) => ({
        agency,
        ...(name ? { name } : {}),
        ...(role ? { role } : {}),
      }));
      await this.enquiries.insertDiscussion(change, {
        id,
        caseId,
        childIds,
        heldOn: input.heldOn,
        participants,
        decision: input.decision,
        recordedBy: actor.id,
      });
      change.emit(EventTypes.strategyDiscussionHeld, {
        caseId,
        strategyDiscussionId: id,
        childIds,
        heldOn: input.heldOn,
        agencies: [...new Set(participants.map((p) => p.agency))],
        decision: input.decision,
      } satisfies StrategyDiscussionHeldV1);
      const icpcs: IcpcDueView[] = [];
      if (input.decision === 'section-47')
        for (const childId of childIds)
          icpcs.push({ childId, ...(await this.series.icpcFromStrategyDiscussion(change, row, childId, input.heldOn)) });
      return { ...(await this.enquiries.discussion(change, caseId, id))!, icpcs };
    });
  }

  async startSection47(caseId: string, input: StartSection47Dto, actor: Actor): Promise<Section47EnquiryView[]> {
    assertNoFieldProblems([notFuture('startedOn', input.startedOn, this.today())]);
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change) => {
      const discussion = await this.enquiries.discussion(change, caseId, input.strategyDiscussionId);
      const childIds = input.childIds ?? discussion?.childIds ?? [];
      assertNoFieldProblems([
        !discussion && {
          field: 'strategyDiscussionId',
          message: `strategyDiscussionId ${input.strategyDiscussionId} is not a strategy discussion on case ${caseId}`,
        },
        discussion &&
          discussion.decision !== 'section-47' && {
            field: 'strategyDiscussionId',
            message: `strategy discussion ${discussion.id} decided ${discussion.decision}, not a section-47 enquiry`,
          },
        discussion && notBefore('startedOn', input.startedOn, discussion.heldOn, 'the strategy discussion'),
        ...childIds.map(
          (id, i) =>
            discussion &&
            !discussion.childIds.includes(id) && {
              field: `childIds.${i}`,
              message: `childIds.${i} ${id} was not discussed at strategy discussion ${discussion.id}`,
            },
        ),
      ]);
      const open = await this.enquiries.openEnquiries(change, caseId, childIds);
      if (open.length)
        throw new ConflictException(
          `${open.map((o) => `child ${o.childId} has s.47 enquiry ${o.id} open`).join('; ')}; conclude it before starting another`,
        );
      const ids: string[] = [];
      for (const childId of childIds) {
        const enquiryId = randomUUID();
        ids.push(enquiryId);
        await this.enquiries.insertEnquiry(change, {
          id: enquiryId,
          caseId,
          childId,
          strategyDiscussionId: input.strategyDiscussionId,
          startedOn: input.startedOn,
        });
        change.emit(EventTypes.section47Started, {
          caseId,
          childId,
          enquiryId,
          strategyDiscussionId: input.strategyDiscussionId,
          startedOn: input.startedOn,
        } satisfies Section47StartedV1);
      }
      return this.enquiries.enquiries(change, caseId, ids);
    });
  }

  async concludeSection47(caseId: string, enquiryId: string, input: ConcludeSection47Dto, actor: Actor): Promise<Section47EnquiryView> {
    assertNoFieldProblems([notFuture('concludedOn', input.concludedOn, this.today())]);
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change) => {
      const enquiry = await this.enquiries.lockEnquiry(change, caseId, enquiryId);
      if (!enquiry) throw new NotFoundException(`case ${caseId} has no s.47 enquiry ${enquiryId}`);
      if (enquiry.concludedOn)
        throw new ConflictException(
          `s.47 enquiry ${enquiryId} concluded on ${enquiry.concludedOn} (${enquiry.outcome}); it concludes once`,
        );
      assertNoFieldProblems([notBefore('concludedOn', input.concludedOn, enquiry.startedOn, 'the enquiry started')]);
      await this.enquiries.conclude(change, enquiryId, input.concludedOn, input.outcome);
      change.emit(EventTypes.section47Concluded, {
        caseId,
        childId: enquiry.childId,
        enquiryId,
        concludedOn: input.concludedOn,
        outcome: input.outcome,
      } satisfies Section47ConcludedV1);
      if (cancelsIcpc(input.outcome))
        await this.series.cancel(
          change,
          caseId,
          `the s.47 enquiry concluded on ${input.concludedOn} with ${input.outcome.replace(/-/g, ' ')}: no ICPC`,
          'icpc',
          enquiry.childId,
        );
      return (await this.enquiries.enquiries(change, caseId, [enquiryId]))[0];
    });
  }

  async discussions(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.enquiries.discussions(tx, caseId);
    });
  }

  async section47s(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.enquiries.enquiries(tx, caseId);
    });
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}
