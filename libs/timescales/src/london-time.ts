import { type LocalDate, epochDayFromParts, fromEpochDay, toEpochDay } from './local-date';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

const londonWallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

// Intl costs several microseconds per call and alerting converts ~10^6 due dates. UK clock changes
// happen on the hour (01:00 UTC), so the offset is constant within each UTC hour and can be cached
// per hour; the cap only bounds memory, as offsets never go stale within a process.
const offsetByUtcHour = new Map<number, number>();
const OFFSET_CACHE_LIMIT = 100_000;

/** Milliseconds to add to a UTC instant to get London wall-clock time (0 in GMT, 1 h in BST). */
function londonOffsetMs(instantMs: number): number {
  const utcHour = Math.floor(instantMs / MS_PER_HOUR);
  const cached = offsetByUtcHour.get(utcHour);
  if (cached !== undefined) return cached;
  const hourStartMs = utcHour * MS_PER_HOUR;
  const field: Record<string, number> = {};
  for (const part of londonWallClock.formatToParts(hourStartMs)) {
    if (part.type !== 'literal') field[part.type] = Number(part.value);
  }
  const wallClockAsUtcMs =
    epochDayFromParts(field.year, field.month, field.day) * MS_PER_DAY +
    field.hour * MS_PER_HOUR +
    field.minute * 60_000 +
    field.second * 1000;
  const offset = wallClockAsUtcMs - hourStartMs;
  if (offsetByUtcHour.size >= OFFSET_CACHE_LIMIT) offsetByUtcHour.clear();
  offsetByUtcHour.set(utcHour, offset);
  return offset;
}

/**
 * The instant an obligation due on `dueDate` becomes overdue: the start of the next day in
 * Europe/London, so anything done at any time on the due day is in time. The single place where
 * dates become instants, e.g. due 2026-03-28 → 2026-03-29T00:00Z (GMT), due 2026-03-29 →
 * 2026-03-29T23:00Z (BST began that morning).
 */
export function overdueAt(dueDate: LocalDate): Date {
  const nextDayAsUtcMs = (toEpochDay(dueDate) + 1) * MS_PER_DAY;
  // Local midnight = UTC midnight − offset. The offset is read at the first guess and then at the
  // corrected instant, so a clock change between the two would still be honoured.
  const guess = nextDayAsUtcMs - londonOffsetMs(nextDayAsUtcMs);
  return new Date(nextDayAsUtcMs - londonOffsetMs(guess));
}

/** The Europe/London calendar date of an instant (e.g. "today" for a case worker in England). */
export function londonDateOf(instant: Date | number): LocalDate {
  const instantMs = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(instantMs)) throw new RangeError(`londonDateOf needs a valid instant, got ${String(instant)}`);
  return fromEpochDay(Math.floor((instantMs + londonOffsetMs(instantMs)) / MS_PER_DAY));
}

const WALL_CLOCK = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * The instant of a Europe/London wall-clock time written without an offset, as court listings are
 * (e.g. HMC's `nextHearingDate` "2026-03-30T10:00:00"). In the spring gap (01:00–02:00 does not
 * exist) the time moves forward an hour, as a clock would show it; in the autumn overlap (01:00–02:00
 * happens twice) the first, BST, occurrence is meant. Text that carries an offset is read as is.
 */
export function londonInstant(wallClock: string): Date {
  if (/([zZ]|[+-]\d{2}:?\d{2})$/.test(wallClock)) {
    const instant = new Date(wallClock);
    if (Number.isNaN(instant.getTime())) throw new RangeError(`not a date and time: ${wallClock}`);
    return instant;
  }
  const match = WALL_CLOCK.exec(wallClock);
  if (!match) throw new RangeError(`not a London date and time (YYYY-MM-DDTHH:MM[:SS]): ${wallClock}`);
  const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) throw new RangeError(`not a time of day: ${wallClock}`);
  const wallAsUtcMs = toEpochDay(match[1] as LocalDate) * MS_PER_DAY + hours * MS_PER_HOUR + minutes * 60_000 + seconds * 1000;
  // Try the offset in force an hour earlier first, so an ambiguous time resolves to BST.
  const earlierOffset = londonOffsetMs(wallAsUtcMs - 2 * MS_PER_HOUR);
  const candidate = wallAsUtcMs - earlierOffset;
  if (londonOffsetMs(candidate) === earlierOffset) return new Date(candidate);
  // The earlier offset does not hold at that instant: either the gap (skip forward) or plain BST/GMT.
  const laterOffset = londonOffsetMs(wallAsUtcMs);
  const retry = wallAsUtcMs - laterOffset;
  return new Date(londonOffsetMs(retry) === laterOffset ? retry : wallAsUtcMs - earlierOffset);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * An instant written as Europe/London wall-clock time with its offset, e.g.
 * "2026-03-27T16:00:00+00:00" (GMT) or "2026-03-30T16:00:00+01:00" (BST): what a person in England
 * reads, and still one unambiguous instant for a machine.
 */
export function londonIsoString(instant: Date | number): string {
  const instantMs = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(instantMs)) throw new RangeError(`londonIsoString needs a valid instant, got ${String(instant)}`);
  const offsetMs = londonOffsetMs(instantMs);
  const wallMs = instantMs + offsetMs;
  const date = fromEpochDay(Math.floor(wallMs / MS_PER_DAY));
  const msOfDay = wallMs - Math.floor(wallMs / MS_PER_DAY) * MS_PER_DAY;
  const [hours, minutes, seconds] = [Math.floor(msOfDay / MS_PER_HOUR), Math.floor(msOfDay / 60_000) % 60, Math.floor(msOfDay / 1000) % 60];
  const offsetMinutes = Math.round(offsetMs / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad2(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad2(Math.abs(offsetMinutes) % 60)}`;
  return `${date}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}${offset}`;
}

/** The instant of a time of day ('HH:MM') on a London date: when a direction due "by 16:00" falls due. */
export function londonTimeOn(date: LocalDate, timeOfDay: string): Date {
  return londonInstant(`${date}T${timeOfDay}`);
}
