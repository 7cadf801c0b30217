import { ApiProperty } from '@nestjs/swagger';
import { SECTION_47_OUTCOMES, Section47Outcome, STRATEGY_DECISIONS, StrategyDecision } from '@plo/contracts';
import { ParticipantDto } from './enquiries.dto';

export class IcpcDueView {
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'uuid', description: 'The ICPC, a review of kind icpc: hold it through the review routes' }) reviewId: string;
  @ApiProperty({ format: 'date', description: '15 working days after the last strategy discussion (rule icpc)' }) dueDate: string;
  @ApiProperty({ description: 'This discussion moved the due date of an ICPC already waiting' }) moved: boolean;
}

export class StrategyDiscussionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) childIds: string[];
  @ApiProperty({ format: 'date' }) heldOn: string;
  @ApiProperty({ type: [ParticipantDto] }) participants: ParticipantDto[];
  @ApiProperty({ enum: STRATEGY_DECISIONS }) decision: StrategyDecision;
  @ApiProperty() recordedBy: string;
}

export class RecordedStrategyDiscussionView extends StrategyDiscussionView {
  @ApiProperty({ type: [IcpcDueView], description: 'For a section-47 decision: each child’s ICPC, scheduled or moved' })
  icpcs: IcpcDueView[];
}

export class Section47EnquiryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ format: 'uuid' }) strategyDiscussionId: string;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) concludedOn: string | null;
  @ApiProperty({ enum: SECTION_47_OUTCOMES, nullable: true }) outcome: Section47Outcome | null;
}
