import { randomUUID } from 'node:crypto';

/** Small HTTP helpers shared by the integration tests. */
export async function request<T = any>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** Ana and Ben Sibling: the two children the per-child tests follow, whose statuses, visits and hearings differ. */
export const SIBLINGS = [
  { firstName: 'Ana', lastName: 'Sibling', dateOfBirth: '2018-03-01', sex: 'female' },
  { firstName: 'Ben', lastName: 'Sibling', dateOfBirth: '2021-06-01', sex: 'male' },
];

/** The case a case opened with SIBLINGS is, and each sibling's id. */
export function siblingsOf(opened: { id: string; caseReference: string; children: { id: string; firstName: string }[] }) {
  const idOf = (firstName: string) => opened.children.find((child) => child.firstName === firstName)!.id;
  return { caseId: opened.id, caseReference: opened.caseReference, ana: idOf('Ana'), ben: idOf('Ben') };
}

export function newCase(overrides: Record<string, unknown> = {}) {
  return {
    councilId: 'test-council',
    caseReference: `T-${randomUUID().slice(0, 8)}`,
    teamId: 'north-1',
    allocatedWorkerId: 'sw.alex',
    teamManagerId: 'tm.sam',
    legalStatus: 'child-protection-plan',
    openedOn: '2026-11-02',
    children: [{ firstName: 'Synthetic', lastName: 'Child', dateOfBirth: '2019-04-01', sex: 'female' }],
    ...overrides,
  };
}

/** The value of one Prometheus sample, e.g. metric(text, 'consumer_handler_seconds_count', 'outcome="duplicate"'). */
export function metric(exposition: string, name: string, labels = ''): number {
  const line = exposition.split('\n').find((l) => l.startsWith(labels ? `${name}{` : `${name} `) && l.includes(labels));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/**
 * Opens cases one after another until stopped, through crashes: a refused or failed request is
 * simply tried again. `acknowledged` holds the ids the service confirmed (201) — what a user saw.
 */
export function openCasesContinuously(casesUrl: () => string, headers: () => Promise<Record<string, string>>, pauseMs = 0) {
  const acknowledged: string[] = [];
  let stopping = false;
  const running = (async () => {
    while (!stopping) {
      try {
        const response = await request('POST', `${casesUrl()}/cases`, newCase(), await headers());
        if (response.status === 201) acknowledged.push(response.body.id);
        if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50)); // the service is down
      }
    }
  })();
  return {
    acknowledged,
    stop: async () => {
      stopping = true;
      await running;
    },
  };
}
