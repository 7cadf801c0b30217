import { randomUUID } from 'node:crypto';
import type { TokenClaims } from '@plo/platform';
import { ConsoleUser, eventually, ServiceProcess, TestStack, textOf } from '@plo/testing';
import { addDays, type LocalDate, londonDateOf } from '@plo/timescales';
import { formatDate, formatDateTime } from '../apps/console/src/rendering';
import { newCase, request, SIBLINGS } from './api';

const COUNCIL = 'demo-council';

/**
 * Legal staff's page in the console, over the real cases, PLO and alerting services: each child's
 * own 26 weeks and extensions, the next hearing, directions due at a time of day, projected drift and
 * the court updates that could not be applied, which the lawyer retries or dismisses from the page.
 * The services keep real time, so every date is counted from today.
 */
describe('console: the legal page', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let plo: ServiceProcess;
  let consoleApp: ServiceProcess;
  const today: LocalDate = londonDateOf(new Date());
  const day = (offset: number) => addDays(today, offset);

  const people = {
    legal: { subject: 'law.kim', councilId: COUNCIL, roles: ['legal'], teamIds: [] },
    manager: { subject: 'tm.sam', councilId: COUNCIL, roles: ['team-manager'], teamIds: ['north-1'] },
  } satisfies Record<string, TokenClaims>;
  const as = (who: keyof typeof people) => stack.as(people[who]);
  const ploApi = async (method: string, path: string, body?: unknown) => request(method, `${plo.url}${path}`, body, await as('legal'));

  let caseId: string;
  let proceedingsId: string;
  let courtCaseNumber: string;
  let toRetry: number;
  let toDismiss: number;

  /** An update as HMC's hearing service sends it, listing a hearing on `startsAt`. */
  const courtUpdate = (caseRef: string, startsAt: string) => ({
    hmctsServiceCode: 'ABA3',
    caseRef,
    hearingID: `H-${randomUUID().slice(0, 8)}`,
    hearingUpdate: {
      hearingResponseReceivedDateTime: new Date().toISOString(),
      hearingEventBroadcastDateTime: new Date().toISOString(),
      HMCStatus: 'LISTED',
      hearingListingStatus: 'FIXED',
      nextHearingDate: startsAt,
      hearingVenueId: '234946',
    },
  });

  beforeAll(async () => {
    let alerting: ServiceProcess;
    [cases, plo, alerting] = await Promise.all([
      stack.service('cases').start(),
      stack.service('plo').start(),
      stack.service('alerting').start(),
    ]);
    consoleApp = await stack.console({ cases, plo, alerting }).start();

    // Two siblings in north-1, Sam's team and Alex's caseload.
    const opened = await request(
      'POST',
      `${cases.url}/cases`,
      newCase({
        councilId: COUNCIL,
        openedOn: day(-365),
        children: SIBLINGS,
      }),
      await as('manager'),
    );
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
    const [ana, ben] = opened.body.children.map((child: { id: string }) => child.id);
    courtCaseNumber = `LK${stack.id.toUpperCase()}`;

    // The court lists a hearing before the council has recorded the proceedings, and another for a case number it never will.
    const early = await ploApi('POST', '/court/hearing-updates', courtUpdate(courtCaseNumber, `${day(20)}T10:00:00Z`));
    expect(early.status).toBe(422);
    toRetry = early.body.exceptionId;
    const stranger = await ploApi('POST', '/court/hearing-updates', courtUpdate(`ZZ${stack.id.toUpperCase()}`, `${day(21)}T10:00:00Z`));
    expect(stranger.status).toBe(422);
    toDismiss = stranger.body.exceptionId;

    // Issued 200 days ago: both children's 26 weeks ended 19 days ago.
    const issue = () =>
      ploApi('POST', '/proceedings', {
        caseId,
        court: 'Test Family Court',
        courtCaseNumber,
        issuedOn: day(-200),
        submittedOn: day(-200),
        childIds: [ana, ben],
      });
    const issued = await eventually(issue, (r) => r.status !== 404, 30_000, 'PLO to learn of the case');
    expect(issued.status).toBe(201);
    proceedingsId = issued.body.proceedingsId;

    // Ana's are extended by 8 weeks, granted the day before they ended.
    const extended = await ploApi('POST', `/proceedings/${proceedingsId}/children/${ana}/extensions`, {
      grantedOn: day(-20),
      extendBy: '8 weeks',
      reason: 'timetable-for-child',
    });
    expect([extended.status, extended.body.newEndDate]).toEqual([201, day(37)]);

    // A baby born during the proceedings joins them a month ago, with their own 26 weeks.
    const baby = await request(
      'POST',
      `${cases.url}/cases/${caseId}/children`,
      { firstName: 'Cleo', lastName: 'Sibling', dateOfBirth: day(-40), sex: 'female' },
      await as('manager'),
    );
    expect(baby.status).toBe(201);
    const joined = await eventually(
      () => ploApi('POST', `/proceedings/${proceedingsId}/children`, { childId: baby.body.childId, issuedOn: day(-30) }),
      (r) => r.status !== 422,
      30_000,
      'PLO to learn of the baby',
    );
    expect(joined.status).toBe(201);

    // The IRH in ten days; the final hearing in sixty, after Ana's extended limit and Ben's.
    for (const [hearingType, offset] of [
      ['issue-resolution', 10],
      ['final', 60],
    ] as const) {
      const listed = await ploApi('POST', `/proceedings/${proceedingsId}/hearings`, {
        hearingType,
        startsAt: `${day(offset)}T10:00:00Z`,
        listingStatus: 'fixed',
        venue: 'Court 3',
      });
      expect(listed.status).toBe(201);
    }
    // The court moved the IRH two days later, then back: the page says where it last moved from.
    const irh = (await ploApi('GET', `/proceedings/${proceedingsId}`)).body.hearings.find(
      (h: { hearingType: string }) => h.hearingType === 'issue-resolution',
    );
    expect(
      (await ploApi('POST', `/proceedings/${proceedingsId}/hearings/${irh.id}/move`, { startsAt: `${day(12)}T10:00:00Z` })).status,
    ).toBe(200);
    expect(
      (await ploApi('POST', `/proceedings/${proceedingsId}/hearings/${irh.id}/move`, { startsAt: `${day(10)}T10:00:00Z` })).status,
    ).toBe(200);
    // The cases service names the children to legal once PLO's legal involvement has reached it.
    await eventually(
      async () => (await request('GET', `${cases.url}/cases/${caseId}/children`, undefined, await as('legal'))).body,
      (children) => Array.isArray(children) && children.length === 3,
      30_000,
      'cases to show legal the three children',
    );
  }, 180_000);

  afterAll(() => stack.stop(), 60_000);

  const signedIn = async (persona: string) => {
    const user = new ConsoleUser(consoleApp.url);
    await user.signInAs(persona);
    return user;
  };
  /** The visible text of the table row that mentions `words`. */
  const rowWith = (html: string, words: string) => {
    const row = html.split('<tr').find((part) => textOf(`<tr${part}`).includes(words));
    if (!row) throw new Error(`no row mentions ${words}`);
    return textOf(`<tr${row}`);
  };
  const exceptionsOf = async () =>
    (await ploApi('GET', '/court/exceptions?status=all')).body as { id: number; status: string; resolution: string | null }[];

  it("shows each child's weeks of 26, extensions and limit, most urgent first, with the next hearing, timed directions and the court updates", async () => {
    const kim = await signedIn('law.kim');
    const page = await kim.visit('/legal');
    expect(page.status).toBe(200);
    const text = textOf(page.html);

    // Child, proceedings, weeks elapsed of 26 since the child's own issue day, extensions, limit, status.
    expect(rowWith(page.html, 'Ben Sibling')).toContain(
      `Ben Sibling ${courtCaseNumber} (case of Ben Sibling) 28 of 26 issued ${formatDate(day(-200))} None ${formatDate(day(-19))} 19 days past Past 26 weeks`,
    );
    const ana = rowWith(page.html, 'Ana Sibling');
    expect(ana).toContain('28 of 26');
    expect(ana).toContain(`8 weeks, granted ${formatDate(day(-20))} (${formatDate(day(-19))} to ${formatDate(day(37))})`);
    expect(ana).toContain(`${formatDate(day(37))} 37 days left`);
    expect(ana).toContain('Past 26 weeks, extended');
    expect(ana).toContain(`Projected drift The final hearing on ${formatDate(day(60))} is after the limit`);
    const cleo = rowWith(page.html, 'Cleo Sibling');
    expect(cleo).toContain(`4 of 26 issued ${formatDate(day(-30))} None ${formatDate(day(151))}`);
    expect(cleo).toContain('Within 26 weeks');
    expect(cleo).not.toContain('Projected drift');
    // Ben is past his limit, Ana nearest hers, Cleo has months left.
    expect(text.indexOf('Ben Sibling')).toBeLessThan(text.indexOf('Ana Sibling'));
    expect(text.indexOf('Ana Sibling')).toBeLessThan(text.indexOf('Cleo Sibling'));
    expect(page.html).toContain(`href="/cases/${caseId}"`);

    const hearings = rowWith(page.html, 'Issues resolution hearing');
    expect(hearings).toContain(
      `Issues resolution hearing ${formatDateTime(`${day(10)}T10:00:00Z`)}, Court 3 Moved from ${formatDate(day(12))} listing fixed`,
    );
    // The directions before the IRH, at the times their rules set (FPL: bundle 16:00, case summary 12:00).
    const record = (await ploApi('GET', `/proceedings/${proceedingsId}`)).body;
    const irh = record.hearings.find((h: { hearingType: string }) => h.hearingType === 'issue-resolution').id;
    const dueAt = (kind: string) => record.obligations.find((o: any) => o.hearingId === irh && o.kind === kind).dueAt as string;
    expect(formatDateTime(dueAt('hearing-bundle'))).toMatch(/, 16:00$/);
    expect(formatDateTime(dueAt('hearing-case-summary'))).toMatch(/, 12:00$/);
    const beforeIrh = `(Issues resolution hearing on ${formatDate(day(10))})`;
    expect(hearings).toContain(`Court bundle before a hearing ${beforeIrh}: due ${formatDateTime(dueAt('hearing-bundle'))}`);
    expect(hearings).toContain(`Case summary before a hearing ${beforeIrh}: due ${formatDateTime(dueAt('hearing-case-summary'))}`);

    const queue = rowWith(page.html, `Update ${toDismiss}`);
    expect(queue).toContain(`ZZ${stack.id.toUpperCase()}`);
    expect(queue).toContain(`unknown court case number ZZ${stack.id.toUpperCase()}`);
    expect(text).toContain('2 past 26 weeks, 2 projected to drift, 2 court updates to resolve');
  });

  it("shows a social worker PLO's refusal, and their form changes nothing", async () => {
    const alex = await signedIn('sw.alex');
    const page = await alex.visit('/legal');
    expect(page.status).toBe(403);
    expect(textOf(page.html)).toContain('You cannot do that');
    const before = await exceptionsOf();
    const attempt = await alex.submit(`/legal/exceptions/${toRetry}/retry`);
    expect(textOf(attempt.html)).toContain('You cannot do that');
    expect(attempt.status).toBe(403);
    expect(await exceptionsOf()).toEqual(before);
  });

  it('retries a court update from the page: applied now that the proceedings are recorded, it leaves the queue', async () => {
    const kim = await signedIn('law.kim');
    await kim.visit('/legal');
    const retried = await kim.submit(`/legal/exceptions/${toRetry}/retry`);
    expect(retried.status).toBe(200);
    expect(new URL(retried.url).pathname).toBe('/legal');
    expect(textOf(retried.html)).toContain(`Success Court update ${toRetry} was applied to the proceedings. It has left the queue.`);
    expect(retried.html).not.toContain(`/legal/exceptions/${toRetry}/retry`);

    expect((await exceptionsOf()).find((e) => e.id === toRetry)).toMatchObject({ status: 'resolved', resolution: 'reapplied' });
    const hearings = (await ploApi('GET', `/proceedings/${proceedingsId}`)).body.hearings;
    expect(hearings.map((h: { hearingDate: string }) => h.hearingDate)).toContain(day(20));
  });

  it('dismisses a court update only with a note and a valid form token', async () => {
    const kim = await signedIn('law.kim');
    await kim.visit('/legal');

    const withoutToken = await kim.request(`/legal/exceptions/${toDismiss}/dismiss`, { form: { note: 'No token' } });
    expect(withoutToken.status).toBe(403);
    const forged = await kim.request(`/legal/exceptions/${toDismiss}/dismiss`, { form: { _csrf: 'forged', note: 'Forged' } });
    expect(forged.status).toBe(403);
    expect((await exceptionsOf()).find((e) => e.id === toDismiss)?.status).toBe('open');

    const blank = await kim.submit(`/legal/exceptions/${toDismiss}/dismiss`, { note: '  ' });
    expect(blank.status).toBe(200);
    expect(textOf(blank.html)).toContain('There is a problem Enter why the court update is dismissed');
    expect(blank.html).toContain(`href="#note-${toDismiss}"`);
    const long = await kim.submit(`/legal/exceptions/${toDismiss}/dismiss`, { note: 'x'.repeat(1001) });
    expect(textOf(long.html)).toContain('There is a problem The reason must be 1000 characters or fewer');
    expect((await exceptionsOf()).find((e) => e.id === toDismiss)?.status).toBe('open');

    const dismissed = await kim.submit(`/legal/exceptions/${toDismiss}/dismiss`, { note: 'Sent to the wrong council; the court was told' });
    expect(textOf(dismissed.html)).toContain(`Success Court update ${toDismiss} was dismissed with your note and has left the queue.`);
    expect(textOf(dismissed.html)).toContain('None are waiting.');
    expect((await exceptionsOf()).find((e) => e.id === toDismiss)).toMatchObject({
      status: 'resolved',
      resolution: 'dismissed: Sent to the wrong council; the court was told',
    });
  });
});
