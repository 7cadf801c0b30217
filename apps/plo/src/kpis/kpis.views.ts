import { ApiProperty } from '@nestjs/swagger';
import { RatioView } from '@plo/platform';
import { AGE_BANDS, AgeBand } from '../domain/plo-kpis';

abstract class MeasureView {
  @ApiProperty({ description: 'What is counted, and how; to show beside the figures' }) definition: string;
  @ApiProperty({ description: 'Where the rule measured comes from, and the data' }) source: string;
}

export class AverageWeeksView {
  @ApiProperty({ type: Number, nullable: true, example: 31.7, description: 'One decimal place; null when none concluded' })
  weeks: number | null;
  @ApiProperty({ description: 'How many were averaged' }) count: number;
}

export class ConcludedWithin26WeeksView extends MeasureView {
  @ApiProperty({ type: RatioView, description: 'Children, each from their own issue date' }) perChild: RatioView;
  @ApiProperty({ type: RatioView, description: 'Sets of proceedings, concluded with their last child' }) perCase: RatioView;
}

export class AverageWeeksToConclusionView extends MeasureView {
  @ApiProperty({ type: AverageWeeksView }) perChild: AverageWeeksView;
  @ApiProperty({ type: AverageWeeksView }) perCase: AverageWeeksView;
}

export class PreProceedingsWithin16WeeksView extends MeasureView {
  @ApiProperty({ type: RatioView, description: 'Pre-proceedings (one per case) that ended in the period' }) perCase: RatioView;
  @ApiProperty({ description: 'Of those that ended, how many had their period extended' }) extended: number;
}

export class AgeBandView {
  @ApiProperty({ enum: AGE_BANDS, description: 'Weeks run on the reporting date, the issue day as day 1' }) band: AgeBand;
  @ApiProperty() children: number;
  @ApiProperty() cases: number;
}

export class ChildrenAndCasesView {
  @ApiProperty() children: number;
  @ApiProperty() cases: number;
}

export class OpenProceedingsView extends MeasureView {
  @ApiProperty({ description: 'Children in proceedings on the reporting date' }) children: number;
  @ApiProperty({ description: 'Sets of proceedings open on the reporting date' }) cases: number;
  @ApiProperty({ type: [AgeBandView], description: 'Every band, in order, zeros included' }) bands: AgeBandView[];
  @ApiProperty({ type: ChildrenAndCasesView, description: 'Past their completion date (26 weeks, or as extended by then)' })
  pastCompletionDate: ChildrenAndCasesView;
}

export class PloKpiReportView {
  @ApiProperty({ example: 'bury' }) councilId: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for the whole council' }) teamId: string | null;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date', description: 'The reporting date' }) to: string;
  @ApiProperty({ type: ConcludedWithin26WeeksView }) concludedWithin26Weeks: ConcludedWithin26WeeksView;
  @ApiProperty({ type: AverageWeeksToConclusionView }) averageWeeksToConclusion: AverageWeeksToConclusionView;
  @ApiProperty({ type: PreProceedingsWithin16WeeksView }) preProceedingsWithin16Weeks: PreProceedingsWithin16WeeksView;
  @ApiProperty({ type: OpenProceedingsView }) openProceedings: OpenProceedingsView;
}
