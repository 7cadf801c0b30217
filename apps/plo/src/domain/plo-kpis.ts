import { Ratio, ratio } from '@plo/platform';
import { computeDeadline, daysBetween, LocalDate, RulePack } from '@plo/timescales';

const STATUTORY_LIMIT = 'proceedings-26-week-limit';
const PRE_PROCEEDINGS_LIMIT = 'pre-proceedings-limit';

/** From an issue date to the day proceedings concluded (a final order, or the application withdrawn). */
export interface Conclusion {
  issuedOn: LocalDate;
  concludedOn: LocalDate;
}

export interface PloKpiFacts {
  /** The reporting date: the period's last day. */
  asOf: LocalDate;
  /** Each child whose own proceedings concluded in the period, from the child's own issue date. */
  concludedChildren: readonly Conclusion[];
  /** Each set of proceedings whose last child's concluded in the period, from the proceedings' issue to that day. */
  concludedCases: readonly Conclusion[];
  /** Pre-proceedings that ended in the period after their 16 weeks had started (the letter before proceedings). */
  endedPreProceedings: readonly { letterSentOn: LocalDate; endedOn: LocalDate; extended: boolean }[];
  /** Each child in proceedings on `asOf` that had not concluded by then, with their completion date as it stood that day. */
  openChildren: readonly { proceedingsId: string; issuedOn: LocalDate; proceedingsIssuedOn: LocalDate; completionDate: LocalDate }[];
}

/** What a measure means and where its rule comes from, shown beside its figures. */
export interface Definition {
  definition: string;
  source: string;
}

export interface Average {
  /** One decimal place; null when nothing concluded. */
  weeks: number | null;
  count: number;
}

export const AGE_BANDS = ['up-to-20-weeks', 'over-20-up-to-26-weeks', 'over-26-weeks'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export interface AgeBandCount {
  band: AgeBand;
  children: number;
  cases: number;
}

export interface PloKpiReport {
  concludedWithin26Weeks: Definition & { perChild: Ratio; perCase: Ratio };
  averageWeeksToConclusion: Definition & { perChild: Average; perCase: Average };
  preProceedingsWithin16Weeks: Definition & { perCase: Ratio; extended: number };
  openProceedings: Definition & {
    children: number;
    cases: number;
    bands: AgeBandCount[];
    pastCompletionDate: { children: number; cases: number };
  };
}

/**
 * Weeks run from issue to `on`, counted as the statutory 26 weeks are: the issue day is day 1, so a
 * conclusion on the 26-week limit's last day (issue + 181 days) has taken 26.0 weeks, and the next
 * day 26.1.
 */
export function weeksRun(issuedOn: LocalDate, on: LocalDate): number {
  return (daysBetween(issuedOn, on) + 1) / 7;
}

function ageBand(weeks: number): AgeBand {
  if (weeks > 26) return 'over-26-weeks';
  if (weeks > 20) return 'over-20-up-to-26-weeks';
  return 'up-to-20-weeks';
}

function average(conclusions: readonly Conclusion[]): Average {
  if (!conclusions.length) return { weeks: null, count: 0 };
  const days = conclusions.reduce((sum, c) => sum + daysBetween(c.issuedOn, c.concludedOn) + 1, 0);
  return { weeks: Math.round((10 * days) / (7 * conclusions.length)) / 10, count: conclusions.length };
}

/**
 * The PLO's timeliness over a reporting period, per child and per case. "Within 26 weeks" is judged
 * against the statutory limit from issue (Children Act 1989 s.32(1)(a)(ii)), not an extended date,
 * as the national statistics judge it; pre-proceedings against 16 weeks from the letter before
 * proceedings, extended or not.
 */
export function computePloKpis(facts: PloKpiFacts, pack: RulePack): PloKpiReport {
  const statutory = pack.rule(STATUTORY_LIMIT);
  const within26 = (items: readonly Conclusion[]) =>
    ratio(items.filter((c) => c.concludedOn <= computeDeadline(STATUTORY_LIMIT, c.issuedOn, pack).dueDate).length, items.length);
  const ended = facts.endedPreProceedings;
  const endedIn16 = ended.filter((p) => p.endedOn <= computeDeadline(PRE_PROCEEDINGS_LIMIT, p.letterSentOn, pack).dueDate);

  const open = facts.openChildren;
  const openCases = new Map(open.map((child) => [child.proceedingsId, child.proceedingsIssuedOn]));
  const childBands = open.map((child) => ageBand(weeksRun(child.issuedOn, facts.asOf)));
  const caseBands = [...openCases.values()].map((issuedOn) => ageBand(weeksRun(issuedOn, facts.asOf)));
  const late = open.filter((child) => child.completionDate < facts.asOf);

  return {
    concludedWithin26Weeks: {
      definition:
        'Proceedings that concluded in the period (a final order, or the application withdrawn), and the share that concluded ' +
        'within 26 weeks beginning with the day of issue (the issue day is day 1, so the last day is issue + 181 days; an ' +
        "extension granted by the court does not make a later conclusion count as within). Per child: from the child's own " +
        "issue date to the end of the child's own proceedings. Per case: from the proceedings' issue to the day the last of " +
        "its children's proceedings concluded.",
      source: `${statutory.source}; issue and conclusion dates recorded in the PLO service`,
      perChild: within26(facts.concludedChildren),
      perCase: within26(facts.concludedCases),
    },
    averageWeeksToConclusion: {
      definition:
        'The mean number of weeks from issue to conclusion of the proceedings that concluded in the period, counted as the 26 ' +
        'weeks are (the issue day is day 1: concluding on the last day of the 26 weeks is 26.0 weeks), to one decimal place; ' +
        'null when none concluded. Per child and per case as for concludedWithin26Weeks.',
      source: `${statutory.source} (how weeks are counted); issue and conclusion dates recorded in the PLO service`,
      perChild: average(facts.concludedChildren),
      perCase: average(facts.concludedCases),
    },
    preProceedingsWithin16Weeks: {
      definition:
        'Pre-proceedings that ended in the period (stepped down, or a decision to issue proceedings), and the share that ended ' +
        'within 16 weeks of the letter before proceedings (on or before the letter + 16 weeks), extended or not; `extended` ' +
        'counts those whose period was extended for a recorded reason. Pre-proceedings that ended before a letter was sent ' +
        'are not counted: their 16 weeks never started.',
      source: pack.rule(PRE_PROCEEDINGS_LIMIT).source,
      perCase: ratio(endedIn16.length, ended.length),
      extended: ended.filter((p) => p.extended).length,
    },
    openProceedings: {
      definition:
        'Proceedings open on the reporting date (`to`): children issued by then whose own proceedings had not concluded, by ' +
        "the weeks run since their own issue date, and cases (sets of proceedings) by the weeks since the proceedings' issue; " +
        'weeks are counted with the issue day as day 1. pastCompletionDate: children past their completion date as it stood ' +
        'on `to` (the 26 weeks, or the end of an extension granted by then), and the cases with such a child.',
      source: `${statutory.source}; extensions s.32(5)–(8); the 20-week band: the default "no final hearing listed by week 20" warning`,
      children: open.length,
      cases: openCases.size,
      bands: AGE_BANDS.map((band) => ({
        band,
        children: childBands.filter((b) => b === band).length,
        cases: caseBands.filter((b) => b === band).length,
      })),
      pastCompletionDate: { children: late.length, cases: new Set(late.map((child) => child.proceedingsId)).size },
    },
  };
}
