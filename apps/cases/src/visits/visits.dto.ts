import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsLegalDate } from '@plo/contracts';
import { VISIT_PURPOSES, VISIT_TYPES, VisitType } from '../domain/visit-rules';

export class RecordVisitDto {
  @ApiProperty({ example: '2026-11-20', description: 'When the visit happened: late entry is normal, the future is refused' })
  @IsLegalDate()
  visitedOn: string;
  @ApiProperty({ enum: VISIT_TYPES, description: "Which types count as the statutory visit depends on the child's legal status" })
  @IsIn(VISIT_TYPES)
  visitType: VisitType;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) visitorId: string;
  @ApiPropertyOptional({ description: 'The child visited, for a case with siblings' }) @IsOptional() @IsUUID() childId?: string;
  @ApiProperty({ description: 'Only a visit where a child was seen meets the statutory visit' }) @IsBoolean() childSeen: boolean;
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description:
      'The children seen (siblings may be seen on one visit); only their visit obligations are met. Default when childSeen: the child named by childId, else every child on the case',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  childrenSeen?: string[];
  @ApiProperty() @IsBoolean() seenAlone: boolean;
  @ApiProperty() @IsBoolean() bedroomSeen: boolean;
  @ApiProperty({ enum: VISIT_PURPOSES, description: 'Required: the peer review found visit purposes unclear' })
  @IsIn(VISIT_PURPOSES)
  purpose: (typeof VISIT_PURPOSES)[number];
  @ApiPropertyOptional({ description: "Free text; required when purpose is 'other'" })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  purposeDetail?: string;
}
