import { EventTypes, ObligationScheduledV1, ReviewScheduledV1 } from '@plo/contracts';
import { Change, Transaction } from '@plo/messaging';
import { CaseObligations } from '../case/case-obligations';
import { CaseRow } from '../case/case.store';
import { CouncilRulePacks } from '../council-rules/council-rule-packs';
import { CouncilRulesStore } from '../council-rules/council-rules.store';
import { ReviewSeries } from './review-series';
import { NewReview, ReviewsStore } from './reviews.store';

const row = {
  id: '0b9f1c2e-6a4b-4f61-9d59-7f0c6d7a1a10',
  council_id: 'bury',
  team_id: 'north-1',
  allocated_worker_id: 'sw.alex',
  legal_status: 'looked-after',
} as CaseRow;

describe('ReviewSeries', () => {
  it('announces a review before the obligation that makes it due, both naming the same obligation', async () => {
    const statements: string[] = [];
    const tx: Transaction = {
      inTransaction: true,
      query: async <T>(sql: string) => (statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' ')), [] as T[]),
    };
    const change = new Change(
      tx,
      { source: 'urn:plo:cases', defaultTopic: 'plo.cases.events.v1' },
      row.id,
      { kind: 'user', id: 'sw.alex' },
      new Date('2026-12-07T09:00:00Z'),
    );
    const inserted: NewReview[] = [];
    const reviews = {
      waiting: async () => undefined,
      insert: async (_tx: Transaction, review: NewReview) => void inserted.push(review),
    } as unknown as ReviewsStore;
    const packs = new CouncilRulePacks({ packSource: async () => ({ version: 0, overrides: [] }) } as unknown as CouncilRulesStore);

    const reviewId = await new ReviewSeries(reviews, new CaseObligations(), packs).schedule(
      change,
      row,
      'lac-review',
      1,
      '2026-12-01',
      null,
    );

    const [scheduled, obligation] = change.emitted();
    expect([scheduled.type, obligation.type]).toEqual([EventTypes.reviewScheduled, EventTypes.obligationScheduled]);
    const review = scheduled.data as ReviewScheduledV1;
    expect(review.reviewId).toBe(reviewId);
    expect((obligation.data as ObligationScheduledV1).obligationId).toBe(review.obligationId);
    expect((obligation.data as ObligationScheduledV1).dueDate).toBe(review.dueDate);
    expect(inserted).toEqual([expect.objectContaining({ id: reviewId, obligationId: review.obligationId, dueDate: review.dueDate })]);
    expect(statements).toEqual(['INSERT INTO obligations']);
  });

  describe('the ICPC from the last strategy discussion', () => {
    const waiting = {
      id: 'f3c0a6f4-3c3e-4f44-9a63-2b7c5c0d2a11',
      anchor_date: '2026-11-02',
      due_date: '2026-11-23',
      obligation_id: 'a9e0f1d2-1111-4c1a-8b1a-0c9b7d6e5f41',
    };
    const childId = '5d8a3c2b-7e6f-4a1b-9c0d-1e2f3a4b5c6d';
    const run = async (heldOn: string) => {
      const moves: unknown[][] = [];
      // The ledger's UPDATE finds the obligation still open.
      const tx: Transaction = { inTransaction: true, query: async <T>() => [{ id: waiting.obligation_id }] as T[] };
      const change = new Change(
        tx,
        { source: 'urn:plo:cases', defaultTopic: 'plo.cases.events.v1' },
        row.id,
        { kind: 'user', id: 'sw.alex' },
        new Date('2026-12-01T09:00:00Z'),
      );
      const reviews = {
        waitingWithAnchor: async () => waiting,
        moveDue: async (_tx: Transaction, ...args: unknown[]) => void moves.push(args),
      } as unknown as ReviewsStore;
      const packs = new CouncilRulePacks({ packSource: async () => ({ version: 0, overrides: [] }) } as unknown as CouncilRulesStore);
      const result = await new ReviewSeries(reviews, new CaseObligations(), packs).icpcFromStrategyDiscussion(change, row, childId, heldOn);
      return { result, moves, emitted: change.emitted() };
    };

    it('a later discussion moves the waiting ICPC to 15 working days after it, under the same review and obligation', async () => {
      const { result, moves, emitted } = await run('2026-11-20');
      expect(result).toEqual({ reviewId: waiting.id, dueDate: '2026-12-11', moved: true });
      expect(moves).toEqual([[waiting.id, '2026-11-20', '2026-12-11']]);
      expect(emitted.map((e) => [e.type, (e.data as { dueDate: string }).dueDate])).toEqual([
        [EventTypes.reviewScheduled, '2026-12-11'],
        [EventTypes.obligationScheduled, '2026-12-11'],
      ]);
      expect((emitted[0].data as ReviewScheduledV1).obligationId).toBe(waiting.obligation_id);
      expect((emitted[1].data as ObligationScheduledV1).obligationId).toBe(waiting.obligation_id);
    });

    it('an earlier or same-day discussion recorded late leaves it where it is', async () => {
      for (const heldOn of ['2026-10-30', '2026-11-02']) {
        const { result, moves, emitted } = await run(heldOn);
        expect(result).toEqual({ reviewId: waiting.id, dueDate: '2026-11-23', moved: false });
        expect(moves).toEqual([]);
        expect(emitted).toEqual([]);
      }
    });
  });
});
