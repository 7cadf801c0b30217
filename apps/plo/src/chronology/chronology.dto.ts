import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ChronologyQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() caseId: string;
}
