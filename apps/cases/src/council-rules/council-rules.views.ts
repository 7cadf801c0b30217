import { ApiProperty } from '@nestjs/swagger';
import { RULE_CHANGES } from '@plo/contracts';
import { ANCHOR_LABELS, COUNTINGS, Counting, DIRECTIONS, RuleKind, RuleMarks, TIME_UNITS, TimeUnit } from '@plo/timescales';

const RULE_KINDS: readonly RuleKind[] = ['statutory', 'local'];
const RULE_MARKS: readonly RuleMarks[] = ['deadline', 'earliest', 'warning'];

export class RulePeriodView {
  @ApiProperty({ example: 20 }) offset: number;
  @ApiProperty({ enum: TIME_UNITS }) unit: TimeUnit;
  @ApiProperty({ enum: COUNTINGS }) counting: Counting;
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
  @ApiProperty({ description: 'The figure is widely used but its primary text was not seen: confirm it before relying on it' })
  verify: boolean;
  @ApiProperty({ description: 'Whether the council may change it' }) changeable: boolean;
  @ApiProperty({ description: 'Whether the council changed it' }) overridden: boolean;
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

/** One rule as it is after a change, with the rule set's new version. */
export class ChangedRuleView {
  @ApiProperty({ example: 'bury' }) councilId: string;
  @ApiProperty({ description: "The rule set's version after the change; sent as the ETag" }) version: number;
  @ApiProperty({ type: RuleView }) rule: RuleView;
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
}
