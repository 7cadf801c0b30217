import { ApiProperty } from '@nestjs/swagger';

export const CHRONOLOGY_SOURCES = ['cases', 'plo', 'alerting'] as const;
export const SIGNIFICANCES = ['significant', 'routine', 'timescale missed'] as const;

export class ChronologyEntryView {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ example: 'Looked after started (interim care order)' }) event: string;
  @ApiProperty({
    enum: CHRONOLOGY_SOURCES,
    description:
      'The service that owns the fact: plo for legal involvement, court orders, hearings, extensions and conclusions; alerting for timescales missed',
  })
  source: (typeof CHRONOLOGY_SOURCES)[number];
  @ApiProperty({ enum: SIGNIFICANCES }) significance: (typeof SIGNIFICANCES)[number];
  @ApiProperty({ example: 'child-status', description: 'The kind of record the entry comes from' }) recordType: string;
  @ApiProperty({ format: 'uuid' }) recordId: string;
}

export class ChronologyView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() caseReference: string;
  @ApiProperty({ format: 'uuid' }) childId: string;
  @ApiProperty({ example: 'Ana Sibling' }) childName: string;
  @ApiProperty({ type: [ChronologyEntryView], description: 'Oldest first' }) entries: ChronologyEntryView[];
}
