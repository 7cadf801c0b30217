/**
 * A small scenario against the running services, printed as a social worker, a lawyer and a team
 * manager would read it: a case is opened for two siblings, a visit is recorded late and sees only
 * one of them, proceedings are issued, and the team manager's alert list shows the visit the other
 * child is owed — every hop between services over Kafka. Callers sign in with development tokens.
 */
import { join } from 'node:path';
import { ApiClients, apiClients } from '@plo/api-client';
import { mintDevelopmentToken, TokenClaims } from '@plo/platform';
import { addDays, londonDateOf } from '@plo/timescales';

const CASES = process.env.CASES_URL ?? 'http://127.0.0.1:3001';
const PLO = process.env.PLO_URL ?? 'http://127.0.0.1:3002';
const ALERTING = process.env.ALERTING_URL ?? 'http://127.0.0.1:3003';
const KEYS = process.env.AUTH_DEV_KEYS_FILE ?? join(__dirname, '..', '..', '.local', 'auth', 'dev-keys.json');

const council = 'demo-council';
const people = {
  socialWorker: { subject: 'sw.alex', councilId: council, roles: ['social-worker'], teamIds: ['north-1'] },
  lawyer: { subject: 'law.kim', councilId: council, roles: ['legal'], teamIds: [] },
  teamManager: { subject: 'tm.sam', councilId: council, roles: ['team-manager'], teamIds: ['north-1'] },
} satisfies Record<string, TokenClaims>;
type Person = keyof typeof people;

interface Obligation {
  kind: string;
  childId?: string | null;
  dueDate: string;
  status: string;
  explanation: string;
  satisfiedOn?: string | null;
}

/**
 * Each person talks to the services through the typed client generated from their OpenAPI documents,
 * so a call the documents do not describe does not compile.
 */
function as(person: Person): ApiClients {
  const token = () =>
    mintDevelopmentToken({ issuer: 'urn:plo:dev-issuer', audience: 'plo-api', developmentKeysFile: KEYS }, people[person]);
  return apiClients({ cases: CASES, plo: PLO, alerting: ALERTING }, token);
}

/** The answer's body, or an error naming the call, the person and what the service said. */
async function answer<T>(person: Person, call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) {
    throw new Error(`${response.url} as ${people[person].subject} → ${response.status}: ${JSON.stringify(error)}`);
  }
  return data;
}

const daysAgo = (days: number) => addDays(londonDateOf(new Date()), -days);

/** Asks again until the answer is there: events take a moment to cross Kafka (404 until then). */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const value = await probe();
      if (done(value) || Date.now() > deadline) return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function show(obligations: Obligation[], names: Map<string, string>) {
  for (const o of obligations) {
    const who = o.childId ? ` (${names.get(o.childId) ?? 'child'})` : '';
    console.log(
      `   ${o.status.padEnd(9)} ${`${o.kind}${who}`.padEnd(36)} due ${o.dueDate}${o.satisfiedOn ? `, met ${o.satisfiedOn}` : ''}`,
    );
    console.log(`             ${o.explanation}`);
  }
}

async function main() {
  const reference = `DEMO-${Date.now().toString(36).toUpperCase()}`;
  console.log(`\n1. Social worker sw.alex opens case ${reference} for two siblings on a child protection plan, three weeks ago.`);
  const opened = await answer(
    'socialWorker',
    as('socialWorker').cases.POST('/cases', {
      body: {
        councilId: council,
        caseReference: reference,
        teamId: 'north-1',
        allocatedWorkerId: 'sw.alex',
        teamManagerId: 'tm.sam',
        legalStatus: 'child-protection-plan',
        openedOn: daysAgo(21),
        children: [
          { firstName: 'Synthetic', lastName: 'Child-One', dateOfBirth: '2018-03-14', sex: 'female' },
          { firstName: 'Synthetic', lastName: 'Child-Two', dateOfBirth: '2021-09-02', sex: 'male' },
        ],
      },
    }),
  );
  const names = new Map(opened.children.map((child) => [child.id, child.lastName]));
  const [first, second] = opened.children;
  console.log('   The cases service owes each child a visit, computed by the council’s rule:');
  show(opened.obligations, names);

  const alertingView = (done: (list: Obligation[]) => boolean) =>
    until(() => answer('teamManager', as('teamManager').alerting.GET('/obligations', { params: { query: { caseId: opened.id } } })), done);
  console.log('\n2. The alerting service learnt of them over Kafka (cases → plo.cases.events.v1 → alerting):');
  show(await alertingView((list) => list.length >= 2), names);

  console.log(`\n3. The visit happened 12 days ago but is recorded only now; it saw ${first.lastName}, not ${second.lastName}.`);
  await answer(
    'socialWorker',
    as('socialWorker').cases.POST('/cases/{caseId}/visits', {
      params: { path: { caseId: opened.id } },
      body: {
        visitedOn: daysAgo(12),
        visitType: 'statutory',
        visitorId: 'sw.alex',
        childSeen: true,
        childrenSeen: [first.id],
        seenAlone: true,
        bedroomSeen: false,
        purpose: 'child-protection-plan-review',
      },
    }),
  );
  show(await alertingView((list) => list.some((o) => o.status === 'satisfied')), names);

  console.log('\n4. Legal issue care proceedings for both children today; each child gets a 26-week clock.');
  const today = daysAgo(0);
  const issued = await answer(
    'lawyer',
    as('lawyer').plo.POST('/proceedings', {
      body: {
        caseId: opened.id,
        court: 'Demo Family Court',
        courtCaseNumber: `DC${Date.now().toString(36).toUpperCase()}`,
        issuedOn: today,
        submittedOn: today,
        childIds: opened.children.map((child) => child.id),
      },
    }),
  );
  console.log(`   Case completion date ${issued.caseCompletionDate}: ${issued.explanation}`);
  const clocks = await alertingView((list) => list.filter((o) => o.kind === 'proceedings-completion').length >= 2);
  show(
    clocks.filter((o) => o.kind === 'proceedings-completion'),
    names,
  );

  console.log('\n5. Monday morning: team manager tm.sam opens the team’s alerts.');
  const alerts = await until(
    () => answer('teamManager', as('teamManager').alerting.GET('/alerts', { params: { query: { teamId: 'north-1' } } })),
    (page) => page.items.some((alert) => alert.childId === second.id && alert.level === 'drift'),
  );
  console.log(`   (the team's other cases have alerts too; these are ${reference}'s)`);
  for (const alert of alerts.items.filter((a) => a.caseId === opened.id && a.state !== 'resolved')) {
    console.log(
      `   ${alert.severity.padEnd(8)} ${alert.level.padEnd(7)} ${alert.kind} for ${names.get(alert.childId ?? '') ?? 'the case'}, due ${alert.dueDate}`,
    );
  }

  const inDays = (days: number) => daysAgo(-days);
  console.log('\n6. The court lists the case management hearing, then moves it two days later.');
  const hearing = await answer(
    'lawyer',
    as('lawyer').plo.POST('/proceedings/{id}/hearings', {
      params: { path: { id: issued.proceedingsId } },
      body: { hearingType: 'case-management', startsAt: `${inDays(12)}T10:00:00Z`, listingStatus: 'fixed' },
    }),
  );
  await answer(
    'lawyer',
    as('lawyer').plo.POST('/proceedings/{id}/hearings/{hearingId}/move', {
      params: { path: { id: issued.proceedingsId, hearingId: hearing.id } },
      body: { startsAt: `${inDays(14)}T10:00:00Z` },
    }),
  );
  console.log(`   Each child's PLO timeline shows it: http://127.0.0.1:${process.env.CONSOLE_HTTP_PORT ?? 3000}/cases/${opened.id}`);

  console.log(
    `\n7. tm.sam supervises the case: a decision and a SMART action on the record; the next supervision is due by the council's cadence.`,
  );
  const supervision = await answer(
    'teamManager',
    as('teamManager').cases.POST('/cases/{caseId}/supervisions', {
      params: { path: { caseId: opened.id } },
      body: {
        heldOn: today,
        supervisorId: 'tm.sam',
        childIds: [first.id, second.id],
        decisions: [`${second.lastName} has not been seen since the case opened: visit this week`],
        actions: [
          {
            description: `Statutory visit to ${second.lastName}`,
            ownerId: 'sw.alex',
            dueDate: inDays(5),
            measurableOutcome: `${second.lastName} seen alone and the visit recorded`,
          },
        ],
      },
    }),
  );
  console.log(`   Supervision ${supervision.id} recorded; the case now owes:`);
  const record = await answer('teamManager', as('teamManager').cases.GET('/cases/{caseId}', { params: { path: { caseId: opened.id } } }));
  show(
    record.obligations.filter((o) => o.kind === 'supervision' && o.status === 'open'),
    names,
  );

  console.log(`\n8. ${second.lastName}'s chronology, as a court bundle needs it, from all three services:`);
  const chronology = await until(
    () =>
      answer(
        'teamManager',
        as('teamManager').cases.GET('/cases/{caseId}/children/{childId}/chronology', {
          params: { path: { caseId: opened.id, childId: second.id } },
        }),
      ),
    (view) => ['cases', 'plo', 'alerting'].every((source) => view.entries.some((entry) => entry.source === source)),
  );
  for (const entry of chronology.entries) console.log(`   ${entry.date}  ${entry.source.padEnd(8)} ${entry.event}`);
  const consoleUrl = `http://127.0.0.1:${process.env.CONSOLE_HTTP_PORT ?? 3000}`;
  console.log(
    `   As PDF, through the console (audited as a disclosure): ${consoleUrl}/cases/${opened.id}/children/${second.id}/chronology.pdf`,
  );

  const drift = alerts.items.find((alert) => alert.childId === second.id && alert.level === 'drift');
  const ok = clocks.filter((o) => o.kind === 'proceedings-completion').length === 2 && drift !== undefined;
  console.log(
    ok
      ? `\nDemo complete: ${second.lastName}'s missed visit is in front of the team manager and in the chronology, and every obligation crossed Kafka.`
      : '\nDemo FAILED: the team manager does not see the missed visit.',
  );
  if (!ok) process.exit(1);
}

main().catch((error) => {
  console.error(`demo failed: ${(error as Error).message}`);
  process.exit(1);
});
