import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor, createEnvelope, EventEnvelope, LegalStatus, Topics } from '@plo/contracts';
import { OutboxWriter } from '@plo/messaging';
import { Clock, currentContext } from '@plo/platform';
import { LocalDate, londonDateOf, RulePack, WorkingDayCalendar } from '@plo/timescales';
import { CouncilRulePacks } from './council-rule-packs';
import { assertVersion } from './domain/concurrency';

const SOURCE = 'urn:plo:cases';

export interface CaseRow {
  id: string;
  council_id: string;
  case_reference: string;
  team_id: string;
  allocated_worker_id: string;
  team_manager_id: string | null;
  legal_lead_id: string | null;
  legal_status: LegalStatus;
  opened_on: LocalDate;
  closed_on: LocalDate | null;
  closure_reason: string | null;
  version: number;
}

/** The columns of a CaseRow, as every read of a case selects them. */
export const CASE_ROW_COLUMNS = `id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_lead_id, legal_status,
  to_char(opened_on, 'YYYY-MM-DD') AS opened_on, to_char(closed_on, 'YYYY-MM-DD') AS closed_on, closure_reason, version`;

/** An event waiting to be written to the outbox: [versioned type, data]. */
export type PendingEvent = [type: string, data: object];

export interface WriteIntent {
  ifMatch: string | undefined;
  /** Edits of the case record must carry If-Match; appends (a visit, a child…) may omit it. */
  versionRequired: boolean;
}

/**
 * What every write to a case shares: the row locked for the transaction, the version check, the
 * version bump (so the ETag changes with every change) and the events, written to the outbox in the
 * same transaction and keyed by case id.
 */
@Injectable()
export class CaseStore {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly packs: CouncilRulePacks,
  ) {}

  /** The council's rules (its local overrides applied): every due date the service computes uses them. */
  rulesFor(manager: EntityManager, councilId: string): Promise<RulePack> {
    return this.packs.packFor(manager, councilId);
  }

  /** The working-day calendar is national: the same for every council. */
  get calendar(): WorkingDayCalendar {
    return this.packs.national.calendar;
  }

  now(): Date {
    return this.clock.now();
  }

  /** Today in England, from the service clock (tests move it; nothing reads the system time). */
  today(): LocalDate {
    return londonDateOf(this.clock.now());
  }

  async load(manager: EntityManager, caseId: string, forUpdate = false): Promise<CaseRow> {
    const [row]: CaseRow[] = await manager.query(
      `SELECT ${CASE_ROW_COLUMNS} FROM cases WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [caseId],
    );
    if (!row) throw new NotFoundException(`case ${caseId} does not exist`);
    return row;
  }

  /** Locks an open case for a change made against the version the caller read. */
  async lockOpenCase(manager: EntityManager, caseId: string, intent: WriteIntent): Promise<CaseRow> {
    const row = await this.load(manager, caseId, true);
    assertVersion({ what: `case ${caseId}`, currentVersion: row.version, ifMatch: intent.ifMatch, required: intent.versionRequired });
    if (row.closed_on) throw new ConflictException(`case ${caseId} is closed (since ${row.closed_on}); reopen it before changing it`);
    return row;
  }

  async commitChange(manager: EntityManager, row: CaseRow, actor: Actor, events: PendingEvent[]): Promise<void> {
    await manager.query('UPDATE cases SET version = version + 1 WHERE id = $1', [row.id]);
    await this.emit(manager, row.id, actor, events);
  }

  /** Writes events to the outbox keyed by `subject`: the case id, or councilSubject() for a council-wide event. */
  async emit(manager: EntityManager, subject: string, actor: Actor, events: PendingEvent[]) {
    const context = currentContext();
    const metadata = { correlationId: context?.correlationId ?? randomUUID(), causationId: context?.causationId, actor };
    const now = this.clock.now();
    const envelopes: EventEnvelope[] = events.map(([type, data]) => createEnvelope(SOURCE, type, subject, data, metadata, now));
    await this.outbox.publish(manager, Topics.caseEvents, envelopes);
  }
}
