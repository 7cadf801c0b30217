import { Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '@plo/platform';
import { CalendarEntry, renderCalendar } from './domain/icalendar';
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
  ) {}

  async createFeed(scope: FeedScope, scopeId: string, createdBy: string) {
    if (scope === 'case') {
      const [known] = await this.dataSource.query('SELECT 1 FROM known_cases WHERE case_id::text = $1', [scopeId]);
      if (!known) throw new NotFoundException(`case ${scopeId} is not known to the PLO service`);
    }
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.query('INSERT INTO calendar_feeds (id, token_sha256, scope, scope_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      id,
      hashToken(token),
      scope,
      scopeId,
      createdBy,
      this.clock.now(),
    ]);
    return { id, scope, scopeId, token, path: `/calendar/${token}.ics`, createdBy };
  }

  async listFeeds(scope?: FeedScope, scopeId?: string) {
    const rows = await this.dataSource.query(
      `SELECT id, scope, scope_id AS "scopeId", created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt" FROM calendar_feeds
        WHERE ($1::text IS NULL OR scope = $1) AND ($2::text IS NULL OR scope_id = $2) ORDER BY created_at`,
      [scope ?? null, scopeId ?? null],
    );
    return rows;
  }

  async revoke(id: string) {
    const [row] = await this.dataSource.query('SELECT revoked_at FROM calendar_feeds WHERE id = $1', [id]);
    if (!row) throw new NotFoundException(`calendar feed ${id} does not exist`);
    if (!row.revoked_at) await this.dataSource.query('UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1', [id, this.clock.now()]);
  }

  /** The feed for a token; undefined for an unknown or revoked token (the caller answers 404 either way). */
  async render(token: string): Promise<string | undefined> {
    const [feed] = await this.dataSource.query('SELECT scope, scope_id FROM calendar_feeds WHERE token_sha256 = $1 AND revoked_at IS NULL', [hashToken(token)]);
    if (!feed) return undefined;
    const condition = SCOPE_CONDITION[feed.scope as FeedScope];
    const hearings = await this.dataSource.query(
      `SELECT h.id, h.hearing_type, h.starts_at, h.ends_at, h.venue, h.judge, h.listing_status, h.status, h.sequence, h.updated_at, p.court, p.court_case_number, k.case_reference
         FROM hearings h JOIN proceedings p ON p.id = h.proceedings_id JOIN known_cases k ON k.case_id = p.case_id
        WHERE ${condition} ORDER BY h.starts_at`,
      [feed.scope_id],
    );
    const deadlines = await this.dataSource.query(
      `SELECT o.id, o.rule_id, to_char(o.due_date, 'YYYY-MM-DD') AS due_date, o.explanation, o.status, o.sequence, o.updated_at, k.case_reference
         FROM plo_obligations o JOIN known_cases k ON k.case_id = o.case_id
        WHERE ${condition} AND o.status = 'open' ORDER BY o.due_date`,
      [feed.scope_id],
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
    return renderCalendar({ name: `PLO ${feed.scope} ${feed.scope === 'case' ? 'timetable' : feed.scope_id}`, entries });
  }
}
