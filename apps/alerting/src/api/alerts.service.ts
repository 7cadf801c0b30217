import { BadRequestException, ConflictException, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, runWithContext, currentContext } from '@plo/platform';
import { randomUUID } from 'node:crypto';
import { ALERT_COLUMNS, alertColumns, AlertRow, alertView } from '../alerts/alert-row';
import { AlertWriter } from '../alerts/alert-writer';
import { acknowledge, AlertStateConflict, resolve } from '../domain/lifecycle';
import { UnitOfWork } from '@plo/messaging';
import { DashboardQuery, ListAlertsQuery } from './alerts.dto';

const DEFAULT_PAGE = 50;

/** The manager-facing reads and the two human transitions (acknowledge, resolve). */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly writer: AlertWriter,
    private readonly clock: Clock,
  ) {}

  async list(query: ListAlertsQuery, userId: string | undefined) {
    const teams = await this.teamsFor(query.teamId, userId);
    const conditions = ['a.team_id = ANY($1::text[])'];
    const values: unknown[] = [teams];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    const state = query.state ?? 'active';
    if (state === 'active') conditions.push(`a.state <> 'resolved'`);
    else add('a.state = ?', state);
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
      `SELECT ${alertColumns('a')} FROM alerts a WHERE ${conditions.join(' AND ')} ORDER BY a.raised_at DESC, a.id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      teams,
      items: page.map(alertView),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.raised_at).toISOString(), last.id) : null,
    };
  }

  async dashboard(query: DashboardQuery, userId: string | undefined) {
    const teams = await this.teamsFor(query.teamId, userId);
    const [totals] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE state <> 'resolved')::int AS active,
              count(*) FILTER (WHERE state = 'open')::int AS open,
              count(*) FILTER (WHERE state = 'acknowledged')::int AS acknowledged,
              count(*) FILTER (WHERE state <> 'resolved' AND severity = 'critical')::int AS critical,
              count(*) FILTER (WHERE state <> 'resolved' AND severity = 'high')::int AS high,
              count(*) FILTER (WHERE state <> 'resolved' AND severity = 'warning')::int AS warning,
              count(*) FILTER (WHERE state = 'open' AND escalation_step = 1)::int AS with_team_manager,
              count(*) FILTER (WHERE state = 'open' AND escalation_step = 2)::int AS with_service_manager,
              count(*) FILTER (WHERE resolution = 'met-late')::int AS met_late,
              min(raised_at) FILTER (WHERE state = 'open') AS oldest_open_raised_at
         FROM alerts WHERE team_id = ANY($1::text[])`,
      [teams],
    );
    const byKind = await this.dataSource.query(
      `SELECT kind, count(*)::int AS active FROM alerts WHERE team_id = ANY($1::text[]) AND state <> 'resolved' GROUP BY kind ORDER BY kind`,
      [teams],
    );
    return {
      teams,
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

  async get(id: string) {
    return alertView(await this.find(this.dataSource.manager, id));
  }

  async history(id: string) {
    await this.find(this.dataSource.manager, id);
    const rows = await this.dataSource.query(
      `SELECT id, at, transition, from_state AS "fromState", to_state AS "toState", actor, detail FROM alert_history WHERE alert_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((row: { id: string; at: Date }) => ({ ...row, id: Number(row.id), at: new Date(row.at).toISOString() }));
  }

  async acknowledge(id: string, userId: string, note: string | undefined, ifMatch: string | undefined) {
    return this.transition(id, ifMatch, async (manager, alert, now) => {
      acknowledge(alert);
      return this.writer.acknowledge(manager, alert, userId, note, now);
    });
  }

  async resolve(id: string, userId: string, reason: string, ifMatch: string | undefined) {
    return this.transition(id, ifMatch, async (manager, alert, now) => {
      resolve(alert, 'manager', reason);
      const [resolved] = await this.writer.resolve(manager, [{ alert, resolution: 'manager', resolvedBy: userId, reason }], now, { kind: 'user', id: userId });
      return resolved;
    });
  }

  private async transition(id: string, ifMatch: string | undefined, work: (manager: EntityManager, alert: AlertRow, now: Date) => Promise<AlertRow>) {
    const correlationId = currentContext()?.correlationId ?? randomUUID();
    try {
      const updated = await runWithContext({ correlationId }, () =>
        this.unitOfWork.run(async (manager) => {
          const alert = await this.find(manager, id, true);
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

  private async find(manager: EntityManager, id: string, lock = false): Promise<AlertRow> {
    const [row] = await manager.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw new NotFoundException(`alert ${id} does not exist`);
    return row;
  }

  /** A manager's teams: as team manager of cases, or as service manager in the team directory. */
  private async teamsFor(teamId: string | undefined, userId: string | undefined): Promise<string[]> {
    if (teamId) return [teamId];
    if (!userId) {
      throw new BadRequestException({ statusCode: 400, message: 'validation failed', fields: [{ field: 'teamId', messages: ['teamId is required without an x-user-id header'] }] });
    }
    const rows: { team_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT team_id FROM case_directory WHERE team_manager_id = $1
       UNION SELECT team_id FROM team_directory WHERE service_manager_id = $1 ORDER BY team_id`,
      [userId],
    );
    return rows.map((row) => row.team_id);
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
