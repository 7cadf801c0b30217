import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHILD_ORDERS, DRIFT_PROJECTION_REASONS, EXTENSION_REASONS, MILESTONE_KINDS, PROCEEDINGS_STAGES } from '@plo/contracts';
import { HearingView } from '../hearings/hearings.views';

const REQUESTED_AS = ['explicit-date', 'eight-weeks'];
const OBLIGATION_STATUSES = ['open', 'satisfied', 'cancelled'];

export class ChildClockView {
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'date', description: 'Last day of the 26 weeks beginning with the issue day' }) completionDate: string;
  @ApiProperty({ format: 'date', description: "HMCTS's display convention (submission + 26 weeks); informational" })
  hmctsDisplayDate: string;
}

export class ProceedingsIssuedView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) proceedingsId: string;
  @ApiProperty() court: string;
  @ApiProperty() courtCaseNumber: string;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ format: 'date' }) submittedOn: string;
  @ApiProperty({ type: [ChildClockView] }) children: ChildClockView[];
  @ApiProperty({ format: 'date', description: "The latest of the children's completion dates" }) caseCompletionDate: string;
  @ApiProperty({ enum: ['issued'] }) stage: string;
  @ApiProperty({ description: 'How the completion date was counted' }) explanation: string;
  @ApiProperty({ format: 'date', description: 'When no final hearing listed by then raises a warning' }) noFinalHearingWarningOn: string;
}

export class StageEnteredView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) proceedingsId: string;
  @ApiProperty({ enum: PROCEEDINGS_STAGES }) stage: string;
  @ApiProperty({ enum: PROCEEDINGS_STAGES }) previousStage: string;
  @ApiProperty({ format: 'date' }) enteredOn: string;
  @ApiProperty({ enum: PROCEEDINGS_STAGES, isArray: true, description: 'The stages that may follow' }) nextStages: readonly string[];
}

export class ExtensionGrantedView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) proceedingsId: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'uuid' }) extensionId: string;
  @ApiProperty({ format: 'date' }) grantedOn: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The hearing at which the court granted it, when given' }) hearingId?: string;
  @ApiProperty({ format: 'date' }) previousEndDate: string;
  @ApiProperty({ format: 'date' }) newEndDate: string;
  @ApiProperty({ format: 'date' }) hmctsDisplayDate: string;
  @ApiProperty({ format: 'date', description: 'The latest end date s.32(8) allowed' }) latestAllowedEndDate: string;
  @ApiProperty({ enum: REQUESTED_AS }) requestedAs: string;
  @ApiProperty({ enum: EXTENSION_REASONS }) reason: string;
  @ApiProperty() recordedBy: string;
  @ApiProperty({ format: 'date', description: "The latest of the children's completion dates after this extension" })
  caseCompletionDate: string;
  @ApiProperty() explanation: string;
}

export class ExtensionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'date' }) grantedOn: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) hearingId: string | null;
  @ApiProperty({ format: 'date' }) previousEndDate: string;
  @ApiProperty({ format: 'date' }) newEndDate: string;
  @ApiProperty({ format: 'date' }) latestAllowedEndDate: string;
  @ApiProperty({ enum: REQUESTED_AS }) requestedAs: string;
  @ApiProperty({ enum: EXTENSION_REASONS }) reason: string;
  @ApiProperty() recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class OrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ enum: CHILD_ORDERS }) order: string;
  @ApiProperty({ format: 'date' }) madeOn: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) endsOn: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) hearingId: string | null;
  @ApiProperty() recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class ChildView {
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'date', description: "The child's own issue date: day 1 of their 26 weeks" }) issuedOn: string;
  @ApiProperty({ format: 'date', description: 'Current (possibly extended) completion date' }) completionDate: string;
  @ApiProperty({ format: 'date', description: 'Completion date at issue, before any extension' }) originalCompletionDate: string;
  @ApiProperty({ format: 'date' }) hmctsDisplayDate: string;
  @ApiProperty({ format: 'uuid', description: "The obligation that stands for the child's completion date" }) obligationId: string;
  @ApiProperty({ enum: ['open', 'concluded'], description: "Whether the child's own proceedings go on" }) status: string;
  @ApiProperty({ enum: ['final-order', 'withdrawn', null], nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) concludedOn: string | null;
  @ApiProperty({ type: [ExtensionView] }) extensions: ExtensionView[];
  @ApiProperty({ type: [OrderView], description: 'Orders made for the child, earliest first' }) orders: OrderView[];
}

export class ProceedingsObligationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'hearing-bundle' }) kind: string;
  @ApiProperty() ruleId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) childId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) hearingId: string | null;
  @ApiProperty({ example: 'Court bundle before a hearing', description: 'The name of the rule that set the due date' }) title: string;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-03-27T16:00:00+00:00',
    description:
      'When its rule sets a time of day (the bundle by 16:00): that instant in London, with its offset; null: by the end of dueDate',
  })
  dueAt: string | null;
  @ApiProperty({ description: 'How the due date was counted' }) explanation: string;
  @ApiProperty({ enum: OBLIGATION_STATUSES }) status: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) satisfiedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) satisfiedBy: string | null;
}

export class DriftProjectionView {
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ enum: DRIFT_PROJECTION_REASONS }) reason: string;
  @ApiProperty({ format: 'date' }) completionDate: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) finalHearingDate: string | null;
  @ApiProperty({ format: 'date' }) detectedOn: string;
}

export class ProceedingsView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() court: string;
  @ApiProperty() courtCaseNumber: string;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ format: 'date' }) submittedOn: string;
  @ApiProperty({ enum: PROCEEDINGS_STAGES }) stage: string;
  @ApiProperty({ enum: PROCEEDINGS_STAGES, isArray: true }) nextStages: readonly string[];
  @ApiProperty({ format: 'date', nullable: true, type: String }) concludedOn: string | null;
  @ApiProperty({ format: 'date', description: "The latest of the children's completion dates" }) caseCompletionDate: string;
  @ApiProperty({ format: 'date' }) noFinalHearingWarningOn: string;
  @ApiProperty({ type: [ChildView] }) children: ChildView[];
  @ApiProperty({ type: [HearingView] }) hearings: HearingView[];
  @ApiProperty({ type: [ProceedingsObligationView] }) obligations: ProceedingsObligationView[];
  @ApiProperty({ type: [DriftProjectionView], description: 'Children projected to overrun their completion date, and why' })
  projectedDrift: DriftProjectionView[];
}

export class TimetableMilestoneView {
  @ApiProperty({ format: 'uuid', description: 'The hearing, obligation or child the milestone stands for' }) milestoneId: string;
  @ApiProperty({ enum: MILESTONE_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Hearings only' }) startsAt?: string;
  @ApiProperty({ description: "The hearing's or obligation's status; for a child's completion, open or concluded" }) status: string;
  @ApiPropertyOptional({ description: 'Deadlines only: how the date was counted' }) explanation?: string;
}

export class TimetableView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) proceedingsId: string;
  @ApiProperty() courtCaseNumber: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Grows with every change; keep the latest' }) version: number;
  @ApiProperty({ enum: PROCEEDINGS_STAGES }) stage: string;
  @ApiProperty({ format: 'date' }) caseCompletionDate: string;
  @ApiProperty({ type: [TimetableMilestoneView] }) milestones: TimetableMilestoneView[];
}

export class TaskDoneView {
  @ApiProperty({ format: 'uuid' }) obligationId: string;
  @ApiProperty({ example: 'hearing-bundle' }) kind: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) hearingId: string | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ enum: ['satisfied'] }) status: string;
  @ApiProperty({ format: 'date' }) satisfiedOn: string;
  @ApiProperty() satisfiedBy: string;
}

export class OrderMadeView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) proceedingsId: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ enum: CHILD_ORDERS }) order: string;
  @ApiProperty({ format: 'date' }) madeOn: string;
  @ApiPropertyOptional({ format: 'date' }) endsOn?: string;
  @ApiPropertyOptional({ format: 'uuid' }) hearingId?: string;
}

export class ChildJoinedView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) proceedingsId: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ format: 'date', description: 'Last day of the 26 weeks beginning with the child’s issue day' }) completionDate: string;
  @ApiProperty({ format: 'date' }) hmctsDisplayDate: string;
  @ApiProperty({ format: 'date', description: "The latest of the children's completion dates" }) caseCompletionDate: string;
  @ApiProperty({ description: 'How the completion date was counted' }) explanation: string;
}

export class ChildProceedingsConcludedView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) proceedingsId: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ enum: ['final-order', 'withdrawn'] }) outcome: string;
  @ApiProperty({ format: 'date' }) concludedOn: string;
  @ApiProperty({ format: 'date' }) completionDate: string;
  @ApiProperty() withinTimescale: boolean;
  @ApiPropertyOptional({ type: OrderMadeView, description: 'The final order, when one was given' }) finalOrder?: OrderMadeView;
  @ApiProperty({ enum: PROCEEDINGS_STAGES, description: 'The proceedings’ stage after this: they conclude with their last child' })
  stage: string;
}
