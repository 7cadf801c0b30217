import { ApiProperty } from '@nestjs/swagger';
import { RULE_CHANGES } from '@plo/contracts';
import {
  ANCHOR_LABELS,
  COUNTINGS,
  Counting,
  DIRECTIONS,
  RULE_AUTHORITIES,
  RuleAuthority,
  RuleKind,
  RuleMarks,
  TIME_UNITS,
  TimeUnit,
} from '@plo/timescales';

const RULE_KINDS: readonly RuleKind[] = ['statutory', 'local'];
const RULE_MARKS: readonly RuleMarks[] = ['deadline', 'earliest', 'warning'];

export class RulePeriodView {
  @ApiProperty({ example: 20 }) offset: number;
  @ApiProperty({ enum: TIME_UNITS }) unit: TimeUnit;
  @ApiProperty({ enum: COUNTINGS }) counting: Counting;
}

export class RuleLimitView {
  @ApiProperty({ example: 'proceedings-26-week-limit' }) ruleId: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'Children Act 1989 s.32(1)(a)(ii)' }) source: string;
  @ApiProperty({ enum: RULE_AUTHORITIES }) authority: RuleAuthority;
}

export class RuleView {
  @ApiProperty({ example: 'cp-visit' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: RULE_KINDS, description: 'Only a local rule may be changed by the council' }) kind: RuleKind;
  @ApiProperty({ enum: Object.keys(ANCHOR_LABELS), description: 'The event the period counts from' }) anchor: string;
  @ApiProperty({ enum: DIRECTIONS }) direction: string;
  @ApiProperty() offset: number;
  @ApiProperty({ enum: TIME_UNITS }) unit: TimeUnit;
  @ApiProperty({ enum: COUNTINGS }) counting: Counting;
  @ApiProperty({ enum: RULE_MARKS, description: 'What the computed date is: a deadline, the earliest date, or a warning' })
  marks: RuleMarks;
  @ApiProperty({ description: 'The citation shown with every due date computed from the rule' }) source: string;
  @ApiProperty({
    enum: RULE_AUTHORITIES,
    description:
      "Where the due date's force comes from: an Act or regulations ('statute'), statutory guidance, a practice direction or HMCTS practice ('guidance'), or the council's own rule ('local')",
  })
  authority: RuleAuthority;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '16:00',
    description: 'Europe/London time of day the act is due by on the due date (overdue from that instant); null: by the end of the day',
  })
  timeOfDay: string | null;
  @ApiProperty({ description: 'The figure is widely used but its primary text was not seen: confirm it before relying on it' })
  verify: boolean;
  @ApiProperty({ description: 'Whether the council may change it' }) changeable: boolean;
  @ApiProperty({ description: 'Whether the council changed it' }) overridden: boolean;
  @ApiProperty({
    type: RuleLimitView,
    nullable: true,
    description: 'The national limit on the same duty that a council override may not run past (refused with 422); null when none',
  })
  cappedBy: RuleLimitView | null;
  @ApiProperty({ type: RulePeriodView }) nationalDefault: RulePeriodView;
  @ApiProperty({ type: String, nullable: true, description: 'Who made the council’s change; null for the national default' })
  changedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) changedAt: string | null;
}

export class EffectiveRulesView {
  @ApiProperty({ example: 'bury' }) councilId: string;
  @ApiProperty({ description: "The rule set's version (0 until the council's first change); sent as the ETag" }) version: number;
  @ApiProperty({ type: [RuleView] }) rules: RuleView[];
}

class ObligationCounts {
  @ApiProperty({ description: 'Open obligations governed by the rule whose due date moves (moved, after a change)' })
  obligationsMoved: number;
  @ApiProperty({ description: 'Open obligations governed by the rule whose due date stays the same' }) obligationsUnchanged: number;
  @ApiProperty({
    description: 'Open obligations governed by the rule scheduled before the day each was counted from was kept: they keep their due date',
  })
  obligationsWithoutAnchor: number;
}

/** One rule as it is after a change, with the rule set's new version and what it did to open obligations. */
export class ChangedRuleView extends ObligationCounts {
  @ApiProperty({ example: 'bury' }) councilId: string;
  @ApiProperty({ description: "The rule set's version after the change; sent as the ETag" }) version: number;
  @ApiProperty({ type: RuleView }) rule: RuleView;
}

export class ObligationMoveView {
  @ApiProperty({ format: 'uuid' }) obligationId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) childId: string | null;
  @ApiProperty({ example: 'visit' }) kind: string;
  @ApiProperty({ format: 'date', description: 'The due date it has now' }) dueDate: string;
  @ApiProperty({ format: 'date', description: 'The due date the change would give it' }) newDueDate: string;
  @ApiProperty({ description: 'How the new due date is computed' }) newExplanation: string;
}

/** What a change of a rule would do, computed as the change would and written nowhere. */
export class RuleChangePreviewView extends ObligationCounts {
  @ApiProperty({ example: 'bury' }) councilId: string;
  @ApiProperty({ example: 'cp-visit' }) ruleId: string;
  @ApiProperty({ enum: RULE_CHANGES }) change: (typeof RULE_CHANGES)[number];
  @ApiProperty({ type: RulePeriodView }) period: RulePeriodView;
  @ApiProperty({ type: RulePeriodView }) previousPeriod: RulePeriodView;
  @ApiProperty({ type: [ObligationMoveView], description: 'Every open obligation that would move, soonest first' })
  obligations: ObligationMoveView[];
}

export class RuleChangeView {
  @ApiProperty({ description: "The rule set's version this change made" }) version: number;
  @ApiProperty({ example: 'cp-visit' }) ruleId: string;
  @ApiProperty({ enum: RULE_CHANGES }) change: (typeof RULE_CHANGES)[number];
  @ApiProperty({ type: RulePeriodView }) period: RulePeriodView;
  @ApiProperty({ type: RulePeriodView }) previousPeriod: RulePeriodView;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() changedBy: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ description: 'Open obligations the change moved to a new due date (0 for changes made before changes recomputed them)' })
  obligationsMoved: number;
}
