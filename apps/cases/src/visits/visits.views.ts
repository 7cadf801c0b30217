import { ApiProperty } from '@nestjs/swagger';
import { CaseRecordView } from '../case-record/case-record.view';
import { VISIT_PURPOSES, VISIT_TYPES, VisitType } from '../domain/visit-rules';

export class VisitView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The child visited, when one was named' }) childId:
    string | null;
  @ApiProperty({ format: 'date' }) visitedOn: string;
  @ApiProperty({ enum: VISIT_TYPES }) visitType: VisitType;
  @ApiProperty() visitorId: string;
  @ApiProperty() childSeen: boolean;
  @ApiProperty() seenAlone: boolean;
  @ApiProperty() bedroomSeen: boolean;
  @ApiProperty({ enum: VISIT_PURPOSES }) purpose: (typeof VISIT_PURPOSES)[number];
  @ApiProperty({ type: String, nullable: true }) purposeDetail: string | null;
  @ApiProperty({ description: 'Whether it met the statutory visit' }) countsAsStatutory: boolean;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The children seen' }) childrenSeen: string[];
}

/** The case after a visit, with what the visit counted for. */
export class CaseWithVisitView extends CaseRecordView {
  @ApiProperty({ format: 'uuid' }) visitId: string;
  @ApiProperty({ description: 'Whether it met the statutory visit (and so scheduled the next)' }) countsAsStatutory: boolean;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The children seen: only their visit obligations were met' })
  childrenSeen: string[];
}
