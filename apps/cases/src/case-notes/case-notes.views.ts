import { ApiProperty } from '@nestjs/swagger';

export class CaseNoteVersionView {
  @ApiProperty({ minimum: 1, description: '1 for the note as first recorded, then one more per amendment' }) version: number;
  @ApiProperty() text: string;
  @ApiProperty() significant: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was amended; null on the first version' }) reason: string | null;
  @ApiProperty() authorId: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class CaseNoteView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: [String], format: 'uuid' }) childIds: string[];
  @ApiProperty({ format: 'date' }) occurredOn: string;
  @ApiProperty({ description: 'As the latest version says' }) significant: boolean;
  @ApiProperty({ description: 'The latest version' }) text: string;
  @ApiProperty({
    type: [CaseNoteVersionView],
    description: 'Every version, oldest first: an amendment never hides what was written before',
  })
  versions: CaseNoteVersionView[];
}
