import { EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, request } from './api';
import { alertsOf, setClock } from './alerting-support';

type Obligation = { id: string; kind: string; ruleId: string; dueDate: string; status: string; childId: string | null };
type Child = { id: string; firstName: string; personId: string | null };

/**
 * The front door per child (issue 18) over HTTP, the broker and the database: contacts and referrals
 * name their children, a repeat referral is counted per child across the council's cases through
 * the person id, and the child-and-family assessment is one record per child whose obligation
 * alerting follows like any other. Both services' clocks are fixed at 26 Nov 2026.
 */
describe('cases service: the front door per child', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let alerting: ServiceProcess;
  const NOW = '2026-11-26T12:00:00.000Z';
  const asAdmin = (councilId: string) =>
    stack.as({ subject: 'sw.alex', councilId, roles: ['administrator' as const], teamIds: ['north-1'] });

  const asManager = (councilId: string) =>
    stack.as({ subject: 'sm.kim', councilId, roles: ['service-manager' as const], teamIds: ['north-1'] });

  beforeAll(async () => {
    [cases, alerting] = await Promise.all([
      stack.service('cases', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' }).start(),
      stack.service('alerting', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' }).start(),
    ]);
    await setClock(stack, [cases.url, alerting.url], NOW);
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  /** A council of its own per test, so each KPI table counts only what that test recorded. */
  const councilFor = (name: string) => {
    const councilId = `${name}${stack.id}`;
    const call = async (method: string, path: string, body?: unknown) =>
      request(method, `${cases.url}${path}`, body, await asAdmin(councilId));
    const post = (path: string, body: unknown) => call('POST', path, body);
    const open = async (children: Record<string, unknown>[]) => {
      const opened = await post('/cases', newCase({ councilId, openedOn: '2026-05-04', legalStatus: 'child-in-need', children }));
      expect(opened.status).toBe(201);
      const byName = (firstName: string) => (opened.body.children as Child[]).find((c) => c.firstName === firstName)!;
      return { id: opened.body.id as string, child: byName };
    };
    return { councilId, call, post, open };
  };
  const child = (firstName: string, personId?: string) => ({
    firstName,
    lastName: 'Synthetic',
    dateOfBirth: '2018-03-01',
    sex: 'female',
    ...(personId ? { personId } : {}),
  });
  const caseEvents = async (caseId: string, type: string) =>
    (await stack.readTopic(Topics.caseEvents, 0, 5_000))
      .filter((m) => m.key === caseId)
      .map((m) => JSON.parse(m.value) as EventEnvelope<Record<string, any>>)
      .filter((e) => e.type === type);
  const fields = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);

  it('records a referral about some of the children, and counts a repeat per child across cases through the person id', async () => {
    const { councilId, call, post, open } = councilFor('fd');
    const first = await open([child('Ana', 'P0001'), child('Ben')]);
    const [ana, ben] = [first.child('Ana').id, first.child('Ben').id];
    expect(first.child('Ana').personId).toBe('P0001');

    const badPerson = await post('/cases', newCase({ councilId, children: [child('Zed', 'not a person id!')] }));
    expect(badPerson.status).toBe(400);
    expect(fields(badPerson.body)).toEqual(['children.0.personId']);

    // A referral about Ana only: its decision is due the next working day, as for a contact.
    const aboutAna = await post(`/cases/${first.id}/referrals`, { kind: 'referral', receivedOn: '2026-06-02', childIds: [ana] });
    expect(aboutAna.status).toBe(201);
    expect(aboutAna.body).toMatchObject({ childIds: [ana], repeatFor: [], repeat: false, decisionDueDate: '2026-06-03' });
    expect(aboutAna.body.explanation).toContain('Working Together');
    const stranger = await post(`/cases/${first.id}/referrals`, {
      kind: 'referral',
      receivedOn: '2026-06-02',
      childIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(stranger.status).toBe(400);
    expect(fields(stranger.body)).toEqual(['childIds']);

    // Ana, known by the same person id, is referred again on another case of the council with her brother Cal.
    const second = await open([child('Ana', 'P0001'), child('Cal')]);
    const [ana2, cal] = [second.child('Ana').id, second.child('Cal').id];
    const again = await post(`/cases/${second.id}/referrals`, { kind: 'referral', receivedOn: '2026-11-02' });
    expect(again.body).toMatchObject({ childIds: expect.arrayContaining([ana2, cal]), repeatFor: [ana2], repeat: true });
    expect(again.body.childIds).toHaveLength(2);
    const calAgain = await post(`/cases/${second.id}/referrals`, { kind: 'referral', receivedOn: '2026-11-10', childIds: [cal] });
    expect(calAgain.body).toMatchObject({ childIds: [cal], repeatFor: [cal], repeat: true });
    // Ben, never referred before, is not a repeat on his own case.
    const aboutBen = await post(`/cases/${first.id}/referrals`, { kind: 'referral', receivedOn: '2026-11-03', childIds: [ben] });
    expect(aboutBen.body).toMatchObject({ repeatFor: [], repeat: false });

    const recorded = await eventually(
      () => caseEvents(second.id, EventTypes.referralRecorded),
      (events) => events.length === 2,
      15_000,
      'the referral-recorded events',
    );
    expect(recorded.map((e) => [e.data.childIds.length, e.data.repeatFor, e.data.repeat])).toEqual([
      [2, [ana2], true],
      [1, [cal], true],
    ]);

    // Ben's chronology leaves out the referral about Ana alone.
    const chronology = await call('GET', `/cases/${first.id}/children/${ben}/chronology`);
    expect(chronology.body.entries.filter((e: { recordType: string }) => e.recordType === 'referral').map((e: any) => e.date)).toEqual([
      '2026-11-03',
    ]);

    // November: four referrals of children (Ana and Cal, Cal, Ben), two of them repeats.
    const kpis = await call('GET', `/kpis?councilId=${councilId}&from=2026-11-01&to=2026-11-26`);
    expect(kpis.status).toBe(200);
    expect(kpis.body.repeatReferrals).toEqual({ numerator: 2, denominator: 4, percent: 50 });
    expect(kpis.body.referralsProgressedWithin2WorkingDays).toEqual({ numerator: 0, denominator: 3, percent: 0 });
  }, 60_000);

  it('assesses each child: on time, late (met late after drift in alerting) and cancelled, with the KPI', async () => {
    const { councilId, call, post, open } = councilFor('fa');
    const family = await open([child('Dee'), child('Eve'), child('Fay')]);
    const [dee, eve, fay] = ['Dee', 'Eve', 'Fay'].map((name) => family.child(name).id);
    const referral = await post(`/cases/${family.id}/referrals`, {
      kind: 'referral',
      receivedOn: '2026-08-03',
      decidedOn: '2026-08-04',
      outcome: 'assessment',
    });
    expect(referral.status).toBe(201);
    const referralId = referral.body.id;

    const early = await post(`/cases/${family.id}/assessments`, { referralId, childIds: [dee, eve], startedOn: '2026-08-01' });
    expect(early.status).toBe(400);
    expect(fields(early.body)).toEqual(['startedOn']);
    const future = await post(`/cases/${family.id}/assessments`, { referralId, childId: dee, startedOn: '2026-12-01' });
    expect(fields(future.body)).toEqual(['startedOn']);

    // Working Together: 45 working days from the referral (Mon 3 Aug; the August bank holiday skipped).
    const started = await post(`/cases/${family.id}/assessments`, { referralId, childIds: [dee, eve], startedOn: '2026-08-05' });
    expect(started.status).toBe(201);
    expect(started.body.map((a: any) => [a.childId, a.state, a.dueDate, a.referralReceivedOn])).toEqual(
      expect.arrayContaining([
        [dee, 'in-progress', '2026-10-06', '2026-08-03'],
        [eve, 'in-progress', '2026-10-06', '2026-08-03'],
      ]),
    );
    const deeAssessment = started.body.find((a: any) => a.childId === dee);
    const eveAssessment = started.body.find((a: any) => a.childId === eve);
    const twice = await post(`/cases/${family.id}/assessments`, { referralId, childId: dee, startedOn: '2026-08-05' });
    expect(twice.status).toBe(409);

    // Alerting holds Eve's assessment as an obligation of her own and, its due date passed, raises drift.
    const eveDrift = await eventually(
      () => alertsOf(stack, eveAssessment.obligationId),
      (alerts) => alerts.some((a) => a.level === 'drift' && a.state === 'open'),
      30_000,
      "drift on Eve's assessment",
    );
    expect(eveDrift.length).toBeGreaterThan(0);

    const onTime = await post(`/cases/${family.id}/assessments/${deeAssessment.id}/completion`, {
      completedOn: '2026-10-01',
      outcome: 'cin-plan',
    });
    expect(onTime.status).toBe(201);
    expect(onTime.body).toMatchObject({ state: 'completed', completedOn: '2026-10-01', outcome: 'cin-plan', onTime: true });
    const again = await post(`/cases/${family.id}/assessments/${deeAssessment.id}/completion`, {
      completedOn: '2026-10-02',
      outcome: 'cin-plan',
    });
    expect(again.status).toBe(409);
    const tomorrow = await post(`/cases/${family.id}/assessments/${eveAssessment.id}/completion`, {
      completedOn: '2026-11-27',
      outcome: 'no-further-action',
    });
    expect(tomorrow.status).toBe(400);
    expect(fields(tomorrow.body)).toEqual(['completedOn']);

    const late = await post(`/cases/${family.id}/assessments/${eveAssessment.id}/completion`, {
      completedOn: '2026-10-20',
      outcome: 'strategy-discussion',
    });
    expect(late.body).toMatchObject({ state: 'completed', onTime: false });
    await eventually(
      () => alertsOf(stack, eveAssessment.obligationId),
      (alerts) => alerts.some((a) => a.level === 'drift' && a.state === 'resolved' && a.resolution === 'met-late'),
      30_000,
      "Eve's drift resolved as met late",
    );

    // Fay's assessment is started later and ended early: cancelled, not met.
    const fays = await post(`/cases/${family.id}/assessments`, { referralId, childId: fay, startedOn: '2026-08-10' });
    const fayAssessment = fays.body[0];
    const cancelled = await post(`/cases/${family.id}/assessments/${fayAssessment.id}/cancellation`, {
      cancelledOn: '2026-08-20',
      reason: 'family moved out of the area',
    });
    expect(cancelled.body).toMatchObject({ state: 'cancelled', cancelledOn: '2026-08-20', onTime: null });
    const completeCancelled = await post(`/cases/${family.id}/assessments/${fayAssessment.id}/completion`, {
      completedOn: '2026-08-21',
      outcome: 'no-further-action',
    });
    expect(completeCancelled.status).toBe(409);

    const record = (await call('GET', `/cases/${family.id}`)).body;
    const assessmentObligations = (record.obligations as Obligation[]).filter((o) => o.kind === 'assessment');
    expect(assessmentObligations.map((o) => [o.childId, o.ruleId, o.dueDate, o.status])).toEqual(
      expect.arrayContaining([
        [dee, 'assessment-local-target', '2026-10-06', 'satisfied'],
        [eve, 'assessment-local-target', '2026-10-06', 'satisfied'],
        [fay, 'assessment-local-target', '2026-10-06', 'cancelled'],
      ]),
    );
    expect(assessmentObligations).toHaveLength(3);
    await eventually(
      async () =>
        (await request<any[]>('GET', `${alerting.url}/obligations?caseId=${family.id}`, undefined, await asManager(councilId))).body,
      (obligations) => Array.isArray(obligations) && obligations.find((o) => o.id === fayAssessment.obligationId)?.status === 'cancelled',
      30_000,
      "Fay's assessment cancelled in alerting",
    );

    // Listed by when the referral came and the assessment started: Fay's, started later, last.
    const list = await call('GET', `/cases/${family.id}/assessments`);
    expect(list.body.map((a: any) => [a.childId, a.state])).toEqual([
      ...[
        [dee, 'completed'],
        [eve, 'completed'],
      ].sort(([a], [b]) => a.localeCompare(b)),
      [fay, 'cancelled'],
    ]);
    expect((await call('GET', `/cases/${family.id}/assessments/${eveAssessment.id}`)).body).toMatchObject({
      childId: eve,
      outcome: 'strategy-discussion',
    });
    expect((await call('GET', `/cases/${family.id}/assessments/00000000-0000-4000-8000-000000000000`)).status).toBe(404);

    const events = await eventually(
      async () => [
        ...(await caseEvents(family.id, EventTypes.assessmentStarted)),
        ...(await caseEvents(family.id, EventTypes.assessmentCompleted)),
        ...(await caseEvents(family.id, EventTypes.assessmentCancelled)),
      ],
      (all) => all.length === 6,
      15_000,
      'the assessment events',
    );
    expect(events.filter((e) => e.type === EventTypes.assessmentCompleted).map((e) => [e.data.childId, e.data.outcome])).toEqual([
      [dee, 'cin-plan'],
      [eve, 'strategy-discussion'],
    ]);

    const eveChronology = await call('GET', `/cases/${family.id}/children/${eve}/chronology`);
    expect(
      eveChronology.body.entries.filter((e: { recordType: string }) => e.recordType === 'assessment').map((e: any) => [e.date, e.event]),
    ).toEqual([
      ['2026-08-05', 'Assessment started'],
      ['2026-10-20', 'Assessment completed: strategy discussion'],
    ]);
    const fayChronology = await call('GET', `/cases/${family.id}/children/${fay}/chronology`);
    expect(fayChronology.body.entries.filter((e: any) => e.recordType === 'assessment').map((e: any) => e.event)).toEqual([
      'Assessment started',
      'Assessment cancelled: family moved out of the area',
    ]);

    // Completed in the period: Dee within 45 working days of the referral, Eve after; Fay's cancelled one is not counted.
    const kpis = await call('GET', `/kpis?councilId=${councilId}&from=2026-09-01&to=2026-11-26`);
    expect(kpis.body.assessmentsCompletedWithin45WorkingDays).toMatchObject({ numerator: 1, denominator: 2, percent: 50 });
    expect(kpis.body.assessmentsCompletedWithin45WorkingDays.definition).toContain('45 working days');
  }, 120_000);

  it("dates an assessment from the council's shorter local target, which may never run past 45 working days", async () => {
    const { councilId, call, post, open } = councilFor('ft');
    const longer = await call('PUT', `/councils/${councilId}/rules/assessment-local-target`, { offset: 46, reason: 'more time' });
    expect(longer.status).toBe(422);
    expect(fields(longer.body)).toEqual(['offset']);
    const shorter = await call('PUT', `/councils/${councilId}/rules/assessment-local-target`, { offset: 35, reason: 'local target' });
    expect(shorter.status).toBe(200);

    const family = await open([child('Gus')]);
    const referral = await post(`/cases/${family.id}/referrals`, { kind: 'referral', receivedOn: '2026-09-01' });
    const started = await post(`/cases/${family.id}/assessments`, { referralId: referral.body.id, startedOn: '2026-09-02' });
    expect(started.status).toBe(201);
    expect(started.body).toHaveLength(1);
    expect(started.body[0]).toMatchObject({ childId: family.child('Gus').id, dueDate: '2026-10-20' });
    expect(started.body[0].explanation).toContain('35 working days after receipt of the referral on Tue 1 Sep 2026');
    const contact = await post(`/cases/${family.id}/referrals`, { kind: 'contact', receivedOn: '2026-09-01' });
    const fromContact = await post(`/cases/${family.id}/assessments`, { referralId: contact.body.id, startedOn: '2026-09-02' });
    expect(fromContact.status).toBe(400);
    expect(fields(fromContact.body)).toEqual(['referralId']);
  }, 60_000);
});
