import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { IsLegalDate } from '@plo/contracts';

export const PLAN_KINDS = ['child-in-need', 'child-protection', 'care', 'pathway'] as const;

/** Owner, due date and measurable outcome are optional here so that a plan that is not yet SMART can be saved and shown as such. */
export class PlanActionDto {
  @ApiProperty({ example: 'Mother attends the parenting programme' }) @IsString() @IsNotEmpty() @MaxLength(1000) description: string;
  @ApiPropertyOptional({ example: 'sw.alex', description: 'Who is responsible' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  ownerId?: string;
  @ApiPropertyOptional({ example: '2026-12-18' }) @IsOptional() @IsLegalDate() dueDate?: string;
  @ApiPropertyOptional({ example: 'Attends 8 of 10 sessions; facilitator report received' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  measurableOutcome?: string;
}

export class CreatePlanDto {
  @ApiProperty({ enum: PLAN_KINDS }) @IsIn(PLAN_KINDS) kind: (typeof PLAN_KINDS)[number];
  @ApiPropertyOptional({ description: 'The child the plan is for, for a case with siblings' }) @IsOptional() @IsUUID() childId?: string;
  @ApiProperty({ example: '2026-11-20' }) @IsLegalDate() agreedOn: string;
  @ApiProperty({ example: '2027-02-12', description: 'When the plan must next be reviewed: an obligation with this due date' })
  @IsLegalDate()
  reviewDate: string;
  @ApiProperty({ type: [PlanActionDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanActionDto)
  actions: PlanActionDto[];
}

export class UpdatePlanDto {
  @ApiPropertyOptional({
    example: '2027-02-10',
    description: 'When the plan was reviewed: meets the current review obligation; reviewDate then sets the next one',
  })
  @IsOptional()
  @IsLegalDate()
  reviewedOn?: string;
  @ApiProperty({ example: '2027-05-10' }) @IsLegalDate() reviewDate: string;
  @ApiProperty({ type: [PlanActionDto], description: 'The full list of actions (replaces the previous list)' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanActionDto)
  actions: PlanActionDto[];
}

export class SignOffDto {
  @ApiPropertyOptional({
    description:
      'Sign off although standards are unmet, recording why (an exception). Without it, a sign-off while standards are unmet is refused with 409 listing them.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  exceptionReason?: string;
  @ApiProperty({
    format: 'uuid',
    description:
      'The supervision of this case that agreed what is signed off: every sign-off names one (missing: 400; a supervision of another case: 422)',
  })
  @IsUUID()
  supervisionId: string;
}
