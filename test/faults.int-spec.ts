import { anomalies } from './faults/harness';
import { faultScenarios } from './faults/scenarios';

/**
 * Each fault scenario of `npm run faults`, once, through the same harness and checker: the real
 * system loses and duplicates nothing, and the naive control is caught doing both or either.
 */
describe.each(faultScenarios().map((scenario) => [scenario.name, scenario] as const))('fault: %s', (_name, scenario) => {
  const progress = () => undefined;

  beforeAll(() => scenario.setUp(progress), 300_000);
  afterAll(() => scenario.tearDown(), 120_000);

  if (scenario.control) {
    it('is caught applying events twice or losing them', async () => {
      const result = await scenario.run(progress);
      expect(anomalies(scenario, result)).toBeGreaterThan(0);
    }, 180_000);
  } else {
    it('loses nothing and applies nothing twice', async () => {
      const result = await scenario.run(progress);
      for (const effect of result.effects) expect(effect.sent).toBeGreaterThan(0);
      expect(result.effects.filter((effect) => effect.lost > 0 || effect.duplicated > 0)).toEqual([]);
      for (const key of scenario.mustBeZero ?? []) expect({ [key]: result.observations[key] }).toEqual({ [key]: 0 });
      for (const [key, floor] of Object.entries(scenario.mustBeAtLeast ?? {}))
        expect({ [key]: result.observations[key] >= floor }).toEqual({ [key]: true });
      if ('redelivered' in result.observations) expect(result.observations.duplicatesRecognised).toBe(2 * result.observations.redelivered);
    }, 300_000);
  }
});
