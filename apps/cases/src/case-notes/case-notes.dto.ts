import { SomeChildIds } from '../case/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsLegalDate } from '@plo/contracts';

/** Long enough for a full record of a visit or meeting; anything longer is a document, not a note. */
export const NOTE_MAX_LENGTH = 20_000;

export class AddCaseNoteDto {
  @SomeChildIds('The children the note is about, all on this case; default: every child of the case')
  childIds?: string[];
  @ApiProperty({ maxLength: NOTE_MAX_LENGTH }) @IsString() @IsNotEmpty() @MaxLength(NOTE_MAX_LENGTH) text: string;
  @ApiProperty({ description: "A significant note appears in the children's chronologies" }) @IsBoolean() significant: boolean;
  @ApiPropertyOptional({ example: '2026-11-20', description: 'When what it records happened; default today; the future is refused' })
  @IsOptional()
  @IsLegalDate()
  occurredOn?: string;
}

export class AmendCaseNoteDto {
  @ApiProperty({ maxLength: NOTE_MAX_LENGTH, description: 'The whole text of the new version' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX_LENGTH)
  text: string;
  @ApiPropertyOptional({ description: 'Default: as the version amended' }) @IsOptional() @IsBoolean() significant?: boolean;
  @ApiProperty({ maxLength: 2000, description: 'Why the note is amended' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}
