import { ApiProperty } from '@nestjs/swagger';
import { HEARING_TYPES } from '@plo/contracts';

/** What the PLO service records happening to a case, each a line of its chronology; in the order they follow one another on a day. */
export const PLO_CHRONOLOGY_EVENTS = [
  'gateway-decision',
  'letter-before-proceedings',
  'pre-proceedings-meeting',
  'pre-proceedings-extended',
  'pre-proceedings-ended',
  'proceedings-issued',
  'child-joined-proceedings',
  'stage-entered',
  'hearing-listed',
  'hearing-moved',
  'hearing-vacated',
  'hearing-adjourned',
  'hearing-held',
  'draft-order-uploaded',
  'extension-granted',
  'order-made',
  'child-proceedings-concluded',
] as const;
export type PloChronologyEvent = (typeof PLO_CHRONOLOGY_EVENTS)[number];

export class PloChronologyEntryView {
  @ApiProperty({
    format: 'date',
    description:
      'The day it happened: a decision, letter, meeting, stage, order or conclusion on its own date; a hearing held or adjourned on its day; a hearing listed, moved or vacated on the day that was recorded',
  })
  date: string;
  @ApiProperty({ enum: PLO_CHRONOLOGY_EVENTS }) event: PloChronologyEvent;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'What: the gateway decision, the pre-proceedings outcome, the stage entered, the order made, the child’s outcome, the court case number at issue, or for a pre-proceedings meeting how many had been held by then',
  })
  detail: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why, when a reason was recorded (an extension, a step down, a short-notice issue)',
  })
  reason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The child it concerns; null for the whole case' })
  childId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) preProceedingsId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) proceedingsId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) hearingId: string | null;
  @ApiProperty({ enum: [...HEARING_TYPES, null], nullable: true, type: String }) hearingType: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'hearing-moved: the date it moved from; an extension: the end it extended',
  })
  fromDate: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description:
      "A hearing event: the hearing's date (after a move, the new one); an extension: the new end; an interim order: when it ends",
  })
  toDate: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      "When it was recorded, where that is kept; null otherwise (a pre-proceedings letter, meeting or outcome, a child's conclusion, a draft order, and hearings recorded before their history was kept: those appear once, at their date, in their current state)",
  })
  recordedAt: string | null;
}
