import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsLegalDate, REFERRAL_KINDS, ReferralKind } from '@plo/contracts';
import { IDENTIFIER, SomeChildIds } from '../case/http';

export const REFERRAL_OUTCOMES = [
  'no-further-action',
  'information-and-advice',
  'early-help',
  'referral',
  'assessment',
  'strategy-discussion',
] as const;

export class RecordReferralDto {
  @ApiProperty({
    enum: REFERRAL_KINDS,
    description:
      "Either way the decision is due in 1 working day (Working Together 2023); a referral is also measured against the council's local 'progressed within 2 working days' KPI",
  })
  @IsIn(REFERRAL_KINDS)
  kind: ReferralKind;
  @SomeChildIds('The children it is about, all on this case; default: every child of the case')
  childIds?: string[];
  @ApiProperty({ example: '2026-11-02' }) @IsLegalDate() receivedOn: string;
  @ApiPropertyOptional({ example: 'school' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) source?: string;
  @ApiPropertyOptional({ description: 'When entered late with its decision already made; needs outcome too' })
  @IsOptional()
  @IsLegalDate()
  decidedOn?: string;
  @ApiPropertyOptional({ enum: REFERRAL_OUTCOMES }) @IsOptional() @IsIn(REFERRAL_OUTCOMES) outcome?: (typeof REFERRAL_OUTCOMES)[number];
}

export class DecideReferralDto {
  @ApiProperty({ example: '2026-11-03' }) @IsLegalDate() decidedOn: string;
  @ApiProperty({ enum: REFERRAL_OUTCOMES }) @IsIn(REFERRAL_OUTCOMES) outcome: (typeof REFERRAL_OUTCOMES)[number];
}

export class KpiQuery {
  @ApiProperty() @Matches(IDENTIFIER) @MaxLength(64) councilId: string;
  @ApiPropertyOptional() @IsOptional() @Matches(IDENTIFIER) @MaxLength(64) teamId?: string;
  @ApiProperty({ example: '2026-10-01', description: 'First day of the reporting period' }) @IsLegalDate() from: string;
  @ApiPropertyOptional({
    example: '2026-10-31',
    description: 'Last day of the reporting period and the reporting date for "seen in the last 6 weeks"; defaults to today',
  })
  @IsOptional()
  @IsLegalDate()
  to?: string;
}
