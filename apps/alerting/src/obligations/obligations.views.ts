import { ApiProperty } from '@nestjs/swagger';

/** An obligation as alerting last heard of it from the service that owns it. */
export class Obligation {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) childId: string | null;
  @ApiProperty({ example: 'proceedings-completion' }) kind: string;
  @ApiProperty({ example: 'proceedings-26-week-limit', description: 'The timescale rule that set the due date' }) ruleId: string;
  @ApiProperty({ format: 'date', example: '2026-09-01' }) dueDate: string;
  @ApiProperty({
    format: 'date-time',
    description: 'The instant it becomes overdue: the time of day its rule sets, else the end of its due day in London',
  })
  overdueAt: string;
  @ApiProperty() explanation: string;
  @ApiProperty({ example: 'north-1', description: "The case's team now, as alerting knows it from the cases service" })
  responsibleTeamId: string;
  @ApiProperty({ example: 'sw.alex', description: "The case's allocated worker now" }) responsibleWorkerId: string;
  @ApiProperty({ enum: ['open', 'satisfied', 'cancelled'] }) status: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) satisfiedOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it was cancelled' }) endedReason: string | null;
  @ApiProperty({ description: 'Recorded from history: it raises no alerts; drift it showed is kept as a historical alert' })
  historical: boolean;
}

/** An open obligation falling due soon, with the case's reference so a list can name the case. */
export class DueObligation extends Obligation {
  @ApiProperty({ example: 'BC-2026-0042' }) caseReference: string;
}

export class DueObligations {
  @ApiProperty({ type: [String], description: 'The team asked for, or every team of the caller' }) teams: string[];
  @ApiProperty({
    format: 'date',
    description: "Today in London: the first day of the window (what is already overdue is drift, not 'due')",
  })
  from: string;
  @ApiProperty({ format: 'date', description: 'The last day of the window' }) to: string;
  @ApiProperty({ type: 'integer', description: 'How many open obligations fall due in the window, beyond `limit` too' }) total: number;
  @ApiProperty({ type: [DueObligation], description: 'Soonest due first, at most `limit`' }) items: DueObligation[];
}
