import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  PreconditionFailedException,
} from '@nestjs/common';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { Clock, Principal } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { acknowledge, AlertStateConflict, resolve } from '../domain/lifecycle';
import { isManager } from './alert-access';
import { AlertRow, alertView } from './alert-row';
import { AlertWriter } from './alert-writer';
import { DashboardQuery, ListAlertsQuery, TeamSummaryQuery } from './alerts.dto';
import { AlertFilter, AlertsStore } from './alerts.store';
import type { Alert, AlertDashboard, AlertPage, AlertTransition, TeamAlertSummary } from './alerts.views';

const DEFAULT_PAGE = 50;

/**
 * The reads and the two human transitions (acknowledge, resolve), each limited to the alerts whose
 * cases the caller may see; an alert they may not see does not exist for them (404).
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly store: AlertsStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly writer: AlertWriter,
    private readonly clock: Clock,
  ) {}

  async list(query: ListAlertsQuery, principal: Principal): Promise<AlertPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const filter: AlertFilter = {
      state: query.state ?? 'active',
      teamId: query.teamId,
      workerId: query.workerId,
      kind: query.kind,
      level: query.level,
      severity: query.severity,
      escalated: query.escalated === undefined ? undefined : query.escalated === 'true',
      raisedBy:
        query.minAgeHours === undefined ? undefined : new Date(this.clock.now().getTime() - query.minAgeHours * 3_600_000).toISOString(),
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit,
    };
    const rows = await this.unitOfWork.read((reads) => this.store.page(reads, filter, principal));
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      teams: query.teamId ? [query.teamId] : principal.teamIds,
      items: page.map(alertView),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.raised_at).toISOString(), last.id) : null,
    };
  }

  async dashboard(query: DashboardQuery, principal: Principal): Promise<AlertDashboard> {
    const today = londonDateOf(this.clock.now());
    const { totals, byKind, driftByAge } = await this.unitOfWork.read((reads) =>
      this.store.dashboard(reads, principal, query.teamId, today),
    );
    return {
      teams: query.teamId ? [query.teamId] : principal.teamIds,
      active: totals.active,
      open: totals.open,
      acknowledged: totals.acknowledged,
      bySeverity: { critical: totals.critical, high: totals.high, warning: totals.warning },
      escalated: { teamManager: totals.with_team_manager, serviceManager: totals.with_service_manager },
      metLate: totals.met_late,
      byKind: Object.fromEntries(byKind.map((row) => [row.kind, row.active])),
      oldestOpenRaisedAt: totals.oldest_open_raised_at ? new Date(totals.oldest_open_raised_at).toISOString() : null,
      driftByAge,
    };
  }

  /** Every team asked about appears, a team without active alerts with zeros, so teams can be ranked side by side. */
  async teams(query: TeamSummaryQuery, principal: Principal): Promise<TeamAlertSummary[]> {
    const rows = await this.unitOfWork.read((reads) => this.store.teams(reads, principal, query.teamId));
    const byTeam = new Map(rows.map((row) => [row.team_id, row]));
    const teamIds = [...new Set([...(query.teamId ? [query.teamId] : principal.teamIds), ...byTeam.keys()])].sort();
    return teamIds.map((teamId) => {
      const row = byTeam.get(teamId);
      return {
        teamId,
        active: row?.active ?? 0,
        open: row?.open ?? 0,
        acknowledged: row?.acknowledged ?? 0,
        drift: row?.drift ?? 0,
        projectedDrift: row?.projected_drift ?? 0,
        warnings: row?.warnings ?? 0,
        bySeverity: { critical: row?.critical ?? 0, high: row?.high ?? 0, warning: row?.warning ?? 0 },
        escalated: { teamManager: row?.with_team_manager ?? 0, serviceManager: row?.with_service_manager ?? 0 },
        oldestDriftRaisedAt: row?.oldest_drift_raised_at ? new Date(row.oldest_drift_raised_at).toISOString() : null,
      };
    });
  }

  async get(id: string, principal: Principal): Promise<Alert> {
    return alertView(await this.unitOfWork.read((reads) => this.find(reads, id, principal)));
  }

  async history(id: string, principal: Principal): Promise<AlertTransition[]> {
    const rows = await this.unitOfWork.transaction(async (tx) => {
      await this.find(tx, id, principal);
      return this.store.history(tx, id);
    });
    return rows.map((row) => ({ ...row, id: Number(row.id), at: new Date(row.at).toISOString() }));
  }

  /** The alert's current recipient, or a manager of its team. */
  async acknowledge(id: string, principal: Principal, note: string | undefined, ifMatch: string | undefined) {
    return this.transition(id, principal, ifMatch, async (change, alert) => {
      if (alert.recipient_id !== principal.subject && !isManager(principal)) {
        throw new ForbiddenException('only the person the alert is with, or a manager of its team, may acknowledge it');
      }
      acknowledge(alert);
      return this.writer.acknowledge(change, alert, note);
    });
  }

  /** Managers only (the route's roles say so); they may resolve alerts in their teams. */
  async resolve(id: string, principal: Principal, reason: string, ifMatch: string | undefined) {
    return this.transition(id, principal, ifMatch, async (change, alert) => {
      resolve(alert, 'manager', reason);
      const [resolved] = await this.writer.resolve(change, [{ alert, resolution: 'manager', resolvedBy: principal.subject, reason }]);
      return resolved;
    });
  }

  /** The change is about one alert, made by the caller; its events are keyed, like every alert event, by the alert's case. */
  private async transition(
    id: string,
    principal: Principal,
    ifMatch: string | undefined,
    work: (change: Change, alert: AlertRow) => Promise<AlertRow>,
  ) {
    try {
      const updated = await this.unitOfWork.change({ subject: id, actor: { kind: 'user', id: principal.subject } }, async (change) => {
        const alert = await this.find(change, id, principal, true);
        if (ifMatch !== undefined && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(alert.version)) {
          throw new PreconditionFailedException(`the alert is at version ${alert.version}, not ${ifMatch}`);
        }
        return work(change, alert);
      });
      return alertView(updated);
    } catch (error) {
      if (error instanceof AlertStateConflict)
        throw new ConflictException({ statusCode: 409, message: error.message, currentState: error.currentState });
      throw error;
    }
  }

  private async find(tx: Transaction, id: string, principal: Principal, lock = false): Promise<AlertRow> {
    const row = await this.store.find(tx, id, principal, lock);
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
    throw new BadRequestException({
      statusCode: 400,
      message: 'validation failed',
      fields: [{ field: 'cursor', messages: ['cursor is not one this API returned'] }],
    });
  }
  return [raisedAt, id];
}
