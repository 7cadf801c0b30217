import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class DueObligationsQuery {
  @ApiPropertyOptional({ maxLength: 64, example: 'north-1', description: "Only this team's cases; without it, every case you may see" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  teamId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 31, default: 7, description: 'Due from today through this many days ahead' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(31)
  days?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
