import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CASES_OWNED_CHILD_STATUSES, CasesOwnedChildStatus, IsLegalDate, LOOKED_AFTER_BASES, LookedAfterBasis } from '@plo/contracts';
import { PlacementDto } from '../case-record/case-record.dto';

export class StartChildStatusDto {
  @ApiProperty({
    enum: CASES_OWNED_CHILD_STATUSES,
    description: 'Pre-proceedings and care proceedings are not recorded here: they follow the PLO service',
  })
  @IsIn(CASES_OWNED_CHILD_STATUSES)
  status: CasesOwnedChildStatus;
  @ApiPropertyOptional({
    enum: LOOKED_AFTER_BASES,
    description:
      'Required for looked-after, refused otherwise. A looked-after child given another basis changes basis: the period (reg 28 visits, reg 33 reviews) runs on',
  })
  @IsOptional()
  @IsIn(LOOKED_AFTER_BASES)
  basis?: LookedAfterBasis;
  @ApiProperty({ example: '2026-11-20', description: 'May be in the past; not in the future' }) @IsLegalDate() startDate: string;
  @ApiPropertyOptional({ type: PlacementDto, description: "For a child becoming looked after: the child's placement" })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlacementDto)
  placement?: PlacementDto;
}

export class EndChildStatusDto {
  @ApiProperty({ example: '2026-12-01', description: 'The last day of the status; not before it began, not in the future' })
  @IsLegalDate()
  endDate: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
