import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { IsLegalDate } from '@plo/contracts';
import { IDENTIFIER } from '@plo/platform';

export class PloKpiQuery {
  @ApiPropertyOptional({ example: 'bury', description: "Defaults to the caller's council; any other answers 404" })
  @IsOptional()
  @Matches(IDENTIFIER)
  @MaxLength(64)
  councilId?: string;
  @ApiPropertyOptional({ description: "A team's cases only (by the case's team); a team manager must name one of their teams" })
  @IsOptional()
  @Matches(IDENTIFIER)
  @MaxLength(64)
  teamId?: string;
  @ApiProperty({ example: '2026-10-01', description: 'First day of the reporting period' }) @IsLegalDate() from: string;
  @ApiPropertyOptional({
    example: '2026-12-31',
    description: 'Last day of the reporting period, and the reporting date for the open proceedings; defaults to today',
  })
  @IsOptional()
  @IsLegalDate()
  to?: string;
}
