import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { PLO_MIGRATIONS } from '../apps/plo/src/app.module';
import { request } from './api';
import { COUNCIL, PERSONAS } from './plo-support';

const PER_CHILD_MIGRATION = 'PloPerChild1764100000610';
const BACKFILL = { kind: 'system', id: 'plo-legal-involvement-backfill' };

/**
 * A PLO database from before issue 15 (one truth per child), upgraded: the records it held keep
 * their meaning per child, and their legal involvement, which that release never announced, is
 * announced once, at the first start, through the outbox.
 */
describe('PLO upgraded to one truth per child', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  afterAll(() => stack.stop(), 60_000);

  const [concludedCase, openCase] = [randomUUID(), randomUUID()];
  const [concluded, running, preProceedings, gatewayOnly] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];

  const involvementEvents = async () =>
    (await stack.readTopic(Topics.proceedingsEvents))
      .map((message) => JSON.parse(message.value))
      .filter((event) => [EventTypes.legalInvolvementStarted, EventTypes.legalInvolvementEnded].includes(event.type));

  it('keeps each child of existing proceedings with its issue date and end, and announces every involvement once', async () => {
    const url = stack.ensureDatabase('plo');
    const before = new DataSource({
      type: 'postgres',
      url,
      // The schema before issue 15: everything up to its first migration.
      migrations: PLO_MIGRATIONS.slice(
        0,
        PLO_MIGRATIONS.findIndex((migration) => migration.name === PER_CHILD_MIGRATION),
      ),
      migrationsTransactionMode: 'each',
    });
    await before.initialize();
    await before.runMigrations();
    for (const caseId of [concludedCase, openCase])
      await before.query(
        `INSERT INTO known_cases (case_id, council_id, case_reference, team_id, allocated_worker_id) VALUES ($1, $2, $3, 'north-1', 'sw.alex')`,
        [caseId, COUNCIL, `UP-${caseId.slice(0, 8)}`],
      );
    // Pre-proceedings that ended in issue, then proceedings for two children that ended with a final order.
    await before.query(
      `INSERT INTO pre_proceedings (id, case_id, decided_on, decision, status, letter_sent_on, outcome, outcome_on)
       VALUES ($1, $2, '2024-09-02', 'pre-proceedings', 'issued', '2024-09-04', 'issue', '2025-01-03'),
              ($3, $4, '2024-10-01', 'continue-plan', 'continue-plan', NULL, NULL, NULL)`,
      [preProceedings, concludedCase, gatewayOnly, openCase],
    );
    await before.query(
      `INSERT INTO proceedings (id, case_id, court, court_case_number, issued_on, submitted_on, stage, stage_entered_on, concluded_on,
                                no_final_hearing_warning_on, no_final_hearing_warning_week)
       VALUES ($1, $2, 'Test Family Court', $3, '2025-01-06', '2025-01-06', 'final-order', '2025-05-01', '2025-05-01', '2025-05-26', 20),
              ($4, $5, 'Test Family Court', $6, '2025-02-03', '2025-02-03', 'gatekeeping', '2025-02-04', NULL, '2025-06-23', 20)`,
      [concluded, concludedCase, `UP${concluded.slice(0, 8)}`, running, openCase, `UP${running.slice(0, 8)}`],
    );
    await before.query(
      `INSERT INTO child_clocks (proceedings_id, child_id, obligation_id, completion_date, original_completion_date, hmcts_display_date)
       VALUES ($1, $2, $3, '2025-07-06', '2025-07-06', '2025-07-07'), ($1, $4, $5, '2025-07-06', '2025-07-06', '2025-07-07'),
              ($6, $7, $8, '2025-08-03', '2025-08-03', '2025-08-04')`,
      [concluded, first, randomUUID(), second, randomUUID(), running, third, randomUUID()],
    );
    await before.destroy();

    plo = stack.service('plo');
    const [legal] = await Promise.all([stack.as(PERSONAS.legal), plo.start()]);
    const [{ name }] = await stack.sql<{ name: string }>('plo', 'SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
    expect(name).toBe(PLO_MIGRATIONS.at(-1)!.name);

    const record = (await request('GET', `${plo.url}/proceedings/${concluded}`, undefined, legal)).body;
    expect(record.children.map((c: any) => [c.childId, c.issuedOn, c.status, c.outcome, c.concludedOn, c.orders])).toEqual(
      [first, second].sort().map((childId) => [childId, '2025-01-06', 'concluded', 'final-order', '2025-05-01', []]),
    );
    const open = (await request('GET', `${plo.url}/proceedings/${running}`, undefined, legal)).body;
    expect(open.children.map((c: any) => [c.childId, c.issuedOn, c.status])).toEqual([[third, '2025-02-03', 'open']]);

    const announced = await eventually(involvementEvents, (events) => events.length >= 11, 30_000, 'the backfill on the topic');
    expect(announced.every((event) => event.actor.kind === BACKFILL.kind && event.actor.id === BACKFILL.id)).toBe(true);
    const summary = (event: any) => [
      event.subject,
      event.type === EventTypes.legalInvolvementStarted ? 'started' : 'ended',
      event.data.childId,
      event.data.involvement,
      event.data.involvementId,
      event.data.startDate ?? event.data.endDate,
    ];
    // The children of a case PLO knew before this release are those it held in proceedings: they were in its pre-proceedings too.
    expect(announced.filter((event) => event.subject === concludedCase).map(summary)).toEqual([
      ...[first, second].sort().flatMap((childId) => [
        [concludedCase, 'started', childId, 'pre-proceedings', preProceedings, '2024-09-02'],
        [concludedCase, 'ended', childId, 'pre-proceedings', preProceedings, '2025-01-03'],
      ]),
      ...[first, second].sort().flatMap((childId) => [
        [concludedCase, 'started', childId, 'care-proceedings', concluded, '2025-01-06'],
        [concludedCase, 'ended', childId, 'care-proceedings', concluded, '2025-05-01'],
      ]),
    ]);
    // A gateway decision to continue the plan involved legal for the day it was made.
    expect(announced.filter((event) => event.subject === openCase).map(summary)).toEqual([
      [openCase, 'started', third, 'pre-proceedings', gatewayOnly, '2024-10-01'],
      [openCase, 'ended', third, 'pre-proceedings', gatewayOnly, '2024-10-01'],
      [openCase, 'started', third, 'care-proceedings', running, '2025-02-03'],
    ]);

    // Started again, there is nothing left to announce.
    await plo.kill();
    await plo.start();
    expect((await request('GET', `${plo.url}/proceedings/${running}`, undefined, legal)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await involvementEvents()).toHaveLength(announced.length);
    const [{ due }] = await stack.sql<{ due: string }>(
      'plo',
      `SELECT (SELECT count(*) FROM child_clocks WHERE involvement_backfill_due) + (SELECT count(*) FROM pre_proceedings WHERE involvement_backfill_due) AS due`,
    );
    expect(Number(due)).toBe(0);
  }, 180_000);
});
