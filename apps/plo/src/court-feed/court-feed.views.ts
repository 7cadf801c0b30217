import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HearingView } from '../hearings/hearings.views';

const OUTCOMES = ['applied', 'no-change', 'duplicate', 'stale', 'rejected'];

/** What became of one court update: `CourtOutcome`, one shape for all its variants. */
export class CourtUpdateOutcomeView {
  @ApiProperty({
    enum: OUTCOMES,
    description:
      'applied: the hearing changed; no-change: nothing to change; duplicate: this update was already applied; ' +
      'stale: a later update was already applied; rejected (retry only): it could not be applied and stays an exception',
  })
  outcome: string;
  @ApiPropertyOptional({ type: HearingView, description: 'applied: the hearing as it now stands' })
  hearing?: HearingView;
  @ApiPropertyOptional({ description: 'no-change, duplicate, stale: why nothing changed' }) note?: string;
  @ApiPropertyOptional({ description: 'rejected: why it could not be applied' }) reason?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'rejected: the exception it is listed as' }) exceptionId?: number;
  @ApiPropertyOptional({ description: 'rejected: the update itself is malformed (the sender must fix it)' }) malformed?: boolean;
}

export class CsvRowProblemView {
  @ApiProperty({ type: 'integer', description: 'Data row number (1 is the first row after the header)' }) row: number;
  @ApiProperty({ type: 'integer', description: 'Line of the file the row ends on' }) line: number;
  @ApiProperty({ enum: ['rejected', 'duplicate', 'stale'] }) outcome: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'The exception a rejected row is listed as, when it reached the court logic' })
  exceptionId?: number;
}

export class CsvOutcomeCountsView {
  @ApiProperty({ type: 'integer' }) applied: number;
  @ApiProperty({ type: 'integer', name: 'no-change' }) noChange: number;
  @ApiProperty({ type: 'integer' }) duplicate: number;
  @ApiProperty({ type: 'integer' }) stale: number;
  @ApiProperty({ type: 'integer' }) rejected: number;
}

export class CsvImportView {
  @ApiProperty({ type: Boolean, description: 'Always true here: a file that is not valid CSV is a 400' }) valid: boolean;
  @ApiProperty({ type: 'integer', description: 'Data rows read' }) rows: number;
  @ApiProperty({ type: CsvOutcomeCountsView, description: 'How many rows had each outcome' }) counts: CsvOutcomeCountsView;
  @ApiProperty({ type: [CsvRowProblemView], description: 'Every row that was not applied, with its reason' })
  problems: CsvRowProblemView[];
}

/** A court update that could not be applied, on the exceptions list: `exceptionView` builds it. */
export class CourtUpdateExceptionView {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty({ nullable: true, type: String, description: 'The update identity (null when the update was malformed)' })
  updateId: string | null;
  @ApiProperty({ enum: ['kafka', 'http', 'csv'] }) source: string;
  @ApiProperty({ nullable: true, type: String }) courtCaseNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) courtHearingId: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'The update as received (text)' }) payload: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) resolvedBy: string | null;
  @ApiProperty({ nullable: true, type: String, description: "'reapplied' or 'dismissed: <note>'" }) resolution: string | null;
}

export class CourtUpdateRetryView {
  @ApiProperty({ type: CourtUpdateOutcomeView }) result: CourtUpdateOutcomeView;
  @ApiProperty({ type: CourtUpdateExceptionView, description: 'The exception afterwards: resolved if the update applied' })
  exception: CourtUpdateExceptionView;
}
