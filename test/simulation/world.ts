import { Day, daysFrom, later, plusDays, weekday } from './calendar';

/**
 * A council's year, generated from a seed: teams, cases of 1–4 siblings, their statuses, visits,
 * reviews, re-allocations and care proceedings with hearings. Pure data: the driver sends it to the
 * services, the expectations work out what they must alert. The same seed and size always give the
 * same world, so a failure can be replayed (SIM_SEED, SIM_CHILDREN).
 */

export const YEAR_START: Day = '2026-04-01';
/** The council's year ends on 31 March (as DfE's statistics do); "today" is noon on its last day, two days after Easter Monday and three after the clocks went forward. */
export const TODAY: Day = '2027-03-31';
export const TODAY_AT = '2027-03-31T12:00:00+01:00';
/** What was already on the council's old system: entered first, as history; the rest arrives live. */
export const HISTORY_UNTIL: Day = '2026-12-31';

export type Status = 'child-in-need' | 'child-protection-plan' | 'looked-after';
export type ReviewKind = 'icpc' | 'cp-review' | 'lac-review' | 'cin-review';

export interface Team {
  id: string;
  managerId: string;
  workerIds: string[];
}

/** A child-level status from `start`; `children` lists who holds it (today's v1 API can only say "all"). */
export interface StatusPeriod {
  status: Status;
  start: Day;
  children: string[];
}

export interface SimCase {
  key: string;
  reference: string;
  openedOn: Day;
  children: { key: string; dateOfBirth: Day }[];
  team: string;
  worker: string;
}

interface FactBase {
  /** Unique within the world, for ordering and reporting. */
  id: string;
  caseKey: string;
  /** The day it happened. */
  date: Day;
  /** The day somebody typed it in (a visit is often recorded days later). */
  enteredOn: Day;
  /** Chained facts of a case must reach the services in date order (each needs the one before); visits need only the case. */
  chained: boolean;
}

export type Fact = FactBase &
  (
    | { type: 'open'; status: Status }
    | { type: 'status'; status: Status; children: string[] }
    | { type: 'allocation'; team: string; worker: string }
    | { type: 'visit'; seen: string[] }
    /** `auto`: the service schedules it itself (the next of a series, or reg 33's first review); the driver only finds it. */
    | { type: 'review-scheduled'; reviewKey: string; kind: ReviewKind; anchor: Day; auto: boolean; children: string[] }
    | { type: 'review-held'; reviewKey: string; kind: ReviewKind; outcome: string; children: string[] }
    | { type: 'proceedings-issued'; proceedingsKey: string; children: string[] }
    /** A sibling joining proceedings already issued, with their own issue date (day 1 of their own 26 weeks). */
    | { type: 'child-joined-proceedings'; proceedingsKey: string; child: string }
    | { type: 'final-hearing-listed'; proceedingsKey: string; hearingDate: Day }
    | { type: 'final-hearing-moved'; proceedingsKey: string; hearingDate: Day }
    | { type: 'final-hearing-adjourned'; proceedingsKey: string }
  );

export interface World {
  seed: number;
  teams: Team[];
  cases: SimCase[];
  facts: Fact[];
}

/** mulberry32: small, fast, and the same on every machine. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(options: readonly (readonly [T, number])[]): T {
    let r = this.next() * options.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, weight] of options) if ((r -= weight) < 0) return value;
    return options[options.length - 1][0];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

const TEAM_NAMES = ['north-1', 'south-2', 'east-3', 'west-4', 'central-5', 'fostering-6'];

/** A weekday on or after `day` (people do not record visits or hold conferences at weekends). */
function weekdayFrom(day: Day): Day {
  let d = day;
  while (weekday(d) === 0 || weekday(d) === 6) d = plusDays(d, 1);
  return d;
}

/**
 * `perChild`: siblings differ — a status change can reach some children of a family and not the
 * others, and a sibling can join proceedings weeks after the rest. Today's v1 API cannot say that
 * (its legal status is the case's), so it is off until the per-child branches merge.
 */
export function generateWorld(options: { seed: number; children: number; perChild?: boolean }): World {
  const random = new Random(options.seed);
  const teams: Team[] = TEAM_NAMES.slice(0, Math.max(2, Math.min(TEAM_NAMES.length, Math.ceil(options.children / 60)))).map((id) => ({
    id,
    managerId: `tm.${id}`,
    workerIds: [1, 2, 3].map((n) => `sw.${id}.${n}`),
  }));
  const cases: SimCase[] = [];
  const facts: Fact[] = [];
  let childCount = 0;
  let factNumber = 0;
  const fact = (f: Omit<FactBase, 'id' | 'enteredOn' | 'chained'> & Partial<FactBase> & { type: Fact['type'] } & Record<string, unknown>) =>
    facts.push({ id: `f${++factNumber}`, enteredOn: f.date, chained: true, ...f } as Fact);

  while (childCount < options.children) {
    const caseNo = cases.length + 1;
    const key = `case${caseNo}`;
    const size = Math.min(
      options.children - childCount,
      random.weighted([
        [1, 45],
        [2, 30],
        [3, 17],
        [4, 8],
      ] as const),
    );
    const openedOn = weekdayFrom(plusDays(YEAR_START, random.int(0, daysFrom(YEAR_START, TODAY) - 21)));
    const team = random.pick(teams);
    const children = Array.from({ length: size }, (_, i) => ({
      key: `${key}.child${i + 1}`,
      dateOfBirth: plusDays('2010-01-01', random.int(0, 365 * 15)),
    }));
    const childKeys = children.map((c) => c.key);
    childCount += size;
    const simCase: SimCase = {
      key,
      reference: `SIM-${String(caseNo).padStart(4, '0')}`,
      openedOn,
      children,
      team: team.id,
      worker: random.pick(team.workerIds),
    };
    cases.push(simCase);

    const initial = random.weighted([
      ['child-in-need', 40],
      ['child-protection-plan', 40],
      ['looked-after', 20],
    ] as const);
    fact({ caseKey: key, date: openedOn, type: 'open', status: initial });

    // The status track: sometimes a step up (CIN → CP plan, CP plan → looked after), for the whole
    // family or, in a per-child world, for some of the siblings only.
    const periods: StatusPeriod[] = [{ status: initial, start: openedOn, children: childKeys }];
    if (initial !== 'looked-after' && random.chance(0.35)) {
      const start = weekdayFrom(plusDays(openedOn, random.int(30, 150)));
      if (start < TODAY) {
        const status: Status = initial === 'child-in-need' ? 'child-protection-plan' : 'looked-after';
        const some = options.perChild && size > 1 && random.chance(0.4);
        const who = some
          ? random
              .shuffle([...childKeys])
              .slice(0, random.int(1, size - 1))
              .sort()
          : childKeys;
        periods.push({ status, start, children: who });
        fact({ caseKey: key, date: start, type: 'status', status, children: who });
      }
    }
    /** Each child's own periods: the ones that name the child. */
    const periodsOf = (child: string) => periods.filter((p) => p.children.includes(child));

    // Re-allocation, mostly to another team (a case moving from assessment to long-term, say).
    if (random.chance(0.3)) {
      const date = weekdayFrom(plusDays(openedOn, random.int(10, 200)));
      if (date < TODAY) {
        const to = random.chance(0.7) ? random.pick(teams.filter((t) => t.id !== team.id)) : team;
        const worker = random.pick(to.workerIds.filter((w) => w !== simCase.worker));
        fact({ caseKey: key, date, type: 'allocation', team: to.id, worker });
      }
    }

    // Reviews of each status period, held while the status lasts; siblings whose statuses ran alike
    // share their conferences (held together), the others have their own.
    const groups = new Map<string, string[]>();
    for (const child of childKeys) {
      const signature = periodsOf(child)
        .map((p) => `${p.status}@${p.start}`)
        .join(',');
      groups.set(signature, [...(groups.get(signature) ?? []), child]);
    }
    for (const group of groups.values()) {
      const own = periodsOf(group[0]);
      own.forEach((period, i) => {
        const end = own[i + 1]?.start ?? plusDays(TODAY, 1);
        reviewsOf(random, fact, key, period, end, group);
      });
    }

    // Visits: each a weekday, siblings usually seen together; a gap now and then is a missed visit.
    let last = openedOn;
    for (;;) {
      const status = [...periodsOf(childKeys[0])].reverse().find((p) => p.start <= last)!.status;
      const usual: [number, number] = status === 'child-protection-plan' ? [6, 14] : [20, 40];
      const gap = random.chance(0.12) ? random.int(usual[1] + 5, usual[1] + 30) : random.int(usual[0], usual[1]);
      const date = weekdayFrom(plusDays(last, gap));
      if (date > TODAY) break;
      last = date;
      const seen = random.chance(0.05)
        ? []
        : size > 1 && random.chance(0.15)
          ? random.shuffle([...childKeys]).slice(0, random.int(1, size - 1))
          : childKeys;
      const lag = random.weighted([
        [0, 75],
        [random.int(1, 10), 20],
        [random.int(11, 30), 5],
      ] as const);
      const enteredOn = plusDays(date, lag) > TODAY ? TODAY : plusDays(date, lag);
      fact({ caseKey: key, date, enteredOn, chained: false, type: 'visit', seen });
    }

    // Care proceedings, for the children whose protection plan is still their status.
    const onPlan = childKeys.filter((c) => periodsOf(c).at(-1)!.status === 'child-protection-plan');
    // Most are issued within the last 26 weeks, so their clocks still run today and projections can come and go.
    if (onPlan.length && random.chance(0.55)) {
      const earliest = plusDays(periodsOf(onPlan[0]).at(-1)!.start, 20);
      const recent = plusDays(TODAY, -random.int(21, 175));
      const issued = weekdayFrom(random.chance(0.7) && recent > earliest ? recent : plusDays(earliest, random.int(0, 100)));
      if (issued < plusDays(TODAY, -3)) {
        const later = options.perChild && onPlan.length > 1 && random.chance(0.4) ? onPlan.slice(1) : [];
        proceedingsOf(random, fact, key, issued, onPlan.slice(0, onPlan.length - later.length));
        for (const child of later) {
          const joined = weekdayFrom(plusDays(issued, random.int(7, 60)));
          if (joined < plusDays(TODAY, -3))
            fact({ caseKey: key, date: joined, type: 'child-joined-proceedings', proceedingsKey: `${key}.proceedings`, child });
        }
      }
    }
  }
  facts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : Number(a.id.slice(1)) - Number(b.id.slice(1))));
  return { seed: options.seed, teams, cases, facts };
}

type FactSink = (
  f: Omit<FactBase, 'id' | 'enteredOn' | 'chained'> & Partial<FactBase> & { type: Fact['type'] } & Record<string, unknown>,
) => void;

/**
 * Conferences and reviews of one status, roughly on time (the world need not know the exact rules:
 * the expectations do). A review not held by the time the status ends or today is owed.
 */
function reviewsOf(random: Random, fact: FactSink, caseKey: string, period: StatusPeriod, end: Day, children: string[]) {
  let n = 0;
  const review = (kind: ReviewKind, anchor: Day, auto: boolean, roughlyDueIn: number) => {
    const reviewKey = `${caseKey}.${kind}.${period.start}.${++n}`;
    fact({ caseKey, date: anchor, type: 'review-scheduled', reviewKey, kind, anchor, auto, children });
    const late = random.chance(0.2);
    const heldOn = weekdayFrom(plusDays(anchor, roughlyDueIn + (late ? random.int(1, 25) : -random.int(0, 12))));
    if (heldOn >= end || heldOn > TODAY || heldOn < anchor) return undefined;
    return { reviewKey, heldOn };
  };
  const hold = (held: { reviewKey: string; heldOn: Day }, kind: ReviewKind, outcome: string) =>
    fact({ caseKey, date: held.heldOn, type: 'review-held', reviewKey: held.reviewKey, kind, outcome, children });

  if (period.status === 'child-in-need') {
    for (let held = review('cin-review', period.start, false, 84); held; held = review('cin-review', held.heldOn, true, 84))
      hold(held, 'cin-review', 'plan-continues');
  } else if (period.status === 'child-protection-plan') {
    // The strategy discussion is the day the plan's work starts; the ICPC follows within 15 working days.
    const icpc = review('icpc', period.start, false, 21);
    if (!icpc) return;
    hold(icpc, 'icpc', 'plan');
    for (let held = review('cp-review', icpc.heldOn, true, 91); held; held = review('cp-review', held.heldOn, true, 182))
      hold(held, 'cp-review', 'plan-continues');
  } else {
    for (
      let held = review('lac-review', period.start, true, 28), sequence = 1;
      held;
      held = review('lac-review', held.heldOn, true, sequence === 2 ? 91 : 182)
    ) {
      hold(held, 'lac-review', 'care-plan-endorsed');
      sequence++;
    }
  }
}

/**
 * Proceedings with a final hearing story: listed inside or after the 26 weeks, moved, adjourned and
 * relisted — so a projected overrun can appear, clear and come back.
 */
function proceedingsOf(random: Random, fact: FactSink, caseKey: string, issued: Day, children: string[]) {
  const proceedingsKey = `${caseKey}.proceedings`;
  fact({ caseKey, date: issued, type: 'proceedings-issued', proceedingsKey, children });
  const completion = plusDays(issued, 181);
  if (random.chance(0.2)) return; // no final hearing listed yet
  let on = weekdayFrom(plusDays(issued, random.int(14, 70)));
  if (on > TODAY) return;
  // Never listed for a day already past when it is listed.
  const hearingDay = (after: boolean) =>
    weekdayFrom(later(plusDays(completion, after ? random.int(3, 60) : -random.int(5, 50)), plusDays(on, 7)));
  fact({ caseKey, date: on, type: 'final-hearing-listed', proceedingsKey, hearingDate: hearingDay(random.chance(0.6)) });
  const steps = random.weighted([
    [0, 30],
    [1, 30],
    [2, 20],
    [3, 20],
  ] as const);
  for (let step = 0; step < steps; step++) {
    on = weekdayFrom(plusDays(on, random.int(7, 40)));
    if (on > TODAY) return;
    if (step === 2 || (step > 0 && random.chance(0.25))) {
      fact({ caseKey, date: on, type: 'final-hearing-adjourned', proceedingsKey });
      if (random.chance(0.25)) return; // adjourned, not yet relisted
    }
    fact({ caseKey, date: on, type: 'final-hearing-moved', proceedingsKey, hearingDate: hearingDay(step % 2 === 0) });
  }
}
