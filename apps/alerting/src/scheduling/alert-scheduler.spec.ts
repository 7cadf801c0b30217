import { Clock, MetricsRegistry } from '@plo/platform';
import type { AlertingEnvironment } from '../alerting.environment';
import { AlertPolicy } from '../domain/alert-policy';
import { AlertScheduler } from './alert-scheduler';

/**
 * A pass that begins before midnight and ends after it has raised nothing of the new day. Its
 * digest used to be planned for the new day anyway, without the alerts the next pass raises, and
 * the day then counted as done: a manager got no digest for it (seen under load in
 * test/alerting-delivery.int-spec.ts when a test clock moved during a pass).
 */
describe('AlertScheduler: the daily digest belongs to the pass that raised the day', () => {
  const beforeMidnight = new Date('2027-03-10T23:59:59.900Z');
  const afterMidnight = new Date('2027-03-11T00:00:00.200Z');

  function schedulerWithClock(instants: Date[]) {
    const planned: string[] = [];
    let call = 0;
    const clock = { now: () => instants[Math.min(call++, instants.length - 1)] } as Clock;
    const unitOfWork = {
      transaction: async (work: (tx: unknown) => unknown) => work({}),
      change: async (_of: unknown, work: (c: unknown) => unknown) => work({ now: clock.now() }),
    };
    const scheduler = new AlertScheduler(
      unitOfWork as never,
      { dueGroups: async () => [] } as never,
      { claimDueEscalations: async () => [] } as never,
      clock,
      { ALERT_SCHEDULER_BATCH_SIZE: 2000, ALERT_DIGEST_ENABLED: true } as AlertingEnvironment,
      AlertPolicy.fromSettings({ warningLeads: '', toTeamManagerWd: 2, toServiceManagerWd: 3 }),
      { raiseDue: async () => ({ claimed: 0, scheduled: 0, raised: [] }), escalate: async () => undefined } as never,
      { planFor: async (_tx: unknown, day: string) => (planned.push(day), 1) } as never,
      {} as never,
      new MetricsRegistry(),
    );
    return { scheduler, planned };
  }

  it('a pass that straddles midnight leaves the new day to the next pass, which raises first', async () => {
    const { scheduler, planned } = schedulerWithClock([beforeMidnight, afterMidnight]);
    await scheduler.runOnce();
    expect(planned).toEqual(['2027-03-10']);
    await scheduler.runOnce();
    expect(planned).toEqual(['2027-03-10', '2027-03-11']);
  });

  it('plans one digest per London day, however many passes', async () => {
    const { scheduler, planned } = schedulerWithClock([afterMidnight]);
    await scheduler.runOnce();
    await scheduler.runOnce();
    expect(planned).toEqual(['2027-03-11']);
  });
});
