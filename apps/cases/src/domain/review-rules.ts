import { ReviewKind } from '@plo/contracts';

/** What each kind of review or conference can decide. An ICPC's outcome feeds the KPI table. */
export const REVIEW_OUTCOMES: Record<ReviewKind, readonly string[]> = {
  icpc: ['plan', 'no-plan'],
  'cp-review': ['plan-continues', 'plan-ended'],
  'lac-review': ['care-plan-endorsed', 'care-plan-changed', 'ceased-looked-after'],
  'cin-review': ['plan-continues', 'plan-ended', 'stepped-up'],
  'core-group': ['plan-continues', 'plan-ended'],
};

export const ALL_REVIEW_OUTCOMES = [...new Set(Object.values(REVIEW_OUTCOMES).flat())];

/** The date each kind counts from, as the API explains it to the caller. */
export const REVIEW_ANCHORS: Record<ReviewKind, string> = {
  icpc: 'the strategy discussion',
  'cp-review': 'the ICPC (first review) or the last review conference',
  'lac-review': 'the day the child became looked after (first review) or the last looked-after review',
  'cin-review': 'the last CIN review, or the start of the child in need plan',
  'core-group': 'the ICPC (first core group) or the last core group',
};

/** The timescale rule for the n-th review of a series (Working Together; Care Planning Regs reg 33; local CIN cadence). */
export function reviewRuleId(kind: ReviewKind, sequence: number): string {
  switch (kind) {
    case 'icpc':
      return 'icpc';
    case 'cp-review':
      return sequence === 1 ? 'first-review-conference' : 'later-review-conference';
    case 'lac-review':
      return sequence === 1 ? 'lac-review-first' : sequence === 2 ? 'lac-review-second' : 'lac-review-later';
    case 'cin-review':
      return 'cin-review';
    case 'core-group':
      return sequence === 1 ? 'first-core-group' : 'core-group-interval';
  }
}

/**
 * The reviews that a held one makes due, counted from the day it was held; none when the outcome
 * ends the series (no protection plan, plan ended, child no longer looked after…). An ICPC that makes
 * a plan starts two series: review conferences and core groups (Working Together 2023).
 */
export function nextReviewsAfter(kind: ReviewKind, sequence: number, outcome: string): { kind: ReviewKind; sequence: number }[] {
  switch (kind) {
    case 'icpc':
      return outcome === 'plan'
        ? [
            { kind: 'cp-review', sequence: 1 },
            { kind: 'core-group', sequence: 1 },
          ]
        : [];
    case 'cp-review':
    case 'cin-review':
    case 'core-group':
      return outcome === 'plan-continues' ? [{ kind, sequence: sequence + 1 }] : [];
    case 'lac-review':
      return outcome === 'ceased-looked-after' ? [] : [{ kind, sequence: sequence + 1 }];
  }
}

/** A child protection plan ended at a review conference: the core groups that were to support it end with it. */
export function seriesEndedBy(kind: ReviewKind, outcome: string): ReviewKind[] {
  return kind === 'cp-review' && outcome === 'plan-ended' ? ['core-group'] : [];
}
