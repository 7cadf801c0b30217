import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SSD_TABLE_NAMES } from './ssd-tables';

export class SsdImportDto {
  @ApiProperty({
    description: `The extract's tables as CSV text, keyed by table name (${SSD_TABLE_NAMES.join(', ')}); ssd_person is required, the rest optional. Columns beyond those read are ignored.`,
    example: { ssd_person: 'pers_person_id,pers_forename,pers_surname,pers_sex,pers_dob\nP001,Amy,Holt,F,2015-03-02\n' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsObject()
  tables: Record<string, string>;

  @ApiPropertyOptional({ description: "Put before each family id to make the case reference (e.g. 'SSD-')", example: 'SSD-' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Matches(/^[A-Za-z0-9._-]*$/)
  caseReferencePrefix?: string;
}
