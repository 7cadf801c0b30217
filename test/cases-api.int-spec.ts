import { councilSubject, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, request } from './api';

/**
 * The cases service over HTTP against its real database and the broker: the case record, late
 * entry, re-allocation, reviews, plans and sign-off, concurrency and validation, and the events each
 * change leaves on the case topic. The service's clock is fixed at 26 Nov 2026 so "overdue" is stable.
 */
describe('cases service', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  const council = `c${stack.id}`;

  beforeAll(async () => {
    cases = await stack.service('cases', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' }).start();
    const clock = await request(
      'PUT',
      `${cases.url}/test/clock`,
      { at: '2026-11-26T12:00:00.000Z' },
      await stack.as({ subject: 'ops', councilId: council, roles: ['administrator'] }),
    );
    expect(clock.status).toBe(200);
  }, 90_000);

  afterAll(() => stack.stop(), 60_000);

  const url = (path: string) => `${cases.url}${path}`;

  // These tests are about the case record, so the caller is an administrator of the record's council
  // (tm.* callers are team managers of north-1); who may do what is tested in access-control tests.
  const councilOfCase = new Map<string, string>();
  const councilFor = (path: string, body: unknown): string => {
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(path)?.[1];
    if (caseId && councilOfCase.has(caseId)) return councilOfCase.get(caseId)!;
    const named = /[?&]councilId=([^&]+)/.exec(path)?.[1] ?? /\/councils\/([^/?]+)/.exec(path)?.[1];
    if (named) return named;
    if (body && typeof body === 'object' && 'councilId' in body) return String((body as { councilId: unknown }).councilId);
    return council;
  };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const { as: subject = 'sw.alex', ...rest } = headers;
    const roles = subject.startsWith('tm.') ? ['team-manager' as const] : ['administrator' as const];
    const auth = await stack.as({ subject, councilId: councilFor(path, body), roles, teamIds: ['north-1'] });
    return request(method, url(path), body, { ...auth, ...rest });
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => call('POST', path, body, headers);
  const open = async (overrides: Record<string, unknown> = {}) => {
    const opened = await post('/cases', newCase({ councilId: council, ...overrides }));
    expect(opened.status).toBe(201);
    councilOfCase.set(opened.body.id, opened.body.councilId);
    return opened.body;
  };
  const outboxCount = async () => (await stack.sql<{ n: number }>('cases', 'SELECT count(*)::int AS n FROM outbox'))[0].n;

  /** The case's events on the topic, once at least `types` have all arrived (in order of the case's partition). */
  async function eventsOf(caseId: string, ...types: string[]) {
    return eventually(
      async () => (await stack.readTopic(Topics.caseEvents, 0, 5_000)).filter((m) => m.key === caseId).map((m) => JSON.parse(m.value)),
      (events) => types.every((type) => events.some((e) => e.type === type)),
      30_000,
      `events ${types.join(', ')} for case ${caseId}`,
    );
  }

  it('keeps the full case record: legal lead, team manager, legal status and allocation histories, siblings and an unborn child', async () => {
    const opened = await open({ legalLeadId: 'law.kim', openedOn: '2026-10-01' });
    expect(opened).toMatchObject({
      legalLeadId: 'law.kim',
      teamManagerId: 'tm.sam',
      version: 1,
      legalStatuses: [{ legalStatus: 'child-protection-plan', startDate: '2026-10-01', endDate: null }],
      allocations: [{ teamId: 'north-1', workerId: 'sw.alex', startDate: '2026-10-01', endDate: null }],
    });
    const sibling = await post(`/cases/${opened.id}/children`, {
      firstName: 'Synthetic',
      lastName: 'Sibling',
      expectedDateOfBirth: '2027-02-01',
      sex: 'unknown',
    });
    expect(sibling.status).toBe(201);
    expect(sibling.headers.get('etag')).toBe('"2"');
    const both = await post(`/cases/${opened.id}/children`, {
      firstName: 'Both',
      lastName: 'Dates',
      dateOfBirth: '2020-01-01',
      expectedDateOfBirth: '2020-01-01',
      sex: 'male',
    });
    expect(both.status).toBe(400);
    expect(both.body.fields.map((f: { field: string }) => f.field)).toEqual(['dateOfBirth']);
    const children = await call('GET', `/cases/${opened.id}/children`);
    expect(children.body.map((c: { expectedDateOfBirth: string | null }) => c.expectedDateOfBirth)).toEqual([null, '2027-02-01']);
    const events = await eventsOf(opened.id, EventTypes.childAdded);
    expect(events.find((e) => e.type === EventTypes.childAdded).data).toEqual({
      caseId: opened.id,
      childId: sibling.body.childId,
      expectedDateOfBirth: '2027-02-01',
    });
  }, 60_000);

  it('re-allocation needs the current version, keeps the history and tells alerting who now holds the case', async () => {
    const opened = await open({ openedOn: '2026-10-01' });
    const move = { teamId: 'south-2', allocatedWorkerId: 'sw.bo', allocatedOn: '2026-11-10', reason: 'worker left' };
    const before = await outboxCount();

    expect((await post(`/cases/${opened.id}/allocations`, move)).status).toBe(428);
    const stale = await post(`/cases/${opened.id}/allocations`, move, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(1);
    expect(await outboxCount()).toBe(before);

    const moved = await post(`/cases/${opened.id}/allocations`, move, { 'if-match': '"1"' });
    expect(moved.status).toBe(201);
    expect(moved.headers.get('etag')).toBe('"2"');
    expect(moved.body.allocations).toEqual([
      { teamId: 'north-1', workerId: 'sw.alex', teamManagerId: 'tm.sam', startDate: '2026-10-01', endDate: '2026-11-10', reason: null },
      { teamId: 'south-2', workerId: 'sw.bo', teamManagerId: 'tm.sam', startDate: '2026-11-10', endDate: null, reason: 'worker left' },
    ]);
    const events = await eventsOf(opened.id, EventTypes.caseAllocated);
    expect(events.find((e) => e.type === EventTypes.caseAllocated).data).toEqual({
      caseId: opened.id,
      teamId: 'south-2',
      allocatedWorkerId: 'sw.bo',
      teamManagerId: 'tm.sam',
      allocatedOn: '2026-11-10',
      previousWorkerId: 'sw.alex',
      reason: 'worker left',
    });
    // A date before the current allocation began is refused, naming the field.
    const backwards = await post(
      `/cases/${opened.id}/allocations`,
      { ...move, allocatedWorkerId: 'sw.cy', allocatedOn: '2026-11-01' },
      { 'if-match': '"2"' },
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.fields[0].field).toBe('allocatedOn');
  }, 60_000);

  it('two people editing the same case: the second is refused with 412, not silently applied', async () => {
    const opened = await open();
    const read = await call('GET', `/cases/${opened.id}`);
    const etag = read.headers.get('etag')!;
    const first = await call('PATCH', `/cases/${opened.id}`, { legalLeadId: 'law.kim' }, { 'if-match': etag });
    const second = await call('PATCH', `/cases/${opened.id}`, { legalLeadId: 'law.lee', teamManagerId: 'tm.other' }, { 'if-match': etag });
    expect([first.status, second.status]).toEqual([200, 412]);
    expect(second.body.message).toContain('version 2');
    const now = (await call('GET', `/cases/${opened.id}`)).body;
    expect(now).toMatchObject({ legalLeadId: 'law.kim', teamManagerId: 'tm.sam', version: 2 });
  }, 30_000);

  it('a change of legal status is an event: history kept, old reviews end, the visit is rescheduled by the new rule', async () => {
    const opened = await open({ openedOn: '2026-10-01', legalStatus: 'child-protection-plan' });
    const changed = await post(
      `/cases/${opened.id}/legal-status`,
      { legalStatus: 'looked-after', startDate: '2026-11-16', placement: { startedOn: '2026-11-16', intendedToLastUntil18: false } },
      { 'if-match': '"1"' },
    );
    expect(changed.status).toBe(201);
    expect(changed.body.legalStatuses).toEqual([
      { legalStatus: 'child-protection-plan', startDate: '2026-10-01', endDate: '2026-11-16' },
      { legalStatus: 'looked-after', startDate: '2026-11-16', endDate: null },
    ]);
    const open_ = changed.body.obligations.filter((o: { status: string }) => o.status === 'open');
    expect(open_.map((o: { kind: string; ruleId: string; dueDate: string }) => [o.kind, o.ruleId, o.dueDate])).toEqual([
      // The 4-weekly supervision the protection plan owed on 29 Oct was missed before the change: it stays owed. Looked after
      // without an order would be the 6-weekly cadence (28 Dec from the day it began), which takes over once one is held.
      ['supervision', 'supervision-cp', '2026-10-29'],
      ['visit', 'lac-visit-placement-start', '2026-11-23'],
      ['lac-review', 'lac-review-first', '2026-12-14'],
    ]);
    const events = await eventsOf(opened.id, EventTypes.legalStatusChanged, EventTypes.reviewScheduled);
    // Per child (one child here): the child's CP plan ends and looked after starts with its review series; the v1 summary follows,
    // then the visit moves to the new status's rule (the missed supervision stays where it was).
    expect(events.map((e) => e.type)).toEqual([
      EventTypes.caseOpened,
      EventTypes.childStatusStarted,
      EventTypes.obligationScheduled,
      EventTypes.obligationScheduled,
      EventTypes.childStatusEnded,
      EventTypes.childStatusStarted,
      EventTypes.reviewScheduled,
      EventTypes.obligationScheduled,
      EventTypes.placementStarted,
      EventTypes.legalStatusChanged,
      EventTypes.obligationCancelled,
      EventTypes.obligationScheduled,
    ]);
    expect(events[4].data).toMatchObject({ status: 'child-protection-plan', endDate: '2026-11-16' });
    expect(events[5].data).toMatchObject({ status: 'looked-after', startDate: '2026-11-16', source: 'recorded' });
    expect(events[9].data).toMatchObject({ previousStatus: 'child-protection-plan', legalStatus: 'looked-after', startDate: '2026-11-16' });
    expect(events[10].data.reason).toBe('legal status changed from child-protection-plan to looked-after');
    expect(events[11].data).toMatchObject({ kind: 'visit', dueDate: '2026-11-23', explanation: expect.stringContaining('placement') });
    expect(events[7].data).toMatchObject({
      kind: 'lac-review',
      ruleId: 'lac-review-first',
      dueDate: '2026-12-14',
      explanation: expect.stringContaining('reg 33(1)'),
    });
  }, 60_000);

  it('late entry: past visits are accepted and obligations are evaluated against the date of the visit', async () => {
    const opened = await open({ openedOn: '2026-10-01' });
    const visit = (visitedOn: string, extra: Record<string, unknown> = {}) =>
      post(`/cases/${opened.id}/visits`, {
        visitedOn,
        visitType: 'home',
        visitorId: 'sw.alex',
        childSeen: true,
        seenAlone: true,
        bedroomSeen: false,
        purpose: 'statutory-visit',
        ...extra,
      });

    const late = await visit('2026-10-20');
    expect(late.status).toBe(201);
    expect(late.body.countsAsStatutory).toBe(true);
    const visits = (body: { obligations: { kind: string }[] }) => body.obligations.filter((o) => o.kind === 'visit');
    expect(visits(late.body).map((o: any) => [o.dueDate, o.status, o.satisfiedOn, o.overdue])).toEqual([
      ['2026-10-15', 'satisfied', '2026-10-20', false],
      ['2026-11-03', 'open', null, true],
    ]);
    // The child was not seen: recorded, but the statutory visit is still owed.
    const unseen = await visit('2026-11-20', { childSeen: false, seenAlone: false });
    expect(unseen.body.countsAsStatutory).toBe(false);
    // Filling in an older visit changes no obligation.
    const older = await visit('2026-10-10');
    expect(
      visits(older.body)
        .filter((o: any) => o.status === 'open')
        .map((o: any) => o.dueDate),
    ).toEqual(['2026-11-03']);

    const events = await eventsOf(opened.id, EventTypes.visitRecorded, EventTypes.obligationSatisfied);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === EventTypes.visitRecorded)).toHaveLength(3);
    expect(events.find((e) => e.type === EventTypes.obligationSatisfied).data).toMatchObject({ satisfiedOn: '2026-10-20' });
    expect(events.filter((e) => e.type === EventTypes.obligationScheduled && e.data.kind === 'visit').map((e) => e.data.dueDate)).toEqual([
      '2026-10-15',
      '2026-11-03',
    ]);
  }, 60_000);

  it('visits are owed per child: two children, two obligations; a visit seeing one meets only theirs', async () => {
    const opened = await open({
      openedOn: '2026-11-02',
      children: [
        { firstName: 'Ana', lastName: 'Synthetic', dateOfBirth: '2018-03-01', sex: 'female' },
        { firstName: 'Ben', lastName: 'Synthetic', dateOfBirth: '2021-06-01', sex: 'male' },
      ],
    });
    const [ana, ben] = opened.children.map((c: { id: string }) => c.id);
    const visits = (body: { obligations: any[] }) =>
      body.obligations.filter((o) => o.kind === 'visit').map((o) => [o.childId, o.dueDate, o.status, o.satisfiedOn]);
    expect(visits(opened)).toEqual([
      [ana, '2026-11-16', 'open', null],
      [ben, '2026-11-16', 'open', null],
    ]);
    const visit = (visitedOn: string, extra: Record<string, unknown> = {}) =>
      post(`/cases/${opened.id}/visits`, {
        visitedOn,
        visitType: 'home',
        visitorId: 'sw.alex',
        childSeen: true,
        seenAlone: true,
        bedroomSeen: true,
        purpose: 'statutory-visit',
        ...extra,
      });

    const anaOnly = await visit('2026-11-10', { childrenSeen: [ana] });
    expect(anaOnly.status).toBe(201);
    expect(anaOnly.body.childrenSeen).toEqual([ana]);
    expect(visits(anaOnly.body)).toEqual(
      expect.arrayContaining([
        [ana, '2026-11-16', 'satisfied', '2026-11-10'],
        [ben, '2026-11-16', 'open', null],
        [ana, '2026-11-24', 'open', null],
      ]),
    );
    expect(visits(anaOnly.body)).toHaveLength(3);

    // Not saying who was seen means every child on the case was.
    const both = await visit('2026-11-20');
    expect(both.body.childrenSeen).toEqual([ana, ben]);
    expect(visits(both.body).filter(([, , status]) => status === 'open')).toEqual([
      [ana, '2026-12-04', 'open', null],
      [ben, '2026-12-04', 'open', null],
    ]);
    const contradictory = await visit('2026-11-21', { childSeen: false, childrenSeen: [ben, '00000000-0000-4000-8000-000000000000'] });
    expect(contradictory.status).toBe(400);
    expect(contradictory.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['childrenSeen', 'childrenSeen.1']);

    const sibling = await post(`/cases/${opened.id}/children`, {
      firstName: 'Cal',
      lastName: 'Synthetic',
      dateOfBirth: '2024-01-01',
      sex: 'male',
    });
    expect(visits(sibling.body)).toContainEqual([sibling.body.childId, '2026-12-10', 'open', null]);

    const events = await eventsOf(opened.id, EventTypes.childAdded);
    const scheduled = events
      .filter((e) => e.type === EventTypes.obligationScheduled && e.data.kind === 'visit')
      .map((e) => [e.data.childId, e.data.dueDate]);
    expect(scheduled).toEqual([
      [ana, '2026-11-16'],
      [ben, '2026-11-16'],
      [ana, '2026-11-24'],
      [ana, '2026-12-04'],
      [ben, '2026-12-04'],
      [sibling.body.childId, '2026-12-10'],
    ]);
    const firstVisit = events.find((e) => e.type === EventTypes.visitRecorded);
    expect(firstVisit.data.childrenSeen).toEqual([ana]);
    const satisfiedAfterFirst = events.slice(events.indexOf(firstVisit)).find((e) => e.type === EventTypes.obligationSatisfied);
    expect(satisfiedAfterFirst.data.obligationId).toBe(opened.obligations.find((o: { childId: string }) => o.childId === ana).id);
  }, 60_000);

  it('a visit obligation made for the whole case before per-child visits is shared out, by events, at the next visit', async () => {
    const opened = await open({
      openedOn: '2026-11-02',
      children: [
        { firstName: 'Ana', lastName: 'Legacy', dateOfBirth: '2018-03-01', sex: 'female' },
        { firstName: 'Ben', lastName: 'Legacy', dateOfBirth: '2021-06-01', sex: 'male' },
      ],
    });
    const [ana, ben] = opened.children.map((c: { id: string }) => c.id);
    // The shape the previous version left behind: one open visit obligation with no child.
    await stack.sql('cases', `DELETE FROM obligations WHERE case_id = $1 AND child_id = $2`, [opened.id, ben]);
    await stack.sql('cases', `UPDATE obligations SET child_id = NULL WHERE case_id = $1`, [opened.id]);
    const legacyId = opened.obligations.find((o: { childId: string }) => o.childId === ana).id;

    const visited = await post(`/cases/${opened.id}/visits`, {
      visitedOn: '2026-11-12',
      visitType: 'home',
      visitorId: 'sw.alex',
      childSeen: true,
      childrenSeen: [ben],
      seenAlone: false,
      bedroomSeen: false,
      purpose: 'statutory-visit',
    });
    expect(visited.status).toBe(201);
    const visits = visited.body.obligations.filter((o: { kind: string }) => o.kind === 'visit');
    expect(visits.find((o: { id: string }) => o.id === legacyId)).toMatchObject({ childId: ana, dueDate: '2026-11-16', status: 'open' });
    expect(visits.filter((o: { childId: string }) => o.childId === ben).map((o: any) => [o.dueDate, o.status])).toEqual([
      ['2026-11-16', 'satisfied'],
      ['2026-11-26', 'open'],
    ]);
    const events = await eventsOf(opened.id, EventTypes.visitRecorded);
    // Opening: the case, each child's status, each child's visit, the case's supervision.
    const afterOpening = events.slice(6).map((e) => [e.type, e.data.childId ?? null]);
    expect(afterOpening.slice(0, 3)).toEqual([
      [EventTypes.obligationScheduled, ana],
      [EventTypes.obligationScheduled, ben],
      [EventTypes.visitRecorded, null],
    ]);
    expect(events[6].data).toMatchObject({ obligationId: legacyId, dueDate: '2026-11-16' });
  }, 60_000);

  it("council rules: a council lengthens CP visits to 20 working days; its open visits and next due dates move, other councils' do not", async () => {
    const bury = `bury-${stack.id}`;
    const other = `other-${stack.id}`;
    const before = await open({ councilId: bury, openedOn: '2026-11-02' });
    const rulesUrl = (councilId: string, ruleId = '') => `/councils/${councilId}/rules${ruleId ? `/${ruleId}` : ''}`;

    const initial = await call('GET', rulesUrl(bury));
    expect(initial.status).toBe(200);
    expect(initial.headers.get('etag')).toBe('"0"');
    expect(initial.body.rules.find((r: { id: string }) => r.id === 'cp-visit')).toMatchObject({
      offset: 10,
      unit: 'working-days',
      counting: 'simple',
      kind: 'local',
      overridden: false,
      verify: false,
      authority: 'local',
      timeOfDay: null,
      cappedBy: null,
    });
    const byId = (id: string) => initial.body.rules.find((r: { id: string }) => r.id === id);
    expect(byId('hearing-bundle')).toMatchObject({ authority: 'guidance', timeOfDay: '16:00' });
    expect(byId('hearing-case-summary')).toMatchObject({ authority: 'guidance', timeOfDay: '12:00' });
    expect(byId('pre-proceedings-limit')).toMatchObject({ authority: 'guidance', kind: 'statutory' });
    expect(byId('draft-order-after-hearing')).toMatchObject({ authority: 'guidance' });
    expect(byId('proceedings-26-week-limit')).toMatchObject({ authority: 'statute' });
    expect(byId('proceedings-warning-week-24').cappedBy).toEqual({
      ruleId: 'proceedings-26-week-limit',
      title: 'Proceedings: 26-week statutory limit (last day)',
      source: 'Children Act 1989 s.32(1)(a)(ii)',
      authority: 'statute',
    });

    // A local rule may not run past the national limit on the same duty: refused, nothing written.
    const pastLimit = await call('PUT', rulesUrl(bury, 'proceedings-warning-week-24'), { offset: 27 });
    expect(pastLimit.status).toBe(422);
    expect(pastLimit.body).toMatchObject({
      ruleId: 'proceedings-warning-week-24',
      limit: { ruleId: 'proceedings-26-week-limit', source: 'Children Act 1989 s.32(1)(a)(ii)' },
    });
    expect(pastLimit.body.fields).toEqual([
      { field: 'offset', message: expect.stringContaining("cannot run past 'proceedings-26-week-limit'") },
    ]);
    expect((await call('POST', rulesUrl(bury, 'proceedings-warning-week-24') + '/preview', { offset: 27 })).status).toBe(422);
    expect((await call('GET', rulesUrl(bury))).headers.get('etag')).toBe('"0"');

    const invalid = await call('PUT', rulesUrl(bury, 'cp-visit'), { offset: 0, unit: 'fortnights', colour: 'red' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'offset', 'unit']);
    const impossible = await call('PUT', rulesUrl(bury, 'cp-visit'), { offset: 1, unit: 'months', counting: 'inclusive' });
    expect(impossible.status).toBe(400);
    expect(impossible.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['counting', 'unit']);
    const empty = await call('PUT', rulesUrl(bury, 'cp-visit'), { reason: 'nothing to change' });
    expect(empty.status).toBe(400);
    expect(empty.body.fields.map((f: { field: string }) => f.field)).toEqual(['offset']);
    const statutory = await call('PUT', rulesUrl(bury, 'icpc'), { offset: 20 });
    expect(statutory.status).toBe(409);
    expect(statutory.body).toMatchObject({ ruleId: 'icpc', kind: 'statutory', source: expect.stringContaining('Working Together') });
    expect(statutory.body.message).toContain('cannot change it');
    expect((await call('PUT', rulesUrl(bury, 'no-such-rule'), { offset: 3 })).status).toBe(404);

    // The supervision is due the day the lengthened visit would be: the visit is found by its kind.
    const visitOf = (body: { obligations: { kind: string; dueDate: string }[] }) => body.obligations.find((o) => o.kind === 'visit');
    const [openVisit] = before.obligations;
    const preview = await call('POST', `${rulesUrl(bury, 'cp-visit')}/preview`, { offset: 20 });
    expect(preview.body).toMatchObject({ obligationsMoved: 1, obligationsUnchanged: 0, obligationsWithoutAnchor: 0 });
    expect(preview.body.obligations).toEqual([
      expect.objectContaining({
        obligationId: openVisit.id,
        caseId: before.id,
        kind: 'visit',
        dueDate: '2026-11-16',
        newDueDate: '2026-11-30',
      }),
    ]);
    const changed = await call('PUT', rulesUrl(bury, 'cp-visit'), { offset: 20, reason: 'local policy review' }, { as: 'hos.pat' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"1"');
    expect(changed.body.obligationsMoved).toBe(1);
    expect(changed.body.rule).toMatchObject({
      offset: 20,
      unit: 'working-days',
      overridden: true,
      changedBy: 'hos.pat',
      nationalDefault: { offset: 10 },
    });
    expect((await call('PUT', rulesUrl(bury, 'cp-visit'), { offset: 15 }, { 'if-match': '"0"' })).status).toBe(412);

    const after = await open({ councilId: bury, openedOn: '2026-11-02' });
    expect(visitOf(after)).toMatchObject({
      ruleId: 'cp-visit',
      dueDate: '2026-11-30',
      explanation: expect.stringContaining('20 working days after the last visit'),
    });
    expect(visitOf(await open({ councilId: other, openedOn: '2026-11-02' }))).toMatchObject({
      dueDate: '2026-11-16',
      explanation: expect.stringContaining('10 working days'),
    });
    expect(visitOf((await call('GET', `/cases/${before.id}`)).body)).toMatchObject({ id: openVisit.id, dueDate: '2026-11-30' });

    expect((await call('POST', `${rulesUrl(bury, 'cp-visit')}/preview`, { reset: true })).body.obligationsMoved).toBe(2);
    const reset = await call('DELETE', `${rulesUrl(bury, 'cp-visit')}?reason=back%20to%20default`, undefined, { as: 'hos.pat' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ version: 2, rule: { offset: 10, overridden: false }, obligationsMoved: 2 });
    expect(visitOf((await call('GET', `/cases/${before.id}`)).body)).toMatchObject({ id: openVisit.id, dueDate: '2026-11-16' });
    expect((await call('DELETE', rulesUrl(bury, 'cp-visit'))).status).toBe(404);
    expect(visitOf(await open({ councilId: bury, openedOn: '2026-11-02' }))?.dueDate).toBe('2026-11-16');

    const history = await call('GET', `${rulesUrl(bury)}/history`);
    expect(
      history.body.map((h: any) => [
        h.version,
        h.change,
        h.period.offset,
        h.previousPeriod.offset,
        h.changedBy,
        h.reason,
        h.obligationsMoved,
      ]),
    ).toEqual([
      [2, 'reset', 10, 20, 'hos.pat', 'back to default', 2],
      [1, 'overridden', 20, 10, 'hos.pat', 'local policy review', 1],
    ]);
    await expect(stack.sql('cases', 'DELETE FROM council_rule_history WHERE council_id = $1', [bury])).rejects.toThrow(/append-only/);

    const subject = councilSubject(bury);
    const visitMoves = await eventually(
      async () =>
        (await stack.readTopic(Topics.caseEvents, 0, 5_000))
          .filter((m) => m.key === before.id)
          .map((m) => JSON.parse(m.value))
          .filter((e) => e.type === EventTypes.obligationScheduled && e.data.obligationId === openVisit.id),
      (list) => list.length === 3,
      30_000,
      'the visit scheduled and moved twice on its case key',
    );
    expect(visitMoves.map((e) => [e.data.dueDate, e.data.authority])).toEqual([
      ['2026-11-16', 'local'],
      ['2026-11-30', 'local'],
      ['2026-11-16', 'local'],
    ]);
    const announced = await eventually(
      async () => (await stack.readTopic(Topics.caseEvents, 0, 5_000)).filter((m) => m.key === subject).map((m) => JSON.parse(m.value)),
      (list) => list.length === 2,
      30_000,
      'the rule changes on the case topic',
    );
    expect(announced.map((e) => [e.type, e.subject, e.actor.id])).toEqual([
      [EventTypes.councilRulesChanged, subject, 'hos.pat'],
      [EventTypes.councilRulesChanged, subject, 'hos.pat'],
    ]);
    expect(announced[0].data).toEqual({
      councilId: bury,
      ruleId: 'cp-visit',
      change: 'overridden',
      version: 1,
      period: { offset: 20, unit: 'working-days', counting: 'simple' },
      previousPeriod: { offset: 10, unit: 'working-days', counting: 'simple' },
    });
  }, 60_000);

  it('simultaneous opens with one case reference: one is created, the others get 409, never 500', async () => {
    const caseReference = `DUP-${stack.id}`;
    const attempts = await Promise.all([1, 2, 3, 4].map(() => post('/cases', newCase({ councilId: council, caseReference }))));
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    for (const refused of attempts.filter((a) => a.status === 409)) expect(refused.body.message).toContain(caseReference);
    expect(await stack.sql('cases', 'SELECT count(*)::int AS n FROM cases WHERE case_reference = $1', [caseReference])).toEqual([{ n: 1 }]);
  }, 30_000);

  it('refuses bad input with a 400 naming every field and writes nothing', async () => {
    const opened = await open();
    const before = await outboxCount();
    const bad = await post(`/cases/${opened.id}/visits`, {
      visitedOn: '2026-12-01',
      visitType: 'placement',
      visitorId: 'sw.alex',
      childSeen: true,
      seenAlone: true,
      bedroomSeen: true,
      purpose: 'other',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['purposeDetail', 'visitType', 'visitedOn']);
    const malformed = await post(`/cases/${opened.id}/visits`, { visitedOn: 'yesterday', visitType: 'home', purpose: 'chat', extra: 1 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['visitedOn', 'visitorId', 'childSeen', 'seenAlone', 'bedroomSeen', 'purpose', 'extra']),
    );
    expect(await outboxCount()).toBe(before);
    expect((await stack.sql('cases', 'SELECT id FROM visits WHERE case_id = $1', [opened.id])).length).toBe(0);
    // An unknown case is unknown before anything else is said about the request.
    expect((await post(`/cases/00000000-0000-4000-8000-000000000000/visits`, {})).status).toBe(404);
    expect((await call('GET', '/cases/00000000-0000-4000-8000-000000000000/reviews')).status).toBe(404);
  }, 30_000);

  it('reviews: an ICPC due 15 WD after the strategy discussion; held with a plan it makes the first review conference due in 3 months', async () => {
    const opened = await open({ openedOn: '2026-10-01', legalStatus: 'child-in-need' });
    const icpc = await post(`/cases/${opened.id}/reviews`, { kind: 'icpc', anchorDate: '2026-11-02' });
    expect(icpc.status).toBe(201);
    expect(icpc.body).toMatchObject({ kind: 'icpc', ruleId: 'icpc', dueDate: '2026-11-23', status: 'scheduled', version: 1 });
    expect(icpc.body.explanation).toContain('15 working days after the strategy discussion');

    const wrongOutcome = await post(
      `/cases/${opened.id}/reviews/${icpc.body.id}/held`,
      { heldOn: '2026-11-24', outcome: 'plan-continues' },
      { 'if-match': '"1"' },
    );
    expect(wrongOutcome.status).toBe(400);
    expect(wrongOutcome.body.fields[0]).toMatchObject({ field: 'outcome', messages: [expect.stringContaining('plan, no-plan')] });
    expect((await post(`/cases/${opened.id}/reviews/${icpc.body.id}/held`, { heldOn: '2026-11-24', outcome: 'plan' })).status).toBe(428);

    const held = await post(
      `/cases/${opened.id}/reviews/${icpc.body.id}/held`,
      { heldOn: '2026-11-24', outcome: 'plan' },
      { 'if-match': '"1"' },
    );
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'held', heldOn: '2026-11-24', heldLate: true, outcome: 'plan', version: 2 });
    const reviews = (await call('GET', `/cases/${opened.id}/reviews`)).body;
    const conference = reviews.find((r: { kind: string }) => r.kind === 'cp-review');
    expect(conference).toMatchObject({ ruleId: 'first-review-conference', dueDate: '2027-02-24', sequence: 1 });
    // The plan also starts the core groups: the first within 10 working days of the ICPC.
    expect(reviews.find((r: { kind: string }) => r.kind === 'core-group')).toMatchObject({
      ruleId: 'first-core-group',
      dueDate: '2026-12-08',
      sequence: 1,
    });

    const moved = await post(
      `/cases/${opened.id}/reviews/${conference.id}/reschedule`,
      { plannedOn: '2027-03-01', reason: 'chair unavailable' },
      { 'if-match': '"1"' },
    );
    expect(moved.body).toMatchObject({ plannedOn: '2027-03-01', dueDate: '2027-02-24', rescheduleReason: 'chair unavailable', version: 2 });
    expect((await post(`/cases/${opened.id}/reviews/${conference.id}/cancellation`, { reason: 'x' }, { 'if-match': '"1"' })).status).toBe(
      412,
    );

    const events = await eventsOf(opened.id, EventTypes.reviewHeld, EventTypes.reviewRescheduled);
    const types = events.map((e) => e.type);
    // After opening: the case, the child's status, the child's visit, the case's supervision.
    expect(types.slice(4)).toEqual([
      EventTypes.reviewScheduled,
      EventTypes.obligationScheduled,
      EventTypes.reviewHeld,
      EventTypes.obligationSatisfied,
      EventTypes.reviewScheduled,
      EventTypes.obligationScheduled,
      EventTypes.reviewScheduled,
      EventTypes.obligationScheduled,
      EventTypes.reviewRescheduled,
    ]);
    expect(events.find((e) => e.type === EventTypes.reviewHeld).data).toMatchObject({
      kind: 'icpc',
      heldLate: true,
      outcome: 'plan',
      dueDate: '2026-11-23',
    });
    expect(events.find((e) => e.type === EventTypes.reviewRescheduled).data).toMatchObject({
      afterDueDate: true,
      reason: 'chair unavailable',
    });
  }, 60_000);

  it('plans say which actions are not SMART; sign-off is refused while standards are unmet, or recorded as an exception with a reason', async () => {
    const opened = await open({ openedOn: '2026-10-01' }); // its first visit fell due 15 Oct: overdue
    const plan = await post(`/cases/${opened.id}/plans`, {
      kind: 'child-protection',
      agreedOn: '2026-11-20',
      reviewDate: '2027-02-12',
      actions: [
        { description: 'Parenting programme', ownerId: 'fs.jo', dueDate: '2026-12-18', measurableOutcome: 'attends 8 of 10 sessions' },
        { description: 'Improve home conditions', dueDate: '2026-12-31' },
      ],
    });
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({
      smart: false,
      version: 1,
      actionsNotSmart: [{ position: 2, missing: ['ownerId', 'measurableOutcome'] }],
    });
    const planUrl = `/cases/${opened.id}/plans/${plan.body.id}`;
    // Every sign-off names the supervision that agreed it.
    const unsupervised = await post(`${planUrl}/sign-offs`, {}, { as: 'tm.sam', 'if-match': '"1"' });
    expect(unsupervised.status).toBe(400);
    expect(unsupervised.body.fields.map((f: { field: string }) => f.field)).toEqual(['supervisionId']);
    const supervision = await post(
      `/cases/${opened.id}/supervisions`,
      { heldOn: '2026-11-26', supervisorId: 'tm.sam', childIds: [opened.children[0].id], decisions: ['Plan agreed as SMART'], actions: [] },
      { as: 'tm.sam' },
    );
    expect(supervision.status).toBe(201);
    const agreed = { supervisionId: supervision.body.id };

    expect((await post(`${planUrl}/sign-offs`, agreed, { as: 'tm.sam' })).status).toBe(428);
    const refused = await post(`${planUrl}/sign-offs`, agreed, { as: 'tm.sam', 'if-match': '"1"' });
    expect(refused.status).toBe(409);
    expect(refused.body.unmetStandards.map((s: { code: string }) => s.code)).toEqual([
      'visit-overdue',
      'action-without-owner',
      'action-without-measurable-outcome',
    ]);

    const exception = await post(
      `${planUrl}/sign-offs`,
      { exceptionReason: 'Child safe; visit booked for tomorrow', ...agreed },
      { as: 'tm.sam', 'if-match': '"1"' },
    );
    expect(exception.status).toBe(201);
    expect(exception.body).toMatchObject({ exception: true, managerId: 'tm.sam', signedOn: '2026-11-26', subjectVersion: 1 });

    const fixed = await call(
      'PUT',
      planUrl,
      {
        reviewDate: '2027-02-12',
        actions: [
          { description: 'Parenting programme', ownerId: 'fs.jo', dueDate: '2026-12-18', measurableOutcome: 'attends 8 of 10 sessions' },
          {
            description: 'Improve home conditions',
            ownerId: 'sw.alex',
            dueDate: '2026-12-31',
            measurableOutcome: 'home conditions score 4+',
          },
        ],
      },
      { 'if-match': '"1"' },
    );
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ smart: true, actionsNotSmart: [], version: 2 });
    await post(`/cases/${opened.id}/visits`, {
      visitedOn: '2026-11-26',
      visitType: 'home',
      visitorId: 'sw.alex',
      childSeen: true,
      seenAlone: true,
      bedroomSeen: true,
      purpose: 'statutory-visit',
    });
    const clean = await post(`${planUrl}/sign-offs`, agreed, { as: 'tm.sam', 'if-match': '"2"' });
    expect(clean.status).toBe(201);
    expect(clean.body).toMatchObject({ exception: false, unmetStandards: [], supervisionId: supervision.body.id });

    const events = await eventsOf(opened.id, EventTypes.planChanged, EventTypes.signedOff);
    const signOffs = events.filter((e) => e.type === EventTypes.signedOff).map((e) => e.data);
    expect(signOffs).toHaveLength(2);
    expect(signOffs[0]).toMatchObject({
      exception: true,
      exceptionReason: 'Child safe; visit booked for tomorrow',
      subject: 'plan',
      unmetStandards: expect.arrayContaining([expect.stringMatching(/^visit-overdue/)]),
    });
    expect(events.find((e) => e.type === EventTypes.planChanged).data).toMatchObject({
      smart: false,
      actionCount: 2,
      reviewDate: '2027-02-12',
    });
    expect(events.find((e) => e.type === EventTypes.obligationScheduled && e.data.kind === 'plan-review').data).toMatchObject({
      dueDate: '2027-02-12',
      ruleId: 'plan-review-date',
    });
  }, 60_000);

  it('closing a case ends every open obligation and review', async () => {
    const opened = await open({ openedOn: '2026-10-01', legalStatus: 'looked-after' });
    await post(`/cases/${opened.id}/plans`, { kind: 'care', agreedOn: '2026-10-05', reviewDate: '2027-01-05', actions: [] });
    const closed = await post(`/cases/${opened.id}/closure`, { closedOn: '2026-11-25', reason: 'returned home' });
    expect(closed.status).toBe(201);
    expect(
      closed.body.obligations.map((o: { kind: string; status: string; endedReason: string }) => [o.kind, o.status, o.endedReason]),
    ).toEqual(
      expect.arrayContaining([
        ['visit', 'cancelled', 'case closed'],
        ['lac-review', 'cancelled', 'case closed'],
        ['plan-review', 'cancelled', 'case closed'],
      ]),
    );
    expect(closed.body.obligations.every((o: { status: string }) => o.status === 'cancelled')).toBe(true);
    expect(closed.body.legalStatuses[0].endDate).toBe('2026-11-25');
    expect((await post(`/cases/${opened.id}/closure`, { closedOn: '2026-11-25', reason: 'again' })).status).toBe(409);
    expect(
      (await post(`/cases/${opened.id}/children`, { firstName: 'A', lastName: 'B', dateOfBirth: '2020-01-01', sex: 'male' })).status,
    ).toBe(409);

    const events = await eventsOf(opened.id, EventTypes.caseClosed);
    const cancelled = events
      .filter((e) => e.type === EventTypes.obligationCancelled)
      .map((e) => e.data.obligationId)
      .sort();
    expect(cancelled).toEqual(closed.body.obligations.map((o: { id: string }) => o.id).sort());
    expect(events.filter((e) => e.type === EventTypes.reviewCancelled)).toHaveLength(1);
    expect(events.at(-1).type).toBe(EventTypes.caseClosed);
  }, 60_000);

  it("lists a team's cases with what is overdue in one call, paginated", async () => {
    const team = `t-${stack.id}`;
    const late = await open({ teamId: team, openedOn: '2026-10-01', caseReference: 'A-late' });
    const fresh = await open({ teamId: team, openedOn: '2026-11-25', caseReference: 'B-fresh' });
    const all = await call('GET', `/cases?councilId=${council}&teamId=${team}`);
    expect(all.body).toMatchObject({ today: '2026-11-26', total: 2, page: 1, pageSize: 25 });
    const overdue = await call('GET', `/cases?councilId=${council}&teamId=${team}&overdue=true`);
    expect(overdue.body.items.map((c: { id: string }) => c.id)).toEqual([late.id]);
    expect(overdue.body.items[0].overdue).toEqual([
      expect.objectContaining({ kind: 'visit', dueDate: '2026-10-15' }),
      expect.objectContaining({ kind: 'supervision', dueDate: '2026-10-29' }),
    ]);
    const paged = await call('GET', `/cases?councilId=${council}&teamId=${team}&pageSize=1&page=2`);
    expect(paged.body.items.map((c: { caseReference: string }) => c.caseReference)).toEqual(['B-fresh']);
    expect(paged.body.items[0].nextDue).toMatchObject({ kind: 'visit', dueDate: '2026-12-09' });
    // Each case names its children, so a list of alerts can say whose they are without a request per case.
    expect(paged.body.items[0].children).toEqual([{ id: fresh.children[0].id, firstName: 'Synthetic', lastName: 'Child' }]);
    const tooBig = await call('GET', `/cases?councilId=${council}&pageSize=500&colour=red`);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'pageSize']);
  }, 30_000);

  it('referrals: decision due dates, repeat referrals and the KPI table', async () => {
    const kpiCouncil = `k${stack.id}`;
    const opened = await open({ councilId: kpiCouncil, openedOn: '2026-10-01', legalStatus: 'child-in-need' });
    const contact = await post(`/cases/${opened.id}/referrals`, {
      kind: 'contact',
      receivedOn: '2026-11-20',
      decidedOn: '2026-11-23',
      outcome: 'referral',
    });
    expect(contact.body).toMatchObject({ decisionDueDate: '2026-11-23', decidedOn: '2026-11-23', repeat: false });
    const first = await post(`/cases/${opened.id}/referrals`, { kind: 'referral', receivedOn: '2026-11-02' });
    // A referral's decision, like a contact's, is due the next working day (Working Together 2023).
    expect(first.body).toMatchObject({ decisionDueDate: '2026-11-03', repeat: false });
    const decided = await post(`/cases/${opened.id}/referrals/${first.body.id}/decision`, {
      decidedOn: '2026-11-05',
      outcome: 'assessment',
    });
    expect(decided.status).toBe(201);
    const second = await post(`/cases/${opened.id}/referrals`, { kind: 'referral', receivedOn: '2026-11-16' });
    expect(second.body.repeat).toBe(true);
    const half = await post(`/cases/${opened.id}/referrals`, { kind: 'referral', receivedOn: '2026-11-16', decidedOn: '2026-11-17' });
    expect(half.status).toBe(400);
    expect(half.body.fields.map((f: { field: string }) => f.field)).toEqual(['outcome']);
    await post(`/cases/${opened.id}/visits`, {
      visitedOn: '2026-11-02',
      visitType: 'home',
      visitorId: 'sw.alex',
      childSeen: true,
      seenAlone: false,
      bedroomSeen: false,
      purpose: 'assessment',
    });

    const kpis = await call('GET', `/kpis?councilId=${kpiCouncil}&from=2026-11-01&to=2026-11-26`);
    expect(kpis.status).toBe(200);
    expect(kpis.body).toMatchObject({
      contactsDecidedWithin1WorkingDay: { numerator: 1, denominator: 1, percent: 100 },
      referralsProgressedWithin2WorkingDays: { numerator: 0, denominator: 2, percent: 0 },
      repeatReferrals: { numerator: 1, denominator: 2, percent: 50 },
      childrenInNeedSeenInLast6Weeks: { numerator: 1, denominator: 1, percent: 100 },
      icpcsResultingInPlan: { numerator: 0, denominator: 0, percent: null },
    });
    const events = await eventsOf(opened.id, EventTypes.referralDecided);
    expect(events.filter((e) => e.type === EventTypes.referralRecorded).map((e) => e.data.repeat)).toEqual([false, false, true]);
    expect(events.filter((e) => e.type === EventTypes.referralDecided).map((e) => e.data.withinTimescale)).toEqual([true, false]);
  }, 60_000);

  it('counts children, not cases, in "seen in the last 6 weeks", as DfE does', async () => {
    const kpiCouncil = `perchild${stack.id}`;
    const siblings = [
      { firstName: 'Seen', lastName: 'Sibling', dateOfBirth: '2018-02-01', sex: 'female' },
      { firstName: 'Unseen', lastName: 'Sibling', dateOfBirth: '2020-06-01', sex: 'male' },
    ];
    const opened = await open({ councilId: kpiCouncil, openedOn: '2026-10-01', legalStatus: 'child-in-need', children: siblings });
    const seen = opened.children.find((child: { firstName: string }) => child.firstName === 'Seen');
    const visit = await post(`/cases/${opened.id}/visits`, {
      visitedOn: '2026-11-10',
      visitType: 'home',
      visitorId: 'sw.alex',
      childSeen: true,
      childrenSeen: [seen.id],
      seenAlone: true,
      bedroomSeen: true,
      purpose: 'statutory-visit',
    });
    expect(visit.status).toBe(201);

    const kpis = await call('GET', `/kpis?councilId=${kpiCouncil}&from=2026-11-01&to=2026-11-26`);
    expect(kpis.body.childrenInNeedSeenInLast6Weeks).toEqual({ numerator: 1, denominator: 2, percent: 50 });
  }, 60_000);

  it('documents the API at /docs', async () => {
    const doc = await call('GET', '/docs/openapi.json');
    expect(doc.status).toBe(200);
    for (const path of [
      '/cases',
      '/councils/{councilId}/rules/{ruleId}',
      '/cases/{caseId}/allocations',
      '/cases/{caseId}/legal-status',
      '/cases/{caseId}/reviews/{reviewId}/held',
      '/cases/{caseId}/plans/{planId}/sign-offs',
      '/kpis',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.components.schemas.RecordVisitDto.required).toEqual(
      expect.arrayContaining(['purpose', 'childSeen', 'seenAlone', 'bedroomSeen']),
    );
  }, 30_000);
});
