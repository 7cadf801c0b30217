import { ConflictException, HttpException, PreconditionFailedException } from '@nestjs/common';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { etagOf } from '../domain/concurrency';
import { CaseChanges } from './case-changes';
import { CaseRow, CaseStore } from './case.store';

const caseId = '0b9f1c2e-6a4b-4f61-9d59-7f0c6d7a1a10';
const actor = { kind: 'user' as const, id: 'tm.sam' };
const producer = { source: 'urn:plo:cases', defaultTopic: 'plo.cases.events.v1' };

function caseRow(overrides: Partial<CaseRow> = {}): CaseRow {
  return {
    id: caseId,
    council_id: 'bury',
    case_reference: 'BC-1',
    team_id: 'north-1',
    allocated_worker_id: 'sw.alex',
    team_manager_id: null,
    legal_lead_id: null,
    legal_status: 'child-in-need',
    opened_on: '2026-11-02',
    closed_on: null,
    closure_reason: null,
    version: 3,
    ...overrides,
  } as CaseRow;
}

/** A case store over one row that records, in order, what was done to it. */
function setUp(row: CaseRow) {
  const steps: string[] = [];
  const store = {
    load: async (_tx: Transaction, id: string, forUpdate: boolean) => (steps.push(`load ${id}${forUpdate ? ' for update' : ''}`), row),
    bumpVersion: async (_tx: Transaction, id: string) => void steps.push(`bump ${id}`),
  } as unknown as CaseStore;
  const subjects: string[] = [];
  const unitOfWork = {
    change: async <T>(of: { subject: string }, work: (change: Change) => Promise<T>) => {
      subjects.push(of.subject);
      const tx: Transaction = { inTransaction: true, query: async <R>() => [] as R[] };
      return work(new Change(tx, producer, of.subject, actor, new Date('2026-12-07T09:00:00Z')));
    },
  } as unknown as UnitOfWork;
  return { changes: new CaseChanges(unitOfWork, store), steps, subjects };
}

describe('CaseChanges: every change of an existing case', () => {
  it('locks the case row first and bumps its version before the work, so the record it answers with has the new version', async () => {
    const { changes, steps, subjects } = setUp(caseRow());
    const result = await changes.change(caseId, actor, { ifMatch: etagOf(3), versionRequired: true }, async (change, row) => {
      steps.push('work');
      change.emit('case-details-changed.v1', { caseId });
      return { row, emitted: change.emitted().map((event) => event.subject) };
    });
    expect(steps).toEqual([`load ${caseId} for update`, `bump ${caseId}`, 'work']);
    expect(subjects).toEqual([caseId]);
    expect(result.row.version).toBe(3);
    expect(result.emitted).toEqual([caseId]);
  });

  it('refuses an edit without If-Match (428) or with a stale one (412), and does no work', async () => {
    const { changes, steps } = setUp(caseRow());
    const work = jest.fn();
    await expect(changes.change(caseId, actor, { ifMatch: undefined, versionRequired: true }, work)).rejects.toMatchObject({ status: 428 });
    await expect(changes.change(caseId, actor, { ifMatch: etagOf(2), versionRequired: true }, work)).rejects.toBeInstanceOf(
      PreconditionFailedException,
    );
    expect(work).not.toHaveBeenCalled();
    expect(steps.filter((step) => step.startsWith('bump'))).toEqual([]);
  });

  it('lets an append omit If-Match', async () => {
    const { changes } = setUp(caseRow());
    await expect(changes.change(caseId, actor, { ifMatch: undefined, versionRequired: false }, async () => 'done')).resolves.toBe('done');
  });

  it('refuses any change of a closed case, after the version check', async () => {
    const { changes } = setUp(caseRow({ closed_on: '2026-11-30' as CaseRow['closed_on'] }));
    const closedRefusal = changes.change(caseId, actor, { ifMatch: etagOf(3), versionRequired: false }, async () => 'never');
    await expect(closedRefusal).rejects.toBeInstanceOf(ConflictException);
    await expect(closedRefusal).rejects.toThrow(`case ${caseId} is closed (since 2026-11-30); reopen it before changing it`);
    await expect(changes.change(caseId, actor, { ifMatch: etagOf(2), versionRequired: false }, async () => 'never')).rejects.toBeInstanceOf(
      PreconditionFailedException,
    );
  });

  it('answers a second closing with "already closed", whatever If-Match it carries', async () => {
    const { changes } = setUp(caseRow({ closed_on: '2026-11-30' as CaseRow['closed_on'] }));
    const closing = changes.change(caseId, actor, { ifMatch: etagOf(2), versionRequired: false, closing: true }, async () => 'never');
    await expect(closing).rejects.toThrow(`case ${caseId} is already closed (since 2026-11-30)`);
    await expect(closing).rejects.toBeInstanceOf(HttpException);
  });
});
