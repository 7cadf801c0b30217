import { ApiProperty } from '@nestjs/swagger';
import { ALERT_RESOLUTIONS, ALERT_SEVERITIES, type AlertResolution, type AlertSeverity } from '@plo/contracts';
import type { AlertState } from '../domain/lifecycle';

const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;

/** What generated clients see of an alert (the shape `alertView` builds). */
export class Alert {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() councilId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The obligation the alert is about; null for a projection' })
  obligationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) childId: string | null;
  @ApiProperty({ example: 'proceedings-completion' }) kind: string;
  @ApiProperty({ example: 'drift', description: '`drift`, `projected-drift` or a warning level such as `warning-6-weeks`' }) level: string;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity: AlertSeverity;
  @ApiProperty({ format: 'date', example: '2026-09-01' }) dueDate: string;
  @ApiProperty() explanation: string;
  @ApiProperty({ enum: ALERT_STATES }) state: AlertState;
  @ApiProperty({ example: 'north-1' }) teamId: string;
  @ApiProperty({ example: 'sw.alex' }) workerId: string;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2,
    description: '0 the allocated worker, 1 the team manager, 2 the service manager',
  })
  escalationStep: number;
  @ApiProperty({ nullable: true, type: String, description: 'Who the alert is with now' }) recipientId: string | null;
  @ApiProperty({ format: 'date-time' }) raisedAt: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When it goes up the escalation ladder if nobody acknowledges it',
  })
  escalatesAt: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgementNote: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({ enum: [...ALERT_RESOLUTIONS, null], nullable: true }) resolution: AlertResolution | null;
  @ApiProperty({ nullable: true, type: String }) resolvedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) resolutionReason: string | null;
  @ApiProperty({ type: 'integer', description: 'Also the ETag: send it as If-Match to acknowledge or resolve' }) version: number;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: '1 for the first alert of its subject, level and due date; a drift that is cleared and comes back is the next episode',
  })
  episode: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "The previous episode's alert, when this one is a recurrence" })
  previousAlertId: string | null;
  @ApiProperty({
    description: 'Recorded from history (an import, a fact entered late): resolved when recorded, never delivered, not in the dashboard',
  })
  historical: boolean;
}

export class AlertPage {
  @ApiProperty({ type: [String], description: 'The team asked for, or every team of the caller' }) teams: string[];
  @ApiProperty({ type: [Alert] }) items: Alert[];
  @ApiProperty({ nullable: true, type: String, description: 'Send as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

export class CountsBySeverity {
  @ApiProperty({ type: 'integer' }) critical: number;
  @ApiProperty({ type: 'integer' }) high: number;
  @ApiProperty({ type: 'integer' }) warning: number;
}

export class OpenEscalations {
  @ApiProperty({ type: 'integer' }) teamManager: number;
  @ApiProperty({ type: 'integer' }) serviceManager: number;
}

class DriftByAge {
  @ApiProperty({ type: 'integer', description: 'Due at most 7 days ago' }) upTo1Week: number;
  @ApiProperty({ type: 'integer', description: 'Due 8 to 28 days ago' }) upTo4Weeks: number;
  @ApiProperty({ type: 'integer', description: 'Due 29 to 84 days ago' }) upTo12Weeks: number;
  @ApiProperty({ type: 'integer', description: 'Due more than 84 days ago' }) over12Weeks: number;
}

export class AlertDashboard {
  @ApiProperty({ type: [String], description: 'The team asked for, or every team of the caller' }) teams: string[];
  @ApiProperty({ type: 'integer', description: 'Open or acknowledged' }) active: number;
  @ApiProperty({ type: 'integer' }) open: number;
  @ApiProperty({ type: 'integer' }) acknowledged: number;
  @ApiProperty({ type: CountsBySeverity, description: 'Active alerts by severity' }) bySeverity: CountsBySeverity;
  @ApiProperty({ type: OpenEscalations, description: 'Open alerts escalated to each manager' }) escalated: OpenEscalations;
  @ApiProperty({ type: 'integer', description: 'Alerts resolved because the obligation was met after its due date' }) metLate: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { 'proceedings-completion': 2, visit: 5 },
    description: 'Active alerts by obligation kind',
  })
  byKind: Record<string, number>;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) oldestOpenRaisedAt: string | null;
  @ApiProperty({ type: DriftByAge, description: "Active drift by how long ago its due date was (London's today)" }) driftByAge: DriftByAge;
}

/** One team's active alerts, for ranking teams against each other. */
export class TeamAlertSummary {
  @ApiProperty({ example: 'north-1' }) teamId: string;
  @ApiProperty({ type: 'integer', description: 'Open or acknowledged' }) active: number;
  @ApiProperty({ type: 'integer' }) open: number;
  @ApiProperty({ type: 'integer' }) acknowledged: number;
  @ApiProperty({ type: 'integer', description: 'Active alerts at level `drift`: an obligation past its due date' }) drift: number;
  @ApiProperty({ type: 'integer', description: 'Active alerts at level `projected-drift`' }) projectedDrift: number;
  @ApiProperty({ type: 'integer', description: 'Active warnings ahead of a due date' }) warnings: number;
  @ApiProperty({ type: CountsBySeverity, description: 'Active alerts by severity' }) bySeverity: CountsBySeverity;
  @ApiProperty({ type: OpenEscalations, description: 'Open alerts escalated to each manager' }) escalated: OpenEscalations;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the oldest active drift was raised' })
  oldestDriftRaisedAt: string | null;
}

const TRANSITIONS = ['raised', 'acknowledged', 'escalated', 'resolved', 'reassigned'] as const;

export class AlertTransition {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: TRANSITIONS }) transition: string;
  @ApiProperty({ enum: [...ALERT_STATES, null], nullable: true }) fromState: string | null;
  @ApiProperty({ enum: ALERT_STATES }) toState: string;
  @ApiProperty({ example: 'user:tm.sam', description: '`kind:id` of who made the transition' }) actor: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the transition recorded, e.g. the new recipient' })
  detail: unknown;
}
