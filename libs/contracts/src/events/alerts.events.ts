import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DomainEvent } from '../event-registry';
import { IsLegalDate } from '../legal-date';
import { Topics } from '../topics';

export const AlertEventTypes = {
  alertRaised: 'uk.gov.plo.alerts.alert-raised.v1',
  alertAcknowledged: 'uk.gov.plo.alerts.alert-acknowledged.v1',
  alertEscalated: 'uk.gov.plo.alerts.alert-escalated.v1',
  alertResolved: 'uk.gov.plo.alerts.alert-resolved.v1',
} as const;

const ALERT_TOPICS = [Topics.alertEvents] as const;

export const ALERT_SEVERITIES = ['warning', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** 0 the allocated worker, 1 the team manager, 2 the service manager. */
export const ESCALATION_ROLES = ['allocated-worker', 'team-manager', 'service-manager'] as const;
export type EscalationRole = (typeof ESCALATION_ROLES)[number];

/**
 * 'met-late': the obligation was met after its due date (the drift stays on record);
 * 'met': met in time (a warning); 'ended': cancelled or the case closed; 'superseded': a warning
 * or projection overtaken by the drift alert itself; 'rescheduled': the due date moved;
 * 'projection-cleared': the PLO service withdrew its projection; 'manager': closed by a manager.
 */
export const ALERT_RESOLUTIONS = ['met-late', 'met', 'ended', 'superseded', 'rescheduled', 'projection-cleared', 'manager'] as const;
export type AlertResolution = (typeof ALERT_RESOLUTIONS)[number];

@DomainEvent(
  AlertEventTypes.alertRaised,
  ALERT_TOPICS,
  'An alert was raised: an obligation falls due soon (warning), is overdue (drift) or is projected to be missed.',
)
export class AlertRaisedV1 {
  @IsUUID() alertId: string;
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) councilId: string;
  @IsOptional() @IsUUID() obligationId?: string;
  @IsOptional() @IsUUID() childId?: string;
  /** The obligation kind, e.g. `visit`, `proceedings-completion`. */
  @IsString() @IsNotEmpty() @MaxLength(64) kind: string;
  /** `drift`, `projected-drift` or `warning-<lead>` such as `warning-6-weeks`. */
  @IsString() @IsNotEmpty() @MaxLength(64) level: string;
  @IsIn(ALERT_SEVERITIES) severity: AlertSeverity;
  /** The due date the alert is about, as the producing service computed it. */
  @IsLegalDate() dueDate: string;
  @IsISO8601({ strict: true }) raisedAt: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) explanation: string;
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) workerId: string;
  @IsOptional() @IsString() @MaxLength(200) recipientId?: string;
  /**
   * 1 for the first alert of its obligation (or projection), level and due date; a drift that is
   * cleared and comes back is a new episode, raised and delivered again.
   */
  @IsOptional() @IsInt() @Min(1) episode?: number;
  /** The previous episode's alert, when this is a recurrence. */
  @IsOptional() @IsUUID() previousAlertId?: string;
}

@DomainEvent(AlertEventTypes.alertAcknowledged, ALERT_TOPICS, 'Someone took responsibility for an alert; escalation stops.')
export class AlertAcknowledgedV1 {
  @IsUUID() alertId: string;
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) acknowledgedBy: string;
  @IsISO8601({ strict: true }) acknowledgedAt: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

@DomainEvent(AlertEventTypes.alertEscalated, ALERT_TOPICS, 'An alert stayed unacknowledged and moved up the escalation ladder.')
export class AlertEscalatedV1 {
  @IsUUID() alertId: string;
  @IsUUID() caseId: string;
  @IsInt() @Min(1) @Max(2) escalationStep: number;
  @IsIn(ESCALATION_ROLES) recipientRole: EscalationRole;
  /** Absent when the directory names nobody in that role for the case's team. */
  @IsOptional() @IsString() @MaxLength(200) recipientId?: string;
  @IsISO8601({ strict: true }) escalatedAt: string;
}

@DomainEvent(
  AlertEventTypes.alertResolved,
  ALERT_TOPICS,
  'An alert was resolved, automatically (met, met late, ended) or by a manager with a reason.',
)
export class AlertResolvedV1 {
  @IsUUID() alertId: string;
  @IsUUID() caseId: string;
  @IsIn(ALERT_RESOLUTIONS) resolution: AlertResolution;
  @IsISO8601({ strict: true }) resolvedAt: string;
  @IsOptional() @IsString() @MaxLength(200) resolvedBy?: string;
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @IsOptional() @IsLegalDate() satisfiedOn?: string;
}
