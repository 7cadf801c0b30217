import { isLegalDate, NATIONAL_BENCHMARKS } from '@plo/contracts';
import { parseLocalDate, RulePack } from '@plo/timescales';
import { computeKpis } from '../../apps/cases/src/domain/kpis';
import { computePloKpis } from '../../apps/plo/src/domain/plo-kpis';

/** The KPI tables the services answer, with nothing counted: their measures are what a benchmark may name. */
const asOf = parseLocalDate('2024-03-31');
const pack = RulePack.standard();
const tables: Record<string, Record<string, unknown>> = {
  cases: {
    ...computeKpis(
      { asOf, contacts: [], referrals: [], openChildren: [], icpcs: [], assessments: [], section47s: [], supervisionsDue: [] },
      pack.calendar,
    ),
  },
  plo: { ...computePloKpis({ asOf, concludedChildren: [], concludedCases: [], endedPreProceedings: [], openChildren: [] }, pack) },
};

describe('national benchmarks', () => {
  it.each(NATIONAL_BENCHMARKS.map((b) => [`${b.service} ${b.measure} ${b.period}`, b] as const))(
    '%s names a KPI of its service, its value, period, source and dates',
    (_, benchmark) => {
      const measure = tables[benchmark.service]?.[benchmark.measure] as Record<string, unknown> | undefined;
      expect(measure).toBeDefined();
      if (benchmark.basis) expect(measure).toHaveProperty(benchmark.basis);
      expect(Number.isFinite(benchmark.value)).toBe(true);
      expect(['percent', 'weeks']).toContain(benchmark.unit);
      if (benchmark.unit === 'percent') expect(benchmark.value).toBeGreaterThanOrEqual(0);
      if (benchmark.numerator !== undefined && benchmark.denominator !== undefined) {
        // The published share is rounded; its parts must round to it.
        expect(Math.round((100 * benchmark.numerator) / benchmark.denominator)).toBe(benchmark.value);
      }
      for (const text of [benchmark.label, benchmark.area, benchmark.period, benchmark.sourceTitle, benchmark.publisher, benchmark.note])
        expect(text.trim()).not.toBe('');
      expect([benchmark.periodStart, benchmark.periodEnd].every(isLegalDate)).toBe(true);
      expect(benchmark.periodStart < benchmark.periodEnd).toBe(true);
      if (benchmark.published !== null) {
        expect(isLegalDate(benchmark.published)).toBe(true);
        expect(benchmark.published > benchmark.periodEnd).toBe(true);
      }
      if (benchmark.url !== null) expect(new URL(benchmark.url).protocol).toBe('https:');
    },
  );

  it('gives each figure once per measure and period', () => {
    const keys = NATIONAL_BENCHMARKS.map((b) => `${b.service} ${b.measure} ${b.basis ?? ''} ${b.periodStart}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
