import { ApiProperty } from '@nestjs/swagger';
import { SIGN_OFF_SUBJECTS, SignOffSubject } from '@plo/contracts';
import { SMART_PARTS, SmartPart } from '../domain/standards';
import { PLAN_KINDS } from './plans.dto';

const OBLIGATION_STATUSES = ['open', 'satisfied', 'cancelled'] as const;

export class PlanActionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Its place in the plan, from 1' }) position: number;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, nullable: true }) ownerId: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) dueDate: string | null;
  @ApiProperty({ type: String, nullable: true }) measurableOutcome: string | null;
}

export class ActionNotSmartView {
  @ApiProperty({ format: 'uuid' }) actionId: string;
  @ApiProperty() position: number;
  @ApiProperty({ enum: SMART_PARTS, isArray: true, description: 'What the action lacks to be SMART' }) missing: SmartPart[];
}

export class PlanView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The child the plan is for; null for the whole case' })
  childId: string | null;
  @ApiProperty({ enum: PLAN_KINDS }) kind: (typeof PLAN_KINDS)[number];
  @ApiProperty({ format: 'date' }) agreedOn: string;
  @ApiProperty({ format: 'date' }) reviewDate: string;
  @ApiProperty({ format: 'uuid', description: 'The obligation to review the plan by reviewDate' }) reviewObligationId: string;
  @ApiProperty({ enum: OBLIGATION_STATUSES }) reviewObligationStatus: (typeof OBLIGATION_STATUSES)[number];
  @ApiProperty({ description: 'Goes up with every change of the plan; sent as the ETag' }) version: number;
  @ApiProperty({ type: [PlanActionView] }) actions: PlanActionView[];
  @ApiProperty({ description: 'The plan has actions and every one has an owner, a due date and a measurable outcome' }) smart: boolean;
  @ApiProperty({ type: [ActionNotSmartView] }) actionsNotSmart: ActionNotSmartView[];
}

export class UnmetStandardView {
  @ApiProperty({ example: 'visit-overdue' }) code: string;
  @ApiProperty({ example: 'visit 5b0c… was due 2026-11-02' }) detail: string;
}

export class SignOffView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SIGN_OFF_SUBJECTS }) subject: SignOffSubject;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({ description: 'The version of the plan or review that was signed off' }) subjectVersion: number;
  @ApiProperty() managerId: string;
  @ApiProperty({ format: 'date' }) signedOn: string;
  @ApiProperty({ description: 'Signed off although standards were unmet' }) exception: boolean;
  @ApiProperty({ type: String, nullable: true }) exceptionReason: string | null;
  @ApiProperty({ type: [UnmetStandardView], description: 'The standards the exception overrode' }) unmetStandards: UnmetStandardView[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The supervision that agreed what was signed off' })
  supervisionId: string | null;
}
