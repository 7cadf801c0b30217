import { type WorkingDayCalendar, defaultCalendar, parseLocalDate } from '@plo/timescales';
import { type WarningLeads, alertSchedule, defaultWarningLeads, parseWarningLeads, type ScheduledAlert } from './alert-schedule';
import type { EscalationPolicy } from './escalation';

/** The council's alerting choices, read once from configuration. */
export class AlertPolicy {
  constructor(
    readonly leads: WarningLeads,
    readonly escalation: EscalationPolicy,
    readonly calendar: WorkingDayCalendar = defaultCalendar(),
  ) {}

  static fromSettings(settings: { warningLeads: string; toTeamManagerWd: number; toServiceManagerWd: number }): AlertPolicy {
    return new AlertPolicy(parseWarningLeads(settings.warningLeads, defaultWarningLeads()), {
      workingDaysPerStep: [settings.toTeamManagerWd, settings.toServiceManagerWd],
    });
  }

  /** `dueAt` (ISO), when set, is the instant the obligation becomes overdue; otherwise the end of `dueDate` in London. */
  schedule(kind: string, dueDate: string, dueAt: string | null = null): ScheduledAlert[] {
    return alertSchedule(kind, parseLocalDate(dueDate), this.leads, this.calendar, dueAt ? new Date(dueAt) : undefined);
  }
}
