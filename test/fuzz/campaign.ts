import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Topology } from '@plo/contracts';
import type { ServiceName, TestStack } from '@plo/testing';
import { AccessLedger, answerProblems, DatabaseWatcher, differences, looksLikeInternals, Snapshot, WRITTEN_ON_REFUSAL } from './checks';
import { OpenApiDocument, Operation, operationKey, operationsOf } from './openapi';
import { FuzzRequest, hostileRequest, validRequest } from './requests';
import { PersonaName, PERSONAS, World } from './world';

export interface CampaignOptions {
  seed: number;
  /** Requests to send, set-up excluded. */
  requests: number;
  /** Stops early when this much time has gone, whatever `requests` says. */
  timeLimitMs: number;
  /** Hostile requests per batch whose database effect is checked; each batch follows a valid-looking one a third its size. */
  batchSize?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

/** A request as the report shows it: enough to send it again by hand. */
export interface Exhibit {
  persona: PersonaName;
  method: string;
  url: string;
  mutation: string;
  headers: Record<string, string>;
  body?: string;
  status?: number;
  answer?: string;
  /** For a 5xx: what the service logged under the answer's correlation id. */
  serviceLog?: string;
}

export interface CampaignResult {
  seed: number;
  sent: number;
  elapsedMs: number;
  byStatusClass: Record<string, number>;
  byService: Record<string, number>;
  byPersona: Record<string, number>;
  serverErrors: Exhibit[];
  internalsShown: (Exhibit & { problems: string[] })[];
  noAnswer: Exhibit[];
  /** `culprit` when replaying the batch in halves found the request; else the batch's changes alone. */
  writesAfter4xx: { changes: string[]; culprit?: Exhibit; batch: number }[];
  leaks: ReturnType<AccessLedger['leaks']>;
  bodyScoped403: ReturnType<AccessLedger['leaks']>;
  batches: { checked: number; notAllRefused: number; unsettled: number };
  /** Hostile writes answered 2xx, by operation and mutation: input stored as sent, by design or not. */
  hostileWritesAccepted: Record<string, number>;
  coverage: { operations: number; reached: number; answered2xx: number; never2xx: string[] };
  undocumented: string[];
}

/** The services of a stack, as the fuzzer needs them. */
export interface Target {
  stack: TestStack;
  urls: Record<ServiceName, string>;
  /** The services' own output, to quote what they logged about a 5xx. */
  logs?: Record<ServiceName, () => string>;
}

const SERVICES: ServiceName[] = ['cases', 'plo', 'alerting'];
/** Longer than a hostile batch and the settling after it take. */
const BACKGROUND_HORIZON_SECONDS = 20;

/** Every operation of every service, read from the documents the running services publish. */
export async function fetchOperations(urls: Record<ServiceName, string>): Promise<Operation[]> {
  const operations: Operation[] = [];
  for (const service of SERVICES) {
    const response = await fetch(`${urls[service]}/docs/openapi.json`);
    if (!response.ok) throw new Error(`${service} did not serve its OpenAPI document: ${response.status}`);
    operations.push(...operationsOf(service, (await response.json()) as OpenApiDocument));
  }
  return operations;
}

/**
 * Records for the generated requests to find: a case with two children, a review, a plan, a
 * referral, proceedings with a hearing, pre-proceedings, a court exception, a calendar feed, a
 * team and a person in the directory, the council's rules, alerts raised on the case's overdue
 * visits; and a case each for the other team and the other council, so those personas have
 * records they may see (their 2xx is what makes a 403 elsewhere a leak).
 */
export async function prepareWorld(
  target: Target,
  log: (line: string) => void = () => undefined,
): Promise<{ world: World; personas: Record<PersonaName, Record<string, string>> }> {
  const council = `c${target.stack.id}`;
  const otherCouncil = `d${target.stack.id}`;
  const world = new World(target.urls, council, otherCouncil);
  const claims = PERSONAS(council, otherCouncil);
  const personas = Object.fromEntries(
    await Promise.all(Object.entries(claims).map(async ([name, c]) => [name, await target.stack.as(c)])),
  ) as Record<PersonaName, Record<string, string>>;
  const call = async (
    service: ServiceName,
    method: string,
    path: string,
    persona: PersonaName,
    body?: unknown,
    retried = false,
  ): Promise<{ status: number; body: any }> => {
    const version = world.versionOf(path);
    const response = await fetch(`${target.urls[service]}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(version ? { 'if-match': version } : {}), ...personas[persona] },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    world.learn(path.replace(/[0-9a-f-]{36}/g, '{id}'), path, response.status, response.headers.get('etag'), parsed);
    if (response.status === 412 && !retried) return call(service, method, path, persona, body, true);
    if (response.status >= 300) log(`set-up: ${method} ${path} as ${persona} answered ${response.status} ${text.slice(0, 200)}`);
    return { status: response.status, body: parsed };
  };
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  const openCase = (persona: PersonaName, councilId: string, teamId: string, legalStatus: string) =>
    call('cases', 'POST', '/cases', persona, {
      councilId,
      caseReference: `FZ-${randomUUID().slice(0, 8)}`,
      teamId,
      allocatedWorkerId: 'sw.alex',
      teamManagerId: 'tm.sam',
      legalStatus,
      openedOn: daysAgo(120),
      children: [
        { firstName: 'Synthetic', lastName: 'Child', dateOfBirth: '2019-04-01', sex: 'female' },
        { firstName: 'Synthetic', lastName: 'Sibling', dateOfBirth: '2021-06-01', sex: 'male' },
      ],
    });

  const main = await openCase('teamManager', council, 'north-1', 'child-protection-plan');
  const protection = await openCase('teamManager', council, 'north-1', 'child-protection-plan');
  await openCase('otherTeamWorker', council, 'east-3', 'child-in-need');
  await openCase('otherCouncilAdministrator', otherCouncil, 'north-1', 'child-protection-plan');
  if (main.status !== 201 || protection.status !== 201)
    throw new Error(`could not open the fixture cases: ${main.status} ${protection.status}`);
  const caseId: string = main.body.id;
  const childIds: string[] = main.body.children.map((child: { id: string }) => child.id);
  await call('cases', 'GET', `/cases/${caseId}`, 'teamManager');
  await call('cases', 'POST', `/cases/${caseId}/reviews`, 'teamManager', {
    kind: 'cp-review',
    anchorDate: daysAgo(10),
    childId: childIds[0],
  });
  await call('cases', 'POST', `/cases/${caseId}/plans`, 'teamManager', {
    kind: 'child-protection',
    agreedOn: daysAgo(5),
    reviewDate: daysAgo(-60),
    actions: [{ description: 'Attend the parenting programme', ownerId: 'sw.alex' }],
  });
  await call('cases', 'POST', `/cases/${caseId}/referrals`, 'teamManager', { kind: 'contact', receivedOn: daysAgo(3), source: 'school' });
  await call('cases', 'GET', `/councils/${council}/rules`, 'administrator');

  const courtCaseNumber = `FZ${target.stack.id.toUpperCase()}`;
  world.add('courtCaseNumber', courtCaseNumber);
  let issued = { status: 0, body: undefined as any };
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    issued = await call('plo', 'POST', '/proceedings', 'legal', {
      caseId,
      court: 'Test Family Court',
      courtCaseNumber,
      issuedOn: daysAgo(30),
      submittedOn: daysAgo(31),
      childIds,
    });
    if (issued.status !== 404) break;
  }
  if (issued.status !== 201) throw new Error(`could not issue the fixture proceedings: ${issued.status} ${JSON.stringify(issued.body)}`);
  const proceedingsId: string = issued.body.proceedingsId;
  await call('plo', 'POST', `/proceedings/${proceedingsId}/hearings`, 'legal', {
    hearingType: 'case-management',
    startsAt: `${daysAgo(-14)}T10:00:00Z`,
    listingStatus: 'fixed',
    courtHearingId: 'H-1',
  });
  await call('plo', 'GET', `/proceedings/${proceedingsId}`, 'legal');
  await call('plo', 'POST', '/pre-proceedings', 'legal', {
    caseId: protection.body.id,
    decidedOn: daysAgo(20),
    decision: 'pre-proceedings',
  });
  await call('plo', 'POST', '/court/hearing-updates', 'courtService', {
    hmctsServiceCode: 'ABA3',
    caseRef: 'UNKNOWN1',
    hearingID: 'H-9',
    hearingUpdate: {
      hearingResponseReceivedDateTime: `${daysAgo(1)}T08:59:00Z`,
      hearingEventBroadcastDateTime: `${daysAgo(1)}T09:00:00Z`,
      HMCStatus: 'LISTED',
      hearingListingStatus: 'FIXED',
    },
  });
  await call('plo', 'POST', '/calendar-feeds', 'teamManager', { scope: 'team', scopeId: 'north-1' });

  await call('alerting', 'PUT', '/admin/teams/north-1', 'administrator', { serviceManagerId: 'sm.pat' });
  await call('alerting', 'PUT', '/admin/people/tm.sam', 'administrator', { email: 'tm.sam@example.invalid', displayName: 'Sam' });
  for (
    const deadline = Date.now() + 30_000;
    Date.now() < deadline && !world.ids('alerts:id').length;
    await new Promise((r) => setTimeout(r, 500))
  ) {
    await call('alerting', 'GET', '/alerts', 'teamManager');
  }
  await call('alerting', 'GET', '/deliveries', 'administrator');
  log(`set-up: ids known ${JSON.stringify(world.kinds())}`);
  return { world, personas };
}

/**
 * Sends generated requests in rounds, checking every answer as it comes. A round is a batch of
 * valid-looking requests (they move the records on and reach the deep routes), then, once the
 * system has settled, a batch of hostile ones. When every hostile answer was a refusal (or a read),
 * the databases must be as they were once the system settles again, audit aside; if not, the batch
 * is replayed in halves to name the request that wrote.
 */
export async function runCampaign(
  target: Target,
  world: World,
  personas: Record<PersonaName, Record<string, string>>,
  operations: Operation[],
  options: CampaignOptions,
): Promise<CampaignResult> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 150;
  const concurrency = options.concurrency ?? 8;
  const started = Date.now();
  const personaNames = Object.keys(personas) as PersonaName[];
  const ledger = new AccessLedger();
  const echoable = new Set<string>();
  const result: CampaignResult = {
    seed: options.seed,
    sent: 0,
    elapsedMs: 0,
    byStatusClass: {},
    byService: {},
    byPersona: {},
    serverErrors: [],
    internalsShown: [],
    noAnswer: [],
    writesAfter4xx: [],
    leaks: [],
    bodyScoped403: [],
    batches: { checked: 0, notAllRefused: 0, unsettled: 0 },
    hostileWritesAccepted: {},
    coverage: { operations: operations.length, reached: 0, answered2xx: 0, never2xx: [] },
    undocumented: operations.filter((op) => op.bodyUndocumented).map(operationKey),
  };
  const reached = new Set<string>();
  const succeeded = new Set<string>();
  const watcher = new DatabaseWatcher(Object.fromEntries(SERVICES.map((s) => [s, target.stack.connectionString(s)])));
  await watcher.connect();
  const admin = target.stack.kafka.admin();
  await admin.connect();
  /** Why the system is not idle yet: an event not yet published, or one a consumer has not yet applied. */
  const busy = async (): Promise<string | undefined> => {
    const unpublished = await watcher.unpublished();
    if (unpublished) return `${unpublished} events in outboxes`;
    // Work the clock starts, not a request: the alert scheduler moves an obligation's next alert
    // when it comes due, the dispatcher retries a delivery. Wait until none is due within a batch.
    const dueSoon = await watcher.scalar(
      'alerting',
      `SELECT (SELECT count(*) FROM obligations WHERE status = 'open' AND next_alert_at <= now() + interval '${BACKGROUND_HORIZON_SECONDS} seconds')
            + (SELECT count(*) FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now() + interval '${BACKGROUND_HORIZON_SECONDS} seconds')`,
    );
    if (Number(dueSoon)) return `${dueSoon} alerts or deliveries due`;
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(target.stack.namespace));
    const ends = new Map<string, string>();
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, p.high);
    for (const service of SERVICES) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: target.stack.namespace + service, topics })) {
        for (const p of partitions) {
          const end = ends.get(`${topic}:${p.partition}`) ?? '0';
          // -1: the group has committed nothing there, which is idle only if nothing was ever written.
          if (
            BigInt(p.offset === '-1' ? '0' : p.offset) < BigInt(end) &&
            (p.offset !== '-1' || subscribed(service, topic, target.stack.namespace))
          )
            return `${service} behind on ${topic}`;
        }
      }
    }
    return undefined;
  };
  const settled = () => watcher.settled(busy);

  const send = async (request: FuzzRequest): Promise<Exhibit> => {
    const headers = { ...request.headers, ...personas[request.persona] };
    if (request.currentVersion) headers['if-match'] = world.versionOf(request.url) ?? '"0"';
    const exhibit: Exhibit = {
      persona: request.persona,
      method: request.method,
      url: `${target.urls[request.service]}${request.url}`,
      mutation: request.mutation,
      headers: { ...request.headers, ...(headers['if-match'] ? { 'if-match': headers['if-match'] } : {}) },
      body: request.body?.slice(0, 400),
    };
    result.sent += 1;
    result.byService[request.service] = (result.byService[request.service] ?? 0) + 1;
    result.byPersona[request.persona] = (result.byPersona[request.persona] ?? 0) + 1;
    reached.add(request.key);
    try {
      const response = await fetch(exhibit.url, {
        method: request.method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(15_000),
        redirect: 'manual',
      });
      const text = await response.text();
      exhibit.status = response.status;
      exhibit.answer = text.slice(0, 500);
      const statusClass = `${Math.floor(response.status / 100)}xx`;
      result.byStatusClass[statusClass] = (result.byStatusClass[statusClass] ?? 0) + 1;
      if (response.status >= 200 && response.status < 300) succeeded.add(request.key);
      if (response.status >= 500) result.serverErrors.push(exhibit);
      for (const value of request.sent) if (looksLikeInternals(value)) echoable.add(value);
      const problems = answerProblems(response.status, text, [...request.sent, ...echoable]).filter((p) => !p.startsWith('server error'));
      if (problems.length) result.internalsShown.push({ ...exhibit, problems });
      // A URL whose dot segments the client collapsed (`/proceedings/./timetable`) reached another route.
      if (new URL(exhibit.url).pathname === request.url.split('?')[0]) {
        ledger.record(request.persona, request.key, response.status, request.url, request.mutation, request.body);
      }
      let parsed: unknown;
      try {
        parsed = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      world.learn(request.key.split(' ')[2], request.url, response.status, response.headers.get('etag'), parsed);
    } catch (error) {
      exhibit.answer = String(error);
      result.byStatusClass['no answer'] = (result.byStatusClass['no answer'] ?? 0) + 1;
      result.noAnswer.push(exhibit);
    }
    return exhibit;
  };
  const sendAll = async (requests: FuzzRequest[]) => {
    const answers: Exhibit[] = new Array(requests.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) {
          const index = next++;
          answers[index] = await send(requests[index]);
        }
      }),
    );
    return answers;
  };
  const anyRequest = (kind: 'valid' | 'hostile') =>
    fc.constantFrom(...operations).chain((op) => (kind === 'valid' ? validRequest : hostileRequest)(world, op, personaNames));
  const timeLeft = () => Date.now() - started < options.timeLimitMs;

  /** Replays requests one group at a time against a settled system, narrowing down to the one that wrote. */
  const isolate = async (
    requests: FuzzRequest[],
    budget: { settles: number },
  ): Promise<{ culprit: FuzzRequest; exhibit: Exhibit; changes: string[] } | undefined> => {
    if (budget.settles <= 0) return undefined;
    const before = await settled();
    const answers = await sendAll(requests);
    const after = await settled();
    budget.settles -= 1;
    if (!before || !after) return undefined;
    const changes = differences(before, after, exemptFor(requests));
    if (!changes.length || answers.some((a) => !a.status || a.status >= 500 || (a.status < 400 && a.method !== 'GET'))) return undefined;
    if (requests.length === 1) return { culprit: requests[0], exhibit: answers[0], changes };
    const middle = Math.ceil(requests.length / 2);
    return (await isolate(requests.slice(0, middle), budget)) ?? (await isolate(requests.slice(middle), budget));
  };

  let batch = 0;
  let before: Snapshot | undefined;
  while (result.sent < options.requests && timeLeft()) {
    batch += 1;
    const validCount = Math.min(Math.ceil(batchSize / 3), options.requests - result.sent);
    await sendAll(fc.sample(anyRequest('valid'), { seed: options.seed + batch * 2, numRuns: validCount }));
    const hostileCount = Math.min(batchSize, options.requests - result.sent);
    if (hostileCount <= 0 || !timeLeft()) break;
    before = await settled();
    const hostile = fc.sample(anyRequest('hostile'), { seed: options.seed + batch * 2 + 1, numRuns: hostileCount });
    const answers = await sendAll(hostile);
    // Refusals and reads: neither may write (audit aside). A write that succeeded makes the batch uncheckable.
    const allRefused = answers.every(
      (a) => a.status !== undefined && ((a.status >= 400 && a.status < 500) || (a.method === 'GET' && a.status < 400)),
    );
    for (const [index, answer] of answers.entries()) {
      if (answer.status !== undefined && answer.status < 300 && answer.method !== 'GET') {
        const what = `${hostile[index].key} ${hostile[index].mutation.replace(/\.\d+\./g, '.N.')}`;
        result.hostileWritesAccepted[what] = (result.hostileWritesAccepted[what] ?? 0) + 1;
      }
    }
    if (!allRefused) {
      result.batches.notAllRefused += 1;
      continue;
    }
    const after = await settled();
    if (!before || !after) {
      result.batches.unsettled += 1;
      continue;
    }
    result.batches.checked += 1;
    const changes = differences(before, after, exemptFor(hostile));
    if (changes.length) {
      log(`batch ${batch}: every answer was 4xx, yet ${changes.join('; ')}; replaying to find the request`);
      const found = result.writesAfter4xx.length < 5 ? await isolate(hostile, { settles: 24 }) : undefined;
      result.writesAfter4xx.push({ batch, changes: found?.changes ?? changes, culprit: found?.exhibit });
    }
    if (batch % 5 === 0)
      log(`${result.sent} requests, ${((Date.now() - started) / 1000).toFixed(0)} s, ${JSON.stringify(result.byStatusClass)}`);
  }
  await watcher.close();
  await admin.disconnect();
  result.elapsedMs = Date.now() - started;
  for (const exhibit of result.serverErrors) exhibit.serviceLog = logged(target, exhibit);
  result.leaks = ledger.leaks();
  result.bodyScoped403 = ledger.bodyScoped();
  result.coverage.reached = reached.size;
  result.coverage.answered2xx = succeeded.size;
  result.coverage.never2xx = operations.map(operationKey).filter((key) => !succeeded.has(key));
  return result;
}

/** The service's log lines that carry the correlation id a 5xx answer gave. */
function logged(target: Target, exhibit: Exhibit): string | undefined {
  const correlationId = /"correlationId":"([^"]+)"/.exec(exhibit.answer ?? '')?.[1];
  const service = SERVICES.find((name) => exhibit.url.startsWith(target.urls[name]));
  if (!correlationId || !service || !target.logs) return undefined;
  const lines = target.logs[service]().split('\n');
  const at = lines.findIndex((line) => line.includes(correlationId));
  return at < 0
    ? undefined
    : lines
        .slice(at, at + 8)
        .join('\n')
        .slice(0, 1500);
}

/** Whether a service consumes a topic, per the topology every app module declares. */
function subscribed(service: ServiceName, namespacedTopic: string, namespace: string): boolean {
  return Topology[service].consumes.some((consumed) => namespace + consumed.topic === namespacedTopic);
}

/** Tables a batch's refusals may write by design, given the routes the batch called. */
function exemptFor(requests: FuzzRequest[]) {
  return (table: string) =>
    WRITTEN_ON_REFUSAL.some((rule) => rule.table === table && requests.some((request) => rule.by.test(request.key)));
}

/** The figures a run ends with. */
export function summary(result: CampaignResult): string {
  const seconds = result.elapsedMs / 1000;
  const lines = [
    `seed ${result.seed} (replay with FUZZ_SEED=${result.seed})`,
    `requests sent       ${result.sent} in ${seconds.toFixed(1)} s (${(result.sent / seconds).toFixed(0)} requests/s)`,
    `by status class     ${JSON.stringify(result.byStatusClass)}`,
    `by service          ${JSON.stringify(result.byService)}`,
    `by persona          ${JSON.stringify(result.byPersona)}`,
    `5xx                 ${result.serverErrors.length}`,
    `internals shown     ${result.internalsShown.length}`,
    `no answer           ${result.noAnswer.length}`,
    `write after 4xx     ${result.writesAfter4xx.length} (batches checked ${result.batches.checked}, not all refused ${result.batches.notAllRefused}, unsettled ${result.batches.unsettled})`,
    `403 leaks           ${result.leaks.length} (and ${result.bodyScoped403.length} 403s about a body-named target, to review)`,
    `operations          ${result.coverage.operations}, reached ${result.coverage.reached}, answered 2xx at least once ${result.coverage.answered2xx}`,
    `undocumented        ${result.undocumented.length} operations whose OpenAPI document omits their body or query fields`,
  ];
  const show = (title: string, items: unknown[]) => {
    if (items.length) lines.push(`${title}:`, ...items.slice(0, 20).map((item) => `  ${JSON.stringify(item)}`));
  };
  show('operations never answered 2xx', result.coverage.never2xx);
  show(
    'hostile writes accepted (2xx)',
    Object.entries(result.hostileWritesAccepted).sort((a, b) => b[1] - a[1]),
  );
  show('5xx answers', result.serverErrors);
  show('internals shown', result.internalsShown);
  show('no answer', result.noAnswer);
  show('writes after 4xx', result.writesAfter4xx);
  show('403 for a record in the path where the same persona and operation also answered 2xx', result.leaks);
  show('403 about a body-named target where the same persona and operation also answered 2xx (review)', result.bodyScoped403);
  return lines.join('\n');
}
