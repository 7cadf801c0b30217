import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { Clock, Principal, Role } from '@plo/platform';
import { CalendarEntry, renderCalendar } from './domain/icalendar';
import { PloAccess, visibleCasesSql } from './plo-access';
import { PloRules } from './plo-rules';

export const FEED_SCOPES = ['case', 'worker', 'team'] as const;
export type FeedScope = (typeof FEED_SCOPES)[number];

const SCOPE_CONDITION: Record<FeedScope, string> = {
  case: 'k.case_id::text = $1',
  worker: 'k.allocated_worker_id = $1',
  team: 'k.team_id = $1',
};

const UID_DOMAIN = 'plo.proceedings';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Read-only iCalendar feeds (the system is master) for Outlook subscription. The feed URL carries a
 * 256-bit random token, stored only as a hash, revocable per feed; events carry case references and
 * court numbers, never a child's name.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly rules: PloRules,
    private readonly access: PloAccess,
  ) {}

  /**
   * A feed may be made only for what its creator can see: a case they may see (404 otherwise, as for
   * any case), themselves or — for managers and administrators — a worker, and a team of theirs.
   */
  async createFeed(scope: FeedScope, scopeId: string, principal: Principal) {
    if (scope === 'case') {
      const facts = isUUID(scopeId) ? await this.access.caseFacts(scopeId) : undefined;
      if (!facts || !PloAccess.sees(principal, facts)) throw new NotFoundException(`case ${scopeId} is not known to the PLO service`);
    }
    const oversees = principal.roles.some((role) => role === 'team-manager' || role === 'service-manager' || role === 'administrator');
    if (scope === 'worker' && scopeId !== principal.subject && !oversees) throw new ForbiddenException("only managers may subscribe to another worker's calendar");
    if (scope === 'team' && !principal.teamIds.includes(scopeId) && !principal.roles.includes('administrator')) throw new ForbiddenException(`you are not a member of team ${scopeId}`);
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO calendar_feeds (id, token_sha256, scope, scope_id, created_by, created_at, council_id, creator_team_ids, creator_roles)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, hashToken(token), scope, scopeId, principal.subject, this.clock.now(), principal.councilId, principal.teamIds, principal.roles],
    );
    return { id, scope, scopeId, token, path: `/calendar/${token}.ics`, createdBy: principal.subject };
  }

  /** The caller's own feeds; an administrator sees every feed of the council (to revoke them). */
  async listFeeds(principal: Principal, scope?: FeedScope, scopeId?: string) {
    return this.dataSource.query(
      `SELECT id, scope, scope_id AS "scopeId", created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt" FROM calendar_feeds
        WHERE council_id = $3 AND ($4 OR created_by = $5) AND ($1::text IS NULL OR scope = $1) AND ($2::text IS NULL OR scope_id = $2) ORDER BY created_at`,
      [scope ?? null, scopeId ?? null, principal.councilId, principal.roles.includes('administrator'), principal.subject],
    );
  }

  async revoke(id: string, principal: Principal) {
    const [row] = await this.dataSource.query('SELECT revoked_at FROM calendar_feeds WHERE id = $1 AND council_id = $2 AND ($3 OR created_by = $4)', [
      id,
      principal.councilId,
      principal.roles.includes('administrator'),
      principal.subject,
    ]);
    if (!row) throw new NotFoundException(`calendar feed ${id} does not exist`);
    if (!row.revoked_at) await this.dataSource.query('UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1', [id, this.clock.now()]);
  }

  /**
   * The feed for a token, filtered to what its creator could see (with the rights they had when they
   * made it); undefined for an unknown or revoked token (the caller answers 404 either way).
   */
  async render(token: string): Promise<{ text: string; feedId: string; reader: Principal } | undefined> {
    const [feed] = await this.dataSource.query(
      'SELECT id, scope, scope_id, created_by, council_id, creator_team_ids, creator_roles FROM calendar_feeds WHERE token_sha256 = $1 AND revoked_at IS NULL AND council_id IS NOT NULL',
      [hashToken(token)],
    );
    if (!feed) return undefined;
    const reader: Principal = { subject: feed.created_by, kind: 'user', councilId: feed.council_id, teamIds: feed.creator_team_ids, roles: feed.creator_roles as Role[], scopes: [] };
    const parameters: unknown[] = [feed.scope_id];
    const condition = `${SCOPE_CONDITION[feed.scope as FeedScope]} AND ${visibleCasesSql(reader, 'k', parameters)}`;
    const hearings = await this.dataSource.query(
      `SELECT h.id, h.hearing_type, h.starts_at, h.ends_at, h.venue, h.judge, h.listing_status, h.status, h.sequence, h.updated_at, p.court, p.court_case_number, k.case_reference
         FROM hearings h JOIN proceedings p ON p.id = h.proceedings_id JOIN known_cases k ON k.case_id = p.case_id
        WHERE ${condition} ORDER BY h.starts_at`,
      parameters,
    );
    const deadlines = await this.dataSource.query(
      `SELECT o.id, o.rule_id, to_char(o.due_date, 'YYYY-MM-DD') AS due_date, o.explanation, o.status, o.sequence, o.updated_at, k.case_reference
         FROM plo_obligations o JOIN known_cases k ON k.case_id = o.case_id
        WHERE ${condition} AND o.status = 'open' ORDER BY o.due_date`,
      parameters,
    );
    const entries: CalendarEntry[] = [
      ...hearings.map(
        (h: any): CalendarEntry => ({
          uid: `hearing-${h.id}@${UID_DOMAIN}`,
          sequence: h.sequence,
          lastModified: h.updated_at,
          summary: `${h.hearing_type} hearing: case ${h.case_reference} (${h.court_case_number})`,
          description: `Listing ${h.listing_status}, ${h.status}.${h.judge ? ` Judge: ${h.judge}.` : ''}`,
          location: [h.court, h.venue].filter(Boolean).join(', '),
          when: { startsAt: h.starts_at, ...(h.ends_at ? { endsAt: h.ends_at } : {}) },
          cancelled: h.status === 'vacated',
        }),
      ),
      ...deadlines.map(
        (o: any): CalendarEntry => ({
          uid: `deadline-${o.id}@${UID_DOMAIN}`,
          sequence: o.sequence,
          lastModified: o.updated_at,
          summary: `Due: ${this.rules.pack.rule(o.rule_id).title}: case ${o.case_reference}`,
          description: o.explanation,
          when: { date: o.due_date },
        }),
      ),
    ];
    return { text: renderCalendar({ name: `PLO ${feed.scope} ${feed.scope === 'case' ? 'timetable' : feed.scope_id}`, entries }), feedId: feed.id, reader };
  }
}
