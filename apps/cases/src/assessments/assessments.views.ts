import { ApiProperty } from '@nestjs/swagger';
import { ASSESSMENT_OUTCOMES, AssessmentOutcome } from '@plo/contracts';

export const ASSESSMENT_STATES = ['in-progress', 'completed', 'cancelled'] as const;

export class AssessmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The child assessed: one assessment per child' }) childId: string;
  @ApiProperty({ format: 'uuid' }) referralId: string;
  @ApiProperty({ format: 'date', description: 'When the referral was received: the 45 working days count from it' })
  referralReceivedOn: string;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty({ enum: ASSESSMENT_STATES }) state: (typeof ASSESSMENT_STATES)[number];
  @ApiProperty({
    format: 'date',
    description: "Due at the council's local target (assessment-local-target), never later than 45 working days from the referral",
  })
  dueDate: string;
  @ApiProperty({ description: 'How the due date was computed, citing the rule' }) explanation: string;
  @ApiProperty({ format: 'uuid', description: 'The assessment obligation on the case' }) obligationId: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) completedOn: string | null;
  @ApiProperty({ enum: ASSESSMENT_OUTCOMES, nullable: true }) outcome: AssessmentOutcome | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Completed by its due date; null until completed' }) onTime: boolean | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) cancelledOn: string | null;
  @ApiProperty({ type: String, nullable: true }) cancellationReason: string | null;
}
