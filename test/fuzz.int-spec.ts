import { ServiceName, TestStack } from '@plo/testing';
import { DatabaseWatcher, differences } from './fuzz/checks';
import { CampaignResult, fetchOperations, prepareWorld, runCampaign, summary } from './fuzz/campaign';
import type { Operation } from './fuzz/openapi';
import type { PersonaName, World } from './fuzz/world';

/**
 * Our own fuzzer, small and with a fixed seed (`npm run fuzz` is the same at scale): requests for
 * every operation the services' OpenAPI documents declare, valid-looking and hostile, as six
 * personas. No answer may be a 5xx or show internals; a batch of refused requests may write
 * nothing; a 403 for a record the caller may not see must have been a 404.
 */
describe('fuzzing every operation of every service', () => {
  const SEED = 20_261_206;
  const stack = new TestStack();
  const urls = {} as Record<ServiceName, string>;
  const logs = {} as Record<ServiceName, () => string>;
  let operations: Operation[];
  let world: World;
  let personas: Record<PersonaName, Record<string, string>>;
  let result: CampaignResult;

  beforeAll(async () => {
    // Minting first creates the development key file, before any service reads it.
    await stack.token({ subject: 'fuzz', councilId: 'none', roles: [] });
    const started = await Promise.all((['cases', 'plo', 'alerting'] as const).map((name) => stack.service(name).start()));
    for (const service of started) {
      urls[service.name] = service.url;
      logs[service.name] = () => service.logs;
    }
    operations = await fetchOperations(urls);
    ({ world, personas } = await prepareWorld({ stack, urls }));
  }, 120_000);
  afterAll(() => stack.stop(), 60_000);

  it('the write check sees a write, an update as well as an insert, once the system has settled', async () => {
    const watcher = new DatabaseWatcher({ alerting: stack.connectionString('alerting') });
    await watcher.connect();
    try {
      const put = (serviceManagerId: string) =>
        fetch(`${urls.alerting}/admin/teams/east-9`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...personas.administrator },
          body: JSON.stringify({ serviceManagerId }),
        });
      const before = (await watcher.settled())!;
      expect((await put('sm.one')).status).toBeLessThan(300);
      const inserted = (await watcher.settled())!;
      expect(differences(before, inserted)).toContainEqual(expect.stringMatching(/^alerting\.team_directory: \d+ → \d+ rows$/));
      expect((await put('sm.two')).status).toBeLessThan(300);
      expect(differences(inserted, (await watcher.settled())!)).toContainEqual(
        expect.stringMatching(/^alerting\.team_directory: contents changed/),
      );
    } finally {
      await watcher.close();
    }
  }, 60_000);

  it('answers every generated request without a 5xx, internals, a write after a 4xx or a 403 leak', async () => {
    result = await runCampaign({ stack, urls, logs }, world, personas, operations, {
      seed: SEED,
      requests: 4000,
      timeLimitMs: 60_000,
      batchSize: 100,
    });
    console.log(summary(result));
    expect(result.coverage.reached).toBe(operations.length);
    // Every body and query is in the documents: the fuzzer, like any client, builds requests from them alone.
    expect(result.undocumented).toEqual([]);
    expect(result.batches.checked).toBeGreaterThan(0);
    expect({
      serverErrors: result.serverErrors,
      internalsShown: result.internalsShown,
      noAnswer: result.noAnswer,
      writesAfter4xx: result.writesAfter4xx,
      leaks: result.leaks,
    }).toEqual({ serverErrors: [], internalsShown: [], noAnswer: [], writesAfter4xx: [], leaks: [] });
  }, 120_000);
});
