/**
 * A small scenario against the running services, printed as a social worker and a manager would
 * read it: a case is opened, a visit is recorded late, proceedings are issued, and the alerting
 * service is shown to know every resulting obligation — each hop over Kafka.
 */
import { addDays, londonDateOf } from '@plo/timescales';

const CASES = process.env.CASES_URL ?? 'http://127.0.0.1:3001';
const PLO = process.env.PLO_URL ?? 'http://127.0.0.1:3002';
const ALERTING = process.env.ALERTING_URL ?? 'http://127.0.0.1:3003';

interface Obligation {
  kind: string;
  ruleId: string;
  dueDate: string;
  status: string;
  explanation: string;
  satisfiedOn?: string | null;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-user-id': 'demo.social-worker' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

function daysAgo(days: number): string {
  return addDays(londonDateOf(new Date()), -days);
}

async function alertingView(caseId: string, expected: (obligations: Obligation[]) => boolean): Promise<Obligation[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const obligations = await call<Obligation[]>('GET', `${ALERTING}/obligations?caseId=${caseId}`);
    if (expected(obligations) || Date.now() > deadline) return obligations;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function show(obligations: Obligation[]) {
  for (const o of obligations) {
    console.log(`   ${o.status.padEnd(9)} ${o.kind.padEnd(22)} due ${o.dueDate}${o.satisfiedOn ? ` (met ${o.satisfiedOn})` : ''}`);
    console.log(`             ${o.explanation}`);
  }
}

async function main() {
  const reference = `DEMO-${Date.now().toString(36).toUpperCase()}`;
  console.log(`\n1. A social worker opens case ${reference} for two siblings on a child protection plan, three weeks ago.`);
  const opened = await call<{ id: string; children: { id: string; firstName: string }[]; obligations: Obligation[] }>('POST', `${CASES}/cases`, {
    councilId: 'demo-council',
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
  });
  console.log('   The cases service computed the first visit:');
  show(opened.obligations);

  console.log('\n2. The alerting service learnt of it over Kafka (cases → plo.cases.events.v1 → alerting):');
  show(await alertingView(opened.id, (list) => list.length >= 1));

  console.log('\n3. The visit happened 12 days ago but is only recorded now (late entry is normal).');
  await call('POST', `${CASES}/cases/${opened.id}/visits`, {
    visitedOn: daysAgo(12),
    visitType: 'statutory',
    visitorId: 'sw.alex',
    childSeen: true,
    seenAlone: true,
    bedroomSeen: false,
    purpose: 'child-protection-plan-review',
  });
  console.log('   Alerting now shows the first visit met and the next one due:');
  show(await alertingView(opened.id, (list) => list.some((o) => o.status === 'satisfied') && list.length >= 2));

  console.log('\n4. Legal issue care proceedings for both children today; each child gets a 26-week clock.');
  const today = daysAgo(0);
  const issued = await call<{ caseCompletionDate: string; explanation: string }>('POST', `${PLO}/proceedings`, {
    caseId: opened.id,
    court: 'Demo Family Court',
    courtCaseNumber: `DC${Date.now().toString(36).toUpperCase()}`,
    issuedOn: today,
    submittedOn: today,
    childIds: opened.children.map((child) => child.id),
  });
  console.log(`   Case completion date ${issued.caseCompletionDate}: ${issued.explanation}`);
  const final = await alertingView(opened.id, (list) => list.filter((o) => o.kind === 'proceedings-completion').length >= 2);
  console.log('   Alerting (proceedings → plo.proceedings.events.v1 → alerting) now holds:');
  show(final);

  const ok = final.filter((o) => o.kind === 'proceedings-completion').length === 2 && final.some((o) => o.status === 'satisfied');
  console.log(ok ? '\nDemo complete: every obligation crossed Kafka to the alerting service.' : '\nDemo FAILED: alerting did not receive every obligation.');
  if (!ok) process.exit(1);
}

main().catch((error) => {
  console.error(`demo failed: ${(error as Error).message}`);
  process.exit(1);
});
