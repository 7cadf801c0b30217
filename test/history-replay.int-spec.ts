import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventTypes } from '@plo/contracts';
import { OutboxWriter, serviceMigrations, UnitOfWork } from '@plo/messaging';
import { obligationOutcomesOnly } from '@plo/obligations';
import { Clock } from '@plo/platform';

/**
 * The history replay an import uses, against a real PostgreSQL: the services' own changes join one
 * transaction, a failing row is rolled back alone, and only each obligation's outcome reaches the outbox.
 */
describe('UnitOfWork.history: replaying history in one transaction', () => {
  const database = `history_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const adminUrl = process.env.PG_ADMIN_URL!;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  const actor = { kind: 'user' as const, id: 'importer' };
  const caseId = randomUUID();

  beforeAll(async () => {
    execFileSync('psql', [adminUrl, '-Atqc', `CREATE DATABASE ${database}`]);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    dataSource = new DataSource({ type: 'postgres', url: url.toString(), migrations: serviceMigrations([]) });
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.query('CREATE TABLE facts (id text PRIMARY KEY)');
    unitOfWork = new UnitOfWork(dataSource, new OutboxWriter(), new Clock(), {
      source: 'urn:plo:cases',
      defaultTopic: 'plo.cases.events.v1',
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    execFileSync('psql', [adminUrl, '-Atqc', `DROP DATABASE IF EXISTS ${database}`]);
  });

  const scheduled = (obligationId: string, dueDate: string) => ({
    obligationId,
    caseId,
    councilId: 'bury',
    kind: 'visit',
    ruleId: 'cin-visit',
    dueDate,
    explanation: 'CIN visit',
    responsible: { teamId: 'north-1', workerId: 'sw.alex' },
  });

  it('keeps the good rows, undoes a failed one alone, and writes only each obligation outcome', async () => {
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    const outcomes = await unitOfWork.history(obligationOutcomesOnly, async (history) => [
      await history.step(() =>
        unitOfWork.change({ subject: caseId, actor }, async (change) => {
          await change.query(`INSERT INTO facts VALUES ('visit-1')`);
          change.emit(EventTypes.obligationScheduled, scheduled(first, '2026-01-10'));
        }),
      ),
      await history.step(() =>
        unitOfWork.change({ subject: caseId, actor }, async (change) => {
          await change.query(`INSERT INTO facts VALUES ('visit-2')`);
          change.emit(EventTypes.obligationSatisfied, { obligationId: first, caseId, satisfiedOn: '2026-01-20' });
          change.emit(EventTypes.obligationScheduled, scheduled(second, '2026-03-01'));
        }),
      ),
      await history.step(() =>
        unitOfWork.change({ subject: caseId, actor }, async (change) => {
          change.emit(EventTypes.obligationScheduled, scheduled(third, '2026-04-01'));
          // The row breaks a rule the database enforces: it and its event go, the others stay.
          await change.query(`INSERT INTO facts VALUES ('visit-1')`);
        }),
      ),
      // Reads inside the replay see its own writes: they share its transaction.
      await history.step(() => unitOfWork.transaction((tx) => tx.query<{ n: string }>('SELECT count(*) AS n FROM facts'))),
    ]);

    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
    expect((outcomes[3] as { value: { n: string }[] }).value[0].n).toBe('2');
    expect((await dataSource.query('SELECT id FROM facts ORDER BY id')).map((r: { id: string }) => r.id)).toEqual(['visit-1', 'visit-2']);
    const written: { event_type: string; value: string }[] = await dataSource.query(
      `SELECT event_type, value FROM outbox ORDER BY position`,
    );
    const summary = written.map((row) => {
      const data = (JSON.parse(row.value) as { data: { obligationId: string; historical?: boolean } }).data;
      return [row.event_type, data.obligationId, data.historical ?? null];
    });
    expect(summary).toEqual([
      [EventTypes.obligationScheduled, first, true],
      [EventTypes.obligationSatisfied, first, true],
      [EventTypes.obligationScheduled, second, null],
    ]);
  });

  it('refuses a replay inside another', async () => {
    await expect(
      unitOfWork.history(obligationOutcomesOnly, () => unitOfWork.history(obligationOutcomesOnly, async () => 1)),
    ).rejects.toThrow(/cannot contain another/);
  });
});
