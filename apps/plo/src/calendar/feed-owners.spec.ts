import { UnitOfWork } from '@plo/messaging';
import { Clock, Principal } from '@plo/platform';
import { FeedOwners } from './feed-owners';

describe('FeedOwners', () => {
  const worker: Principal = {
    subject: 'sw.alex',
    kind: 'user',
    councilId: 'c1',
    teamIds: ['north-1', 'east-3'],
    roles: ['social-worker'],
    scopes: [],
  };
  let writes: unknown[][];
  let clock: Clock;
  let owners: FeedOwners;

  beforeEach(() => {
    writes = [];
    clock = new Clock(true);
    const unitOfWork = {
      transaction: (work: (tx: unknown) => unknown) => work({ query: async (_sql: string, p: unknown[]) => writes.push(p) }),
    };
    owners = new FeedOwners(unitOfWork as unknown as UnitOfWork, clock);
  });

  it('writes a person’s rights once while they stay the same, and again when they change', async () => {
    await owners.seen(worker);
    await owners.seen({ ...worker, teamIds: ['east-3', 'north-1'] });
    expect(writes).toHaveLength(1);
    await owners.seen({ ...worker, teamIds: ['south-2'] });
    expect(writes.map((p) => p.slice(0, 3))).toEqual([
      ['c1', 'sw.alex', ['north-1', 'east-3']],
      ['c1', 'sw.alex', ['south-2']],
    ]);
  });

  it('writes unchanged rights again after a while, so that the feed knows its owner is still around', async () => {
    await owners.seen(worker);
    clock.advance(11 * 60_000);
    await owners.seen(worker);
    expect(writes).toHaveLength(2);
  });

  it('keeps each council apart: the same subject elsewhere is another person', async () => {
    await owners.seen(worker);
    await owners.seen({ ...worker, councilId: 'c2' });
    await owners.seen(worker);
    expect(writes.map((p) => p[0])).toEqual(['c1', 'c2']);
  });
});
