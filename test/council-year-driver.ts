import type { ServiceProcess, TestStack } from '@plo/testing';
import { eventually } from '@plo/testing';
import { request } from './api';
import { londonMidnight, plusDays } from './simulation/calendar';
import { SsdExtract } from './simulation/ssd-extract';
import { Fact, Random, World } from './simulation/world';

export const COUNCIL = 'sim-council';

export interface Services {
  cases: ServiceProcess;
  plo: ServiceProcess;
  alerting: ServiceProcess;
}

type Headers = Record<string, string>;

/**
 * Sends a generated council year to the three services: its history as one import of a Standard
 * Safeguarding Dataset extract, then the rest through their public HTTP APIs, in a seeded
 * random order: cases interleaved, each case's visits in any order and often typed in late, and
 * only what must come first (a case before its facts, a status before the next, a review before it
 * is held) kept in order.
 */
export class CouncilYearDriver {
  readonly caseIds = new Map<string, string>();
  readonly childIds = new Map<string, string>();
  private readonly proceedingsIds = new Map<string, string>();
  private readonly hearingIds = new Map<string, string>();
  private readonly reviewIds = new Map<string, string>();
  /** Every fact sent or imported, once. */
  readonly sent = new Set<string>();
  private admin!: Headers;
  private legal!: Headers;
  requests = 0;

  constructor(
    private readonly stack: TestStack,
    private readonly services: Services,
    private readonly world: World,
    private readonly random: Random,
  ) {}

  async signIn() {
    this.admin = await this.stack.as({ subject: 'admin.sim', councilId: COUNCIL, roles: ['administrator'] });
    this.legal = await this.stack.as({ subject: 'legal.sim', councilId: COUNCIL, roles: ['legal'], teamIds: ['legal-1'] });
  }

  /** Every service's clock to one instant. */
  async setClock(at: string) {
    for (const service of Object.values(this.services)) {
      const response = await request('PUT', `${service.url}/test/clock`, { at }, this.admin);
      if (response.status !== 200) throw new Error(`could not set the clock of ${service.name}: ${response.status}`);
    }
  }

  /** 23:00 London time on `day`: late in the day, whatever the season. */
  static lateOn(day: string): string {
    return new Date(londonMidnight(plusDays(day, 1)).getTime() - 3_600_000).toISOString();
  }

  /**
   * Imports the history as the council's old system hands it over, and learns the ids the cases
   * service gave each family and child (the child's person id travels as an identifier). Returns the
   * import's report, which must name no row it did not apply.
   */
  async importHistory(extract: SsdExtract) {
    const imported = await this.call('POST', `${this.services.cases.url}/history-imports/ssd`, { tables: extract.tables }, this.admin);
    const report = imported.body as {
      families: { read: number; opened: number; alreadyImported: number; failed: number };
      rows: { applied: number; rejected: number; skipped: number };
      problems: unknown[];
      cases: { familyId: string; caseId: string }[];
    };
    for (const { familyId, caseId } of report.cases) {
      const simCase = this.world.cases.find((c) => c.reference === familyId)!;
      this.caseIds.set(simCase.key, caseId);
      const record = (await this.call('GET', `${this.services.cases.url}/cases/${caseId}`, undefined, this.admin)).body as {
        children: { id: string; identifiers: { scheme: string; value: string }[] }[];
      };
      for (const child of record.children) this.childIds.set(child.identifiers.find((i) => i.scheme === 'ssd-person-id')!.value, child.id);
    }
    for (const id of extract.imported) this.sent.add(id);
    return report;
  }

  /** Sends `facts` in a seeded random order that keeps each case's chain, `concurrency` cases at a time. */
  async send(facts: Fact[], concurrency = 6) {
    const queues = new Map<string, { chained: Fact[]; loose: Fact[] }>();
    for (const f of facts) {
      const q = queues.get(f.caseKey) ?? { chained: [], loose: [] };
      (f.chained ? q.chained : q.loose).push(f);
      queues.set(f.caseKey, q);
    }
    const busy = new Set<string>();
    const next = (): Fact | undefined => {
      const ready = [...queues.entries()].filter(
        ([key, q]) => !busy.has(key) && (q.chained.length > 0 || (q.loose.length > 0 && this.caseIds.has(key))),
      );
      if (!ready.length) return undefined;
      const [key, q] = this.random.pick(ready);
      const takeLoose = q.loose.length > 0 && this.caseIds.has(key) && (q.chained.length === 0 || this.random.chance(0.5));
      const f = takeLoose ? q.loose.splice(this.random.int(0, q.loose.length - 1), 1)[0] : q.chained.shift()!;
      if (!q.chained.length && !q.loose.length) queues.delete(key);
      busy.add(key);
      return f;
    };
    const worker = async () => {
      for (;;) {
        const f = next();
        if (!f) {
          if (!busy.size) return;
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        try {
          await this.apply(f);
        } finally {
          busy.delete(f.caseKey);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  private async call(method: string, url: string, body: unknown, headers: Headers, expected: number[] = [200, 201]) {
    this.requests++;
    const response = await request(method, url, body, headers);
    if (!expected.includes(response.status))
      throw new Error(`${method} ${url} ${JSON.stringify(body)} → ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  }

  private async caseETag(caseId: string) {
    return (await this.call('GET', `${this.services.cases.url}/cases/${caseId}`, undefined, this.admin)).headers.get('etag')!;
  }

  /** A write that needs the case's current version: read it, write; another writer in between means read again. */
  private async withCaseVersion(caseId: string, path: string, body: unknown) {
    for (;;) {
      const etag = await this.caseETag(caseId);
      this.requests++;
      const response = await request('POST', `${this.services.cases.url}/cases/${caseId}${path}`, body, {
        ...this.admin,
        'if-match': etag,
      });
      if (response.status === 412) continue;
      if (![200, 201].includes(response.status))
        throw new Error(`POST ${path} ${JSON.stringify(body)} → ${response.status} ${JSON.stringify(response.body)}`);
      return response;
    }
  }

  /** The review of `kind` waiting for the child: one the service scheduled itself (the next of a series, reg 33's first, or one the import left owed). */
  private async waitingReview(caseId: string, childId: string, kind: string, key: string) {
    const reviews = (await this.call('GET', `${this.services.cases.url}/cases/${caseId}/reviews`, undefined, this.admin)).body as {
      id: string;
      kind: string;
      status: string;
      childId?: string | null;
    }[];
    const waiting = reviews.filter((r) => r.kind === kind && r.status === 'scheduled' && r.childId === childId);
    if (waiting.length !== 1) throw new Error(`${key}: expected one waiting ${kind}, found ${JSON.stringify(reviews)}`);
    return waiting[0].id;
  }

  private ids(childKeys: string[]) {
    return childKeys.map((k) => this.childIds.get(k)!);
  }

  async apply(f: Fact): Promise<void> {
    if (this.sent.has(f.id)) throw new Error(`${f.id} sent twice`);
    this.sent.add(f.id);
    const simCase = this.world.cases.find((c) => c.key === f.caseKey)!;
    const caseId = this.caseIds.get(f.caseKey)!;
    const casesUrl = `${this.services.cases.url}/cases`;
    const ploUrl = this.services.plo.url;
    switch (f.type) {
      case 'open': {
        const team = this.world.teams.find((t) => t.id === simCase.team)!;
        const opened = await this.call(
          'POST',
          casesUrl,
          {
            councilId: COUNCIL,
            caseReference: simCase.reference,
            teamId: simCase.team,
            allocatedWorkerId: simCase.worker,
            teamManagerId: team.managerId,
            legalStatus: f.status,
            ...(f.status === 'looked-after' ? { basis: 'section-20' } : {}),
            openedOn: f.date,
            // The child's key travels as the first name, so the ids the service makes can be read back without relying on order.
            children: simCase.children.map((c) => ({
              firstName: c.key.split('.')[1],
              lastName: simCase.reference,
              dateOfBirth: c.dateOfBirth,
              sex: 'unknown',
            })),
          },
          this.admin,
        );
        const id = opened.body.id as string;
        for (const child of opened.body.children as { id: string; firstName: string }[])
          this.childIds.set(`${simCase.key}.${child.firstName}`, child.id);
        this.caseIds.set(simCase.key, id);
        // Reg 28 counts from the placement: a child looked after from the start is placed that day.
        if (f.status === 'looked-after')
          await this.call('POST', `${casesUrl}/${id}/placements`, { startedOn: f.date, intendedToLastUntil18: false }, this.admin);
        return;
      }
      case 'status': {
        const placement = f.status === 'looked-after' ? { placement: { startedOn: f.date, intendedToLastUntil18: false } } : {};
        // A step up: the child's plan of the lower level ends the day the new status starts.
        const record = (await this.call('GET', `${casesUrl}/${caseId}`, undefined, this.admin)).body as {
          children: { id: string; statuses: { id: string; status: string; source?: string }[] }[];
        };
        for (const childKey of f.children) {
          const childId = this.childIds.get(childKey)!;
          const child = record.children.find((c) => c.id === childId)!;
          for (const held of child.statuses.filter((h) => ['child-in-need', 'child-protection-plan', 'looked-after'].includes(h.status)))
            await this.call(
              'POST',
              `${casesUrl}/${caseId}/children/${childId}/statuses/${held.id}/end`,
              { endDate: f.date, reason: `became ${f.status}` },
              this.admin,
            );
          await this.call(
            'POST',
            `${casesUrl}/${caseId}/children/${childId}/statuses`,
            { status: f.status, ...(f.status === 'looked-after' ? { basis: 'section-20' } : {}), startDate: f.date, ...placement },
            this.admin,
          );
        }
        return;
      }
      case 'allocation': {
        const team = this.world.teams.find((t) => t.id === f.team)!;
        await this.withCaseVersion(caseId, '/allocations', {
          teamId: f.team,
          allocatedWorkerId: f.worker,
          teamManagerId: team.managerId,
          allocatedOn: f.date,
        });
        return;
      }
      case 'visit': {
        const seen = this.ids(f.seen);
        await this.call(
          'POST',
          `${casesUrl}/${caseId}/visits`,
          {
            visitedOn: f.date,
            visitType: 'statutory',
            visitorId: simCase.worker,
            childSeen: seen.length > 0,
            ...(seen.length ? { childrenSeen: seen } : {}),
            seenAlone: false,
            bedroomSeen: false,
            purpose: 'statutory-visit',
          },
          this.admin,
        );
        return;
      }
      case 'review-scheduled': {
        // Each child's own review in their own series.
        for (const childKey of f.children) {
          const key = `${f.reviewKey}|${childKey}`;
          const childId = this.childIds.get(childKey)!;
          if (f.auto) this.reviewIds.set(key, await this.waitingReview(caseId, childId, f.kind, key));
          else {
            const scheduled = await this.call(
              'POST',
              `${casesUrl}/${caseId}/reviews`,
              { kind: f.kind, anchorDate: f.anchor, childId },
              this.admin,
            );
            this.reviewIds.set(key, scheduled.body.id);
          }
        }
        return;
      }
      case 'review-held': {
        for (const childKey of f.children) {
          const key = `${f.reviewKey}|${childKey}`;
          // A review the import left owed was scheduled by the service, never by the driver.
          const reviewId = this.reviewIds.get(key) ?? (await this.waitingReview(caseId, this.childIds.get(childKey)!, f.kind, key));
          const etag = (await this.call('GET', `${casesUrl}/${caseId}/reviews/${reviewId}`, undefined, this.admin)).headers.get('etag')!;
          await this.call(
            'POST',
            `${casesUrl}/${caseId}/reviews/${reviewId}/held`,
            { heldOn: f.date, outcome: f.outcome },
            { ...this.admin, 'if-match': etag },
          );
        }
        return;
      }
      case 'proceedings-issued': {
        // PLO learns of the case from the cases topic; legal issue only for a case their system knows.
        await eventually(
          () => this.stack.sql('plo', 'SELECT 1 FROM known_cases WHERE case_id = $1', [caseId]),
          (rows) => rows.length === 1,
          30_000,
          `PLO to know ${simCase.key}`,
        );
        const issued = await this.call(
          'POST',
          `${ploUrl}/proceedings`,
          {
            caseId,
            court: 'Simulated Family Court',
            courtCaseNumber: `SIM${simCase.reference.slice(4)}`,
            issuedOn: f.date,
            submittedOn: f.date,
            childIds: this.ids(f.children),
          },
          this.legal,
        );
        this.proceedingsIds.set(f.proceedingsKey, issued.body.proceedingsId);
        return;
      }
      case 'child-joined-proceedings': {
        const id = this.proceedingsIds.get(f.proceedingsKey)!;
        await this.call(
          'POST',
          `${ploUrl}/proceedings/${id}/children`,
          { childId: this.childIds.get(f.child)!, issuedOn: f.date },
          this.legal,
        );
        return;
      }
      case 'final-hearing-listed': {
        const id = this.proceedingsIds.get(f.proceedingsKey)!;
        const listed = await this.call(
          'POST',
          `${ploUrl}/proceedings/${id}/hearings`,
          { hearingType: 'final', startsAt: `${f.hearingDate}T12:00:00Z`, listingStatus: 'fixed' },
          this.legal,
        );
        this.hearingIds.set(f.proceedingsKey, listed.body.id);
        return;
      }
      case 'final-hearing-moved': {
        const id = this.proceedingsIds.get(f.proceedingsKey)!;
        const hearingId = this.hearingIds.get(f.proceedingsKey)!;
        await this.call(
          'POST',
          `${ploUrl}/proceedings/${id}/hearings/${hearingId}/move`,
          { startsAt: `${f.hearingDate}T12:00:00Z` },
          this.legal,
        );
        return;
      }
      case 'final-hearing-adjourned': {
        const id = this.proceedingsIds.get(f.proceedingsKey)!;
        const hearingId = this.hearingIds.get(f.proceedingsKey)!;
        await this.call(
          'POST',
          `${ploUrl}/proceedings/${id}/hearings/${hearingId}/adjourn`,
          { outcome: 'adjourned (simulated)' },
          this.legal,
        );
        return;
      }
    }
  }

  /**
   * Waits until nothing is in flight: every outbox published, every consumer caught up, no alert due
   * that the scheduler has not raised, no proceedings the PLO drift sweep still has to look at (a child's own week 20: one who joined later waits for theirs).
   * Polled, twice in a row, never slept on.
   */
  async settle(today: string, now: string, timeoutMs = 180_000) {
    const quiet = async () => {
      let pending = 0;
      for (const service of Object.values(this.services)) {
        const text = await (await fetch(`${service.url}/metrics`)).text();
        for (const line of text.split('\n')) if (/^(outbox_backlog|consumer_lag)[ {]/.test(line)) pending += Number(line.split(' ').at(-1));
      }
      const overdue = await this.stack.sql<{ caseId: string; kind: string; nextAlertAt: string }>(
        'alerting',
        `SELECT case_id AS "caseId", kind, next_alert_at AS "nextAlertAt" FROM obligations WHERE status = 'open' AND next_alert_at <= $1 LIMIT 5`,
        [now],
      );
      const [{ sweep }] = await this.stack.sql<{ sweep: number }>(
        'plo',
        `SELECT count(*)::int AS sweep FROM proceedings p
          WHERE p.concluded_on IS NULL AND p.no_final_hearing_warning_on <= $1
            AND NOT EXISTS (SELECT 1 FROM hearings h WHERE h.proceedings_id = p.id AND h.hearing_type = 'final'
                              AND h.status IN ('listed', 'adjourned-and-relisted', 'vacated-and-relisted'))
            AND EXISTS (SELECT 1 FROM child_clocks c WHERE c.proceedings_id = p.id AND c.concluded_on IS NULL
                          AND c.no_final_hearing_warning_on <= $1
                          AND NOT EXISTS (SELECT 1 FROM drift_projections d WHERE d.proceedings_id = p.id AND d.child_id = c.child_id))`,
        [today],
      );
      return { pending, overdue, sweep };
    };
    // What is still in flight travels with the count, so a run that never settles says what it waits for.
    let calm = 0;
    await eventually(
      async () => {
        const left = await quiet();
        calm = left.pending + left.overdue.length + left.sweep === 0 ? calm + 1 : 0;
        return { calm, ...left };
      },
      ({ calm: n }) => n >= 2,
      timeoutMs,
      'the services to settle',
    );
  }

  /** Every active alert a viewer sees through the alerting API, page by page. */
  async activeAlerts(headers: Headers, teamId?: string) {
    const items: any[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ state: 'active', limit: '200', ...(teamId ? { teamId } : {}), ...(cursor ? { cursor } : {}) });
      const page = await this.call('GET', `${this.services.alerting.url}/alerts?${query}`, undefined, headers);
      items.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    return items as { caseId: string; childId: string | null; kind: string; level: string; dueDate: string }[];
  }
}
