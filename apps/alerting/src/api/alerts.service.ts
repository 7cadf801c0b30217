import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, runWithContext, currentContext, Principal } from '@plo/platform';
import { randomUUID } from 'node:crypto';
import { alertColumns, AlertRow, alertView } from '../alerts/alert-row';
import { AlertWriter } from '../alerts/alert-writer';
import { acknowledge, AlertStateConflict, resolve } from '../domain/lifecycle';
import { UnitOfWork } from '@plo/messaging';
import { ALERTS_WITH_CASES, alertVisibilitySql, isManager } from './alert-access';
import { DashboardQuery, ListAlertsQuery } from './alerts.dto';

const DEFAULT_PAGE = 50;

/**
 * The reads and the two human transitions (acknowledge, resolve), each limited to the alerts whose
 * cases the caller may see; an alert they may not see does not exist for them (404).
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly writer: AlertWriter,
    private readonly clock: Clock,
  ) {}

  async list(query: ListAlertsQuery, principal: Principal) {
    const values: unknown[] = [];
    const conditions = [alertVisibilitySql(principal, values)];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    const state = query.state ?? 'active';
    if (state === 'active') conditions.push(`a.state <> 'resolved'`);
    else add('a.state = ?', state);
    if (query.teamId) add('a.team_id = ?', query.teamId);
    if (query.workerId) add('a.worker_id = ?', query.workerId);
    if (query.kind) add('a.kind = ?', query.kind);
    if (query.level) add('a.level = ?', query.level);
    if (query.severity) add('a.severity = ?', query.severity);
    if (query.minAgeHours !== undefined) add('a.raised_at <= ?', new Date(this.clock.now().getTime() - query.minAgeHours * 3_600_000).toISOString());
    if (query.cursor) {
      const [raisedAt, id] = decodeCursor(query.cursor);
      values.push(raisedAt, id);
      conditions.push(`(a.raised_at, a.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
    }
    const limit = query.limit ?? DEFAULT_PAGE;
    values.push(limit + 1);
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${alertColumns('a')} FROM ${ALERTS_WITH_CASES} WHERE ${conditions.join(' AND ')} ORDER BY a.raised_at DESC, a.id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      teams: query.teamId ? [query.teamId] : principal.teamIds,
      items: page.map(alertView),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.raised_at).toISOString(), last.id) : null,
    };
  }

  async dashboard(query: DashboardQuery, principal: Principal) {
    const values: unknown[] = [];
    const conditions = [alertVisibilitySql(principal, values)];
    if (query.teamId) {
      values.push(query.teamId);
      conditions.push(`a.team_id = $${values.length}`);
    }
    const where = conditions.join(' AND ');
    const [totals] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE a.state <> 'resolved')::int AS active,
              count(*) FILTER (WHERE a.state = 'open')::int AS open,
              count(*) FILTER (WHERE a.state = 'acknowledged')::int AS acknowledged,
              count(*) FILTER (WHERE a.state <> 'resolved' AND a.severity = 'critical')::int AS critical,
              count(*) FILTER (WHERE a.state <> 'resolved' AND a.severity = 'high')::int AS high,
              count(*) FILTER (WHERE a.state <> 'resolved' AND a.severity = 'warning')::int AS warning,
              count(*) FILTER (WHERE a.state = 'open' AND a.escalation_step = 1)::int AS with_team_manager,
              count(*) FILTER (WHERE a.state = 'open' AND a.escalation_step = 2)::int AS with_service_manager,
              count(*) FILTER (WHERE a.resolution = 'met-late')::int AS met_late,
              min(a.raised_at) FILTER (WHERE a.state = 'open') AS oldest_open_raised_at
         FROM ${ALERTS_WITH_CASES} WHERE ${where}`,
      values,
    );
    const byKind = await this.dataSource.query(
      `SELECT a.kind, count(*)::int AS active FROM ${ALERTS_WITH_CASES} WHERE ${where} AND a.state <> 'resolved' GROUP BY a.kind ORDER BY a.kind`,
      values,
    );
    return {
      teams: query.teamId ? [query.teamId] : principal.teamIds,
      active: totals.active,
      open: totals.open,
      acknowledged: totals.acknowledged,
      bySeverity: { critical: totals.critical, high: totals.high, warning: totals.warning },
      escalated: { teamManager: totals.with_team_manager, serviceManager: totals.with_service_manager },
      metLate: totals.met_late,
      byKind: Object.fromEntries(byKind.map((row: { kind: string; active: number }) => [row.kind, row.active])),
      oldestOpenRaisedAt: totals.oldest_open_raised_at ? new Date(totals.oldest_open_raised_at).toISOString() : null,
    };
  }

  async get(id: string, principal: Principal) {
    return alertView(await this.find(this.dataSource.manager, id, principal));
  }

  async history(id: string, principal: Principal) {
    await this.find(this.dataSource.manager, id, principal);
    const rows = await this.dataSource.query(
      `SELECT id, at, transition, from_state AS "fromState", to_state AS "toState", actor, detail FROM alert_history WHERE alert_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((row: { id: string; at: Date }) => ({ ...row, id: Number(row.id), at: new Date(row.at).toISOString() }));
  }

  /** The alert's current recipient, or a manager of its team. */
  async acknowledge(id: string, principal: Principal, note: string | undefined, ifMatch: string | undefined) {
    return this.transition(id, principal, ifMatch, async (manager, alert, now) => {
      if (alert.recipient_id !== principal.subject && !isManager(principal)) {
        throw new ForbiddenException('only the person the alert is with, or a manager of its team, may acknowledge it');
      }
      acknowledge(alert);
      return this.writer.acknowledge(manager, alert, principal.subject, note, now);
    });
  }

  /** Managers only (the route's roles say so); they may resolve alerts in their teams. */
  async resolve(id: string, principal: Principal, reason: string, ifMatch: string | undefined) {
    return this.transition(id, principal, ifMatch, async (manager, alert, now) => {
      resolve(alert, 'manager', reason);
      const [resolved] = await this.writer.resolve(manager, [{ alert, resolution: 'manager', resolvedBy: principal.subject, reason }], now, {
        kind: 'user',
        id: principal.subject,
      });
      return resolved;
    });
  }

  private async transition(
    id: string,
    principal: Principal,
    ifMatch: string | undefined,
    work: (manager: EntityManager, alert: AlertRow, now: Date) => Promise<AlertRow>,
  ) {
    const correlationId = currentContext()?.correlationId ?? randomUUID();
    try {
      const updated = await runWithContext({ correlationId }, () =>
        this.unitOfWork.run(async (manager) => {
          const alert = await this.find(manager, id, principal, true);
          if (ifMatch !== undefined && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(alert.version)) {
            throw new PreconditionFailedException(`the alert is at version ${alert.version}, not ${ifMatch}`);
          }
          return work(manager, alert, this.clock.now());
        }),
      );
      return alertView(updated);
    } catch (error) {
      if (error instanceof AlertStateConflict) throw new ConflictException({ statusCode: 409, message: error.message, currentState: error.currentState });
      throw error;
    }
  }

  private async find(manager: EntityManager, id: string, principal: Principal, lock = false): Promise<AlertRow> {
    const values: unknown[] = [id];
    const visible = alertVisibilitySql(principal, values);
    const [row] = await manager.query(
      `SELECT ${alertColumns('a')} FROM ${ALERTS_WITH_CASES} WHERE a.id = $1 AND ${visible}${lock ? ' FOR UPDATE OF a' : ''}`,
      values,
    );
    if (!row) throw new NotFoundException(`alert ${id} does not exist`);
    return row;
  }
}

function encodeCursor(raisedAt: string, id: string): string {
  return Buffer.from(`${raisedAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [raisedAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!raisedAt || Number.isNaN(Date.parse(raisedAt)) || !/^[0-9a-f-]{36}$/i.test(id ?? '')) {
    throw new BadRequestException({ statusCode: 400, message: 'validation failed', fields: [{ field: 'cursor', messages: ['cursor is not one this API returned'] }] });
  }
  return [raisedAt, id];
}
