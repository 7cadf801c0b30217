import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsLegalDate } from '@plo/contracts';

export class IssueProceedingsDto {
  @ApiProperty() @IsUUID() caseId: string;
  @ApiProperty({ example: 'Manchester Family Court' }) @IsString() @IsNotEmpty() @MaxLength(200) court: string;
  @ApiProperty({ example: 'MA26C00123' }) @Matches(/^[A-Za-z0-9/-]+$/) @MaxLength(64) courtCaseNumber: string;
  @ApiProperty({ example: '2026-11-02', description: 'Day 1 of the 26 weeks' }) @IsLegalDate() issuedOn: string;
  @ApiProperty({ example: '2026-10-30', description: "The council's submission date (HMCTS counts its display date from it)" })
  @IsLegalDate()
  submittedOn: string;
  @ApiProperty({ type: [String], description: 'The children the application concerns; each gets its own clock' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  childIds: string[];
}
