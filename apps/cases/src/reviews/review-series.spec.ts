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
});
