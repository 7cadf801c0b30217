import benchmarks from './national-benchmarks.json';

/**
 * A national figure to show beside a council's own KPI, with where it comes from. Only figures read in
 * a source that can be cited are listed; `measure` is the KPI's key in the `service`'s GET /kpis answer.
 */
export interface NationalBenchmark {
  measure: string;
  service: 'cases' | 'plo';
  /** For a KPI reported per child and per case: which of the two the figure compares with. */
  basis?: 'perChild' | 'perCase';
  /** What the publisher calls the figure. */
  label: string;
  value: number;
  unit: 'percent' | 'weeks';
  numerator?: number;
  denominator?: number;
  area: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  sourceTitle: string;
  publisher: string;
  url: string | null;
  /** The day the source was published; null when it was not seen. */
  published: string | null;
  /** How the figure compares with the service's own measure. */
  note: string;
}

export const NATIONAL_BENCHMARKS = benchmarks as readonly NationalBenchmark[];
