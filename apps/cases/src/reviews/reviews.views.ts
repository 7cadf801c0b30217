import { ApiProperty } from '@nestjs/swagger';
import { REVIEW_KINDS, ReviewKind } from '@plo/contracts';
import { ALL_REVIEW_OUTCOMES } from '../domain/review-rules';

const REVIEW_STATUSES = ['scheduled', 'held', 'cancelled'] as const;

export class ReviewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: ReviewKind;
  @ApiProperty({ description: 'Its position in its series, from 1' }) sequence: number;
  @ApiProperty({ format: 'date', description: 'The date the due date counts from' }) anchorDate: string;
  @ApiProperty({ format: 'date', description: 'Set by the timescale rule; rescheduling does not move it' }) dueDate: string;
  @ApiProperty({ example: 'icpc', description: 'The timescale rule the due date was computed by' }) ruleId: string;
  @ApiProperty({ description: 'How the due date was computed, citing the rule' }) explanation: string;
  @ApiProperty({ format: 'uuid', description: 'The obligation to hold it by the due date' }) obligationId: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) plannedOn: string | null;
  @ApiProperty({ type: String, nullable: true }) rescheduleReason: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) heldOn: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Held after its due date; null until held' }) heldLate: boolean | null;
  @ApiProperty({ enum: ALL_REVIEW_OUTCOMES, nullable: true }) outcome: string | null;
  @ApiProperty({ type: String, nullable: true }) outcomeNotes: string | null;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: (typeof REVIEW_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true }) cancellationReason: string | null;
  @ApiProperty({ description: 'Goes up with every change of the review; sent as the ETag' }) version: number;
}
