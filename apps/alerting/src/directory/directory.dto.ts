import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class TeamDirectoryDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'sm.jo' }) @IsString() @IsNotEmpty() @MaxLength(200) serviceManagerId: string;
}

export class PersonDto {
  @ApiProperty({ format: 'email', example: 'tm.sam@example.org' }) @IsEmail() email: string;
  @ApiPropertyOptional({ maxLength: 200, example: 'Sam Taylor' }) @IsOptional() @IsString() @MaxLength(200) displayName?: string;
}
