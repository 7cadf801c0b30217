import type { AlertSeverity } from '@plo/contracts';
import {
  type LocalDate,
  type TimeUnit,
  type WorkingDayCalendar,
  RulePack,
  addDays,
  applyPeriod,
  londonDateOf,
  londonInstant,
  overdueAt,
} from '@plo/timescales';

/** How long before a due date a warning fires, e.g. 6 weeks or 2 working days. */
export interface WarningLead {
  offset: number;
  unit: TimeUnit;
}

/** Warning leads by obligation kind; a kind not listed gets no warnings, only drift. */
export type WarningLeads = ReadonlyMap<string, readonly WarningLead[]>;

export const DRIFT = 'drift';
export const PROJECTED_DRIFT = 'projected-drift';

export interface ScheduledAlert {
  level: string;
  severity: AlertSeverity;
  /** The instant the alert should be raised. */
  at: Date;
}

const UNIT_CODES: Record<string, TimeUnit> = { d: 'calendar-days', w: 'weeks', wd: 'working-days', m: 'months' };

/**
 * The defaults follow the timescales library's local warning rules, so a correction there moves
 * alerting too: the 26-week clock warns at weeks 20 and 24 (6 and 2 weeks before its last day,
 * counting the issue day as day 1 as s.32 does) and a visit warns 2 working days before it is due.
 */
export function defaultWarningLeads(pack: RulePack = RulePack.standard()): WarningLeads {
  const limit = pack.rule('proceedings-26-week-limit');
  const proceedings = ['proceedings-warning-week-20', 'proceedings-warning-week-24'].map((id) => {
    const warning = pack.rule(id);
    if (warning.unit !== limit.unit) throw new RangeError(`${id} must be counted in ${limit.unit} like the limit it warns about`);
    return { offset: limit.offset - warning.offset, unit: limit.unit };
  });
  const visit = pack.rule('visit-due-warning');
  return new Map([
    ['proceedings-completion', proceedings],
    ['visit', [{ offset: visit.offset, unit: visit.unit }]],
  ]);
}

/**
 * Reads `kind=6w,2w;visit=2wd` (units d, w, wd, m) over the defaults: a kind named here replaces
 * its default, and `kind=` with nothing switches its warnings off. Throws naming every bad part.
 */
export function parseWarningLeads(text: string, defaults: WarningLeads): WarningLeads {
  const leads = new Map(defaults);
  const problems: string[] = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kind, list = ''] = part.split('=').map((p) => p.trim());
    if (!kind || !part.includes('=')) {
      problems.push(`"${part}" is not kind=leads`);
      continue;
    }
    const parsed: WarningLead[] = [];
    for (const item of list
      .split(',')
      .map((i) => i.trim())
      .filter(Boolean)) {
      const match = /^(\d+)(wd|d|w|m)$/.exec(item);
      if (!match || Number(match[1]) < 1) problems.push(`"${item}" for ${kind} is not a lead such as 6w, 2wd, 10d or 1m`);
      else parsed.push({ offset: Number(match[1]), unit: UNIT_CODES[match[2]] });
    }
    leads.set(kind, parsed);
  }
  if (problems.length) throw new RangeError(`ALERT_WARNING_LEADS: ${problems.join('; ')}`);
  return leads;
}

export function warningLevel(lead: WarningLead): string {
  return `warning-${lead.offset}-${lead.unit}`;
}

/** The start of a London calendar day: the instant the day before it becomes overdue. */
export function startOfLondonDay(date: LocalDate): Date {
  return overdueAt(addDays(date, -1));
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * The instant on the London day `date` whose wall-clock time is `instant`'s: a 16:00 deadline warns
 * at 16:00, in GMT or BST alike. On a clock-change day the time since midnight is an hour off the
 * wall clock after the change, so each reading is checked against the instant itself.
 */
export function atLondonTimeOf(instant: Date, date: LocalDate): Date {
  const day = londonDateOf(instant);
  const sinceMidnight = instant.getTime() - startOfLondonDay(day).getTime();
  const millis = sinceMidnight % 1000;
  for (const wall of [sinceMidnight, sinceMidnight + MS_PER_HOUR, sinceMidnight - MS_PER_HOUR]) {
    if (wall < 0 || wall >= MS_PER_DAY) continue;
    if (londonInstant(`${day}T${clockTime(wall)}`).getTime() + millis === instant.getTime()) {
      return new Date(londonInstant(`${date}T${clockTime(wall)}`).getTime() + millis);
    }
  }
  throw new RangeError(`no London wall-clock time for ${instant.toISOString()}`);
}

function clockTime(msSinceMidnight: number): string {
  const seconds = Math.floor(msSinceMidnight / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/**
 * Every alert an obligation due on `dueDate` will need, earliest first: its warnings at the start
 * of the day `lead` before the due date, and drift at the start of the day after it. With a time of
 * day (`dueAt`, the instant it becomes overdue) drift is at that instant and each warning at the same
 * London time `lead` before it.
 */
export function alertSchedule(
  kind: string,
  dueDate: LocalDate,
  leads: WarningLeads,
  calendar: WorkingDayCalendar,
  dueAt?: Date,
): ScheduledAlert[] {
  const from = dueAt ? londonDateOf(dueAt) : dueDate;
  const warnings = (leads.get(kind) ?? []).map((lead) => {
    const day = applyPeriod(from, { ...lead, direction: 'before', counting: 'simple' }, calendar);
    return { level: warningLevel(lead), severity: 'warning' as const, at: dueAt ? atLondonTimeOf(dueAt, day) : startOfLondonDay(day) };
  });
  const drift: ScheduledAlert = { level: DRIFT, severity: 'critical', at: dueAt ?? overdueAt(dueDate) };
  return [...warnings, drift].sort((a, b) => a.at.getTime() - b.at.getTime());
}

export interface DueAlerts {
  /** The alert to raise now, if any: only the latest due one, so a late-arriving overdue obligation raises drift without stale warnings. */
  raise?: ScheduledAlert;
  /** When to look at this obligation again; undefined once drift is due. */
  nextAt?: Date;
}

export function dueAlerts(schedule: readonly ScheduledAlert[], now: Date): DueAlerts {
  const due = schedule.filter((alert) => alert.at.getTime() <= now.getTime());
  const next = schedule.find((alert) => alert.at.getTime() > now.getTime());
  return { raise: due.at(-1), nextAt: next?.at };
}
