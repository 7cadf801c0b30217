import { Day, later, plusDays, plusMonths, WorkingDays } from './calendar';
import { Fact, ReviewKind, SimCase, Status, TODAY, World } from './world';

/**
 * Which alerts must be active "today", and who must see them, worked out from the world's facts by
 * the law and the per-child design (docs/per-child.md), not by libs/timescales. The rules below
 * are written from the domain brief (§2 proceedings, §4 reviews and visits, §9 per child) and the
 * council's configured defaults; each says where it comes from.
 */

type Period = { days: number } | { weeks: number } | { months: number } | { workingDays: number };

export const RULES = {
  visit: {
    // Local cadences (domain §4: CIN 6 weeks or 20 WD, CP 10 WD / 2 / 4 weeks, by council policy): the council's configured defaults.
    'child-in-need': { weeks: 6 },
    'child-protection-plan': { workingDays: 10 },
    // Reg 28(2): within 1 week of any placement, then at most 6-weekly in the placement's first year.
    lookedAfterAfterPlacement: { weeks: 1 },
    lookedAfterFirstYear: { weeks: 6 },
  },
  review: {
    // Working Together: ICPC within 15 WD of the strategy discussion; first review within 3 months of it, later ones 6-monthly.
    icpc: { workingDays: 15 },
    cpFirst: { months: 3 },
    cpLater: { months: 6 },
    // Care Planning Regulations 2010 reg 33: 20 WD after becoming looked after, then within 3 months, then 6-monthly.
    lacFirst: { workingDays: 20 },
    lacSecond: { months: 3 },
    lacLater: { months: 6 },
    // Local CIN review cadence (domain §4: about 12-weekly).
    cin: { weeks: 12 },
  },
  // Children Act 1989 s.32(1)(a)(ii): "26 weeks beginning with the day of issue" — issue is day 1, the last day issue + 181.
  proceedingsLastDay: { days: 181 },
  // A final hearing not listed by week 20 of the proceedings is projected drift (the PLO default, PLO_NO_FINAL_HEARING_WARNING_WEEK).
  noFinalHearingBy: { weeks: 20 },
  // Warnings configured in alerting (ALERT_WARNING_LEADS defaults): a visit 2 WD before, the 26 weeks at 6 and 2 weeks before.
  warnings: {
    visit: [{ level: 'warning-2-working-days', before: { workingDays: 2 } }],
    'proceedings-completion': [
      { level: 'warning-6-weeks', before: { weeks: 6 } },
      { level: 'warning-2-weeks', before: { weeks: 2 } },
    ],
  } as Record<string, { level: string; before: Period }[]>,
} satisfies Record<string, unknown>;

export const MODELLED_KINDS = ['visit', 'icpc', 'cp-review', 'lac-review', 'cin-review', 'proceedings-completion'] as const;

export const LEGAL_VIEWER = 'legal';

export type LevelClass = 'drift' | 'warning' | 'projected-drift';

export function levelClass(level: string): LevelClass {
  return level === 'drift' ? 'drift' : level === 'projected-drift' ? 'projected-drift' : 'warning';
}

export interface ExpectedAlert {
  caseKey: string;
  childKey: string;
  kind: string;
  dueDate: Day;
  level: string;
  /** The team manager of the team holding the case today, and legal once a child has had legal involvement. */
  viewers: string[];
  why: string;
}

/** The comparison key: which child, which duty, due when, at what level. */
export const alertKey = (a: { childKey: string; kind: string; dueDate: Day; level: string }) =>
  `${a.childKey}|${a.kind}|${a.dueDate}|${a.level}`;

export class Expectations {
  constructor(private readonly workingDays: WorkingDays = WorkingDays.englandAndWales()) {}

  add(day: Day, period: Period, sign = 1): Day {
    if ('days' in period) return plusDays(day, sign * period.days);
    if ('weeks' in period) return plusDays(day, sign * 7 * period.weeks);
    if ('months' in period) return plusMonths(day, sign * period.months);
    return this.workingDays.plus(day, sign * period.workingDays);
  }

  /**
   * The levels active on `today` for an open obligation due on `dueDate`: drift from the day after
   * it is due, which supersedes its warnings (and a projection on it); before that, every warning
   * whose day has come — a later warning does not end an earlier one.
   */
  levelsOn(kind: string, dueDate: Day, today: Day): string[] {
    if (today > dueDate) return ['drift'];
    return (RULES.warnings[kind] ?? []).filter((w) => this.add(dueDate, w.before, -1) <= today).map((w) => w.level);
  }

  /** Every alert that must be active on `today` in this world. */
  of(world: World, today: Day = TODAY): ExpectedAlert[] {
    const teams = new Map(world.teams.map((t) => [t.id, t]));
    const expected: ExpectedAlert[] = [];
    for (const simCase of world.cases) {
      const facts = world.facts.filter((f) => f.caseKey === simCase.key && f.date <= today);
      const team =
        [...facts].reverse().find((f): f is Extract<Fact, { type: 'allocation' }> => f.type === 'allocation')?.team ?? simCase.team;
      const legal = facts.some((f) => f.type === 'proceedings-issued' || f.type === 'child-joined-proceedings');
      const viewers = [teams.get(team)!.managerId, ...(legal ? [LEGAL_VIEWER] : [])];
      const push = (childKey: string, kind: string, dueDate: Day, levels: string[], why: string) => {
        for (const level of levels) expected.push({ caseKey: simCase.key, childKey, kind, dueDate, level, viewers, why });
      };
      for (const { key: child } of simCase.children) {
        const status = this.statusOf(simCase, facts, child);
        const visit = this.nextVisit(facts, child, status);
        push(child, 'visit', visit.dueDate, this.levelsOn('visit', visit.dueDate, today), visit.why);
        for (const review of this.openReviews(facts, child, status))
          push(child, review.kind, review.dueDate, this.levelsOn(review.kind, review.dueDate, today), review.why);
        for (const p of this.proceedingsOf(facts, child, today)) {
          push(child, 'proceedings-completion', p.lastDay, this.levelsOn('proceedings-completion', p.lastDay, today), 'the 26 weeks');
          if (p.projected) push(child, 'proceedings-completion', p.lastDay, ['projected-drift'], p.projected);
        }
      }
    }
    return expected;
  }

  private statusOf(simCase: SimCase, facts: Fact[], child: string): { status: Status; start: Day } {
    let current: { status: Status; start: Day } | undefined;
    for (const f of facts) {
      if (f.type === 'open') current = { status: f.status, start: f.date };
      if (f.type === 'status' && f.children.includes(child)) current = { status: f.status, start: f.date };
    }
    if (!current) throw new Error(`${simCase.key} has no status`);
    return current;
  }

  /** The child's next statutory visit from every fact about the child, whatever order they arrived in. */
  nextVisit(facts: Fact[], child: string, status: { status: Status; start: Day }): { dueDate: Day; why: string } {
    const seen = facts.filter((f) => f.type === 'visit' && f.seen.includes(child)).map((f) => f.date);
    const last = seen.length ? seen.reduce(later) : undefined;
    if (status.status === 'looked-after') {
      // The placement starts with the status here (the driver records it so).
      if (last !== undefined && last >= status.start)
        return { dueDate: this.add(last, RULES.visit.lookedAfterFirstYear), why: `reg 28: 6 weeks after the visit of ${last}` };
      return {
        dueDate: this.add(status.start, RULES.visit.lookedAfterAfterPlacement),
        why: `reg 28: a week after the placement of ${status.start}`,
      };
    }
    const from = last === undefined ? status.start : later(last, status.start);
    return { dueDate: this.add(from, RULES.visit[status.status]), why: `${status.status} cadence from ${from}` };
  }

  /**
   * The reviews the child is owed: the next in the series of their current status (a status's
   * series ends with it: docs/per-child.md), and an ICPC convened but not yet held, which is not a
   * series and stays owed whatever the child's status became meanwhile (Working Together: the
   * conference decides on a plan; a looked-after child can be on one too).
   */
  openReviews(facts: Fact[], child: string, status: { status: Status; start: Day }): { kind: ReviewKind; dueDate: Day; why: string }[] {
    const mine = facts.filter(
      (f): f is Extract<Fact, { type: 'review-scheduled' | 'review-held' }> =>
        (f.type === 'review-scheduled' || f.type === 'review-held') && f.children.includes(child),
    );
    const held = new Set(mine.filter((f) => f.type === 'review-held').map((f) => f.reviewKey));
    const waiting = mine.filter(
      (f): f is Extract<Fact, { type: 'review-scheduled' }> => f.type === 'review-scheduled' && !held.has(f.reviewKey),
    );
    const owed: { kind: ReviewKind; dueDate: Day; why: string }[] = waiting
      .filter((f) => f.kind === 'icpc')
      .map((f) => ({
        kind: f.kind,
        dueDate: this.add(f.anchor, RULES.review.icpc),
        why: `ICPC from the strategy discussion of ${f.anchor}`,
      }));

    const series: Record<Status, ReviewKind> = {
      'child-in-need': 'cin-review',
      'child-protection-plan': 'cp-review',
      'looked-after': 'lac-review',
    };
    const kind = series[status.status];
    const ofPeriod = mine.filter((f) => f.kind === kind && f.date >= status.start);
    const next = waiting.filter((f) => f.kind === kind && f.date >= status.start).at(-1);
    if (next) {
      const sequence = ofPeriod.filter((f) => f.type === 'review-held').length + 1;
      const rule: Period = {
        icpc: RULES.review.icpc,
        'cp-review': sequence === 1 ? RULES.review.cpFirst : RULES.review.cpLater,
        'lac-review': sequence === 1 ? RULES.review.lacFirst : sequence === 2 ? RULES.review.lacSecond : RULES.review.lacLater,
        'cin-review': RULES.review.cin,
      }[kind];
      owed.push({ kind, dueDate: this.add(next.anchor, rule), why: `${kind} ${sequence} from ${next.anchor}` });
    }
    return owed;
  }

  /** Each child's own 26 weeks, from the day they were issued for or joined (domain §9). */
  private proceedingsOf(facts: Fact[], child: string, today: Day) {
    return facts
      .filter(
        (f): f is Extract<Fact, { type: 'proceedings-issued' | 'child-joined-proceedings' }> =>
          (f.type === 'proceedings-issued' && f.children.includes(child)) || (f.type === 'child-joined-proceedings' && f.child === child),
      )
      .map((issue) => {
        const lastDay = this.add(issue.date, RULES.proceedingsLastDay);
        let finalHearing: Day | undefined;
        for (const f of facts) {
          if ((f.type === 'final-hearing-listed' || f.type === 'final-hearing-moved') && f.proceedingsKey === issue.proceedingsKey)
            finalHearing = f.hearingDate;
          if (f.type === 'final-hearing-adjourned' && f.proceedingsKey === issue.proceedingsKey) finalHearing = undefined;
        }
        const warnFrom = this.add(issue.date, RULES.noFinalHearingBy);
        // Once the last day has passed, the drift it projected is real: drift supersedes the projection.
        const projected =
          today > lastDay
            ? undefined
            : finalHearing !== undefined
              ? finalHearing > lastDay
                ? `final hearing ${finalHearing} after the last day ${lastDay}`
                : undefined
              : today >= warnFrom
                ? `no final hearing listed by ${warnFrom}`
                : undefined;
        return { lastDay, projected };
      });
  }
}
