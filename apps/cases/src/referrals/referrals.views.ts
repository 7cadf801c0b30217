import { ApiProperty } from '@nestjs/swagger';
import { REFERRAL_KINDS, ReferralKind } from '@plo/contracts';
import { RatioView } from '@plo/platform';
import { REFERRAL_OUTCOMES } from './referrals.dto';

export class ReferralView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REFERRAL_KINDS }) kind: ReferralKind;
  @ApiProperty({ format: 'date' }) receivedOn: string;
  @ApiProperty({ type: String, nullable: true, example: 'school' }) source: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Null until decided' }) decidedOn: string | null;
  @ApiProperty({ enum: REFERRAL_OUTCOMES, nullable: true }) outcome: (typeof REFERRAL_OUTCOMES)[number] | null;
  @ApiProperty({ description: 'A repeat referral for at least one of its children (see repeatFor)' }) repeat: boolean;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The children it is about' }) childIds: string[];
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description:
      "The children for whom it is a repeat referral: another referral about them was received in the 12 months before, on this case or on another of the council's cases (matched by personId)",
  })
  repeatFor: string[];
  @ApiProperty({ format: 'uuid', description: 'The obligation to decide it (1 working day, referral-decision)' }) obligationId: string;
  @ApiProperty({ format: 'date' }) decisionDueDate: string;
  @ApiProperty({ description: 'How the decision due date was computed, citing the rule' }) explanation: string;
}

export class DefinedRatioView extends RatioView {
  @ApiProperty({ description: 'What is counted, and the source of the measure' }) definition: string;
}

export class TeamRatioView extends RatioView {
  @ApiProperty({ example: 'north-1' }) teamId: string;
}

export class WorkerRatioView extends RatioView {
  @ApiProperty({ example: 'sw.alex' }) workerId: string;
}

export class SupervisionKpiView extends DefinedRatioView {
  @ApiProperty({ type: [TeamRatioView] }) byTeam: TeamRatioView[];
  @ApiProperty({ type: [WorkerRatioView] }) byWorker: WorkerRatioView[];
}

export class KpiReportView {
  @ApiProperty({ example: 'bury' }) councilId: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for the whole council' }) teamId: string | null;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date', description: 'The reporting date' }) to: string;
  @ApiProperty({ type: RatioView }) contactsDecidedWithin1WorkingDay: RatioView;
  @ApiProperty({ type: RatioView }) referralsProgressedWithin2WorkingDays: RatioView;
  @ApiProperty({ type: RatioView }) repeatReferrals: RatioView;
  @ApiProperty({ type: RatioView }) childrenInNeedSeenInLast6Weeks: RatioView;
  @ApiProperty({ type: RatioView }) lookedAfterChildrenSeenInLast6Weeks: RatioView;
  @ApiProperty({ type: RatioView }) icpcsResultingInPlan: RatioView;
  @ApiProperty({ type: DefinedRatioView }) assessmentsCompletedWithin45WorkingDays: DefinedRatioView;
  @ApiProperty({
    type: RatioView,
    description: "Children's s.47 enquiries concluded in the period whose outcome was an ICPC, of all concluded in the period",
  })
  section47sLeadingToIcpc: RatioView;
  @ApiProperty({
    type: RatioView,
    description:
      'Children conferenced at an ICPC held in the period whose ICPC was held by its due date: 15 working days after the last strategy discussion (rule icpc)',
  })
  icpcsWithin15WorkingDaysOfStrategyDiscussion: RatioView;
  @ApiProperty({ type: SupervisionKpiView, description: "Supervision within the council's cadence, per team and per worker" })
  supervisionWithinCadence: SupervisionKpiView;
}
