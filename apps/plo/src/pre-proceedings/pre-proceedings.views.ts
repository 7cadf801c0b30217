import { ApiProperty } from '@nestjs/swagger';
import { PRE_PROCEEDINGS_DECISIONS, PRE_PROCEEDINGS_OUTCOMES } from '@plo/contracts';

export class PreProceedingsObligationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['pre-proceedings-limit', 'pre-proceedings-review'] }) kind: string;
  @ApiProperty() ruleId: string;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ description: 'How the due date was counted' }) explanation: string;
  @ApiProperty({ enum: ['open', 'satisfied', 'cancelled'] }) status: string;
}

export class PreProceedingsExtensionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date' }) decidedOn: string;
  @ApiProperty({ format: 'date' }) previousEndDate: string;
  @ApiProperty({ format: 'date' }) newEndDate: string;
  @ApiProperty({ description: 'Why the period runs longer than the guidance’s 16 weeks' }) reason: string;
  @ApiProperty() recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

/** Pre-proceedings as every pre-proceedings route answers them: `preProceedingsView` builds it. */
export class PreProceedingsView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'date', description: 'The legal gateway / planning meeting' }) decidedOn: string;
  @ApiProperty({ enum: PRE_PROCEEDINGS_DECISIONS }) decision: string;
  @ApiProperty({
    enum: ['open', 'issue-now', 'continue-plan', 'issued', 'stepped-down'],
    description: 'open while pre-proceedings run; otherwise the decision or outcome that ended them',
  })
  status: string;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Letter Before Proceedings; the 16 weeks run from it' })
  letterSentOn: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) meetingsHeld: number;
  @ApiProperty({ format: 'date', nullable: true, type: String }) lastMeetingOn: string | null;
  @ApiProperty({ enum: [...PRE_PROCEEDINGS_OUTCOMES, null], nullable: true, description: 'Set once they end' }) outcome: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) outcomeOn: string | null;
  @ApiProperty({ nullable: true, type: String }) outcomeReason: string | null;
  @ApiProperty() shortNotice: boolean;
  @ApiProperty({ nullable: true, type: String }) shortNoticeReason: string | null;
  @ApiProperty({ type: [PreProceedingsObligationView], description: 'The 16-week end and the review meetings due' })
  obligations: PreProceedingsObligationView[];
  @ApiProperty({ type: [PreProceedingsExtensionView], description: 'Extensions of the 16-week period (guidance), each with its reason' })
  extensions: PreProceedingsExtensionView[];
}
