import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { UnitOfWork } from '@plo/messaging';
import { Clock, Principal, Role } from '@plo/platform';
import { PloAccess } from '../access/plo-access';
import { CalendarEntry, renderCalendar } from '../domain/icalendar';
import { PloRules } from '../rules/plo-rules';
import { FeedScope, feedContents, feedsOf, insertFeed, liveFeed, revocableFeed, revokeFeed } from './calendar.store';

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
    private readonly unitOfWork: UnitOfWork,
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
    if (scope === 'worker' && scopeId !== principal.subject && !oversees)
      throw new ForbiddenException("only managers may subscribe to another worker's calendar");
    if (scope === 'team' && !principal.teamIds.includes(scopeId) && !principal.roles.includes('administrator'))
      throw new ForbiddenException(`you are not a member of team ${scopeId}`);
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await this.unitOfWork.transaction((tx) =>
      insertFeed(tx, { id, tokenSha256: hashToken(token), scope, scopeId, creator: principal, createdAt: this.clock.now() }),
    );
    return { id, scope, scopeId, token, path: `/calendar/${token}.ics`, createdBy: principal.subject };
  }

  /** The caller's own feeds; an administrator sees every feed of the council (to revoke them). */
  async listFeeds(principal: Principal, scope?: FeedScope, scopeId?: string) {
    return this.unitOfWork.transaction((tx) => feedsOf(tx, principal, scope, scopeId));
  }

  async revoke(id: string, principal: Principal) {
    await this.unitOfWork.transaction(async (tx) => {
      const feed = await revocableFeed(tx, id, principal);
      if (!feed) throw new NotFoundException(`calendar feed ${id} does not exist`);
      if (!feed.revoked_at) await revokeFeed(tx, id, this.clock.now());
    });
  }

  /**
   * The feed for a token, filtered to what its creator could see (with the rights they had when they
   * made it); undefined for an unknown or revoked token (the caller answers 404 either way).
   */
  async render(token: string): Promise<{ text: string; feedId: string; reader: Principal } | undefined> {
    return this.unitOfWork.transaction(async (tx) => {
      const feed = await liveFeed(tx, hashToken(token));
      if (!feed) return undefined;
      const reader: Principal = {
        subject: feed.created_by,
        kind: 'user',
        councilId: feed.council_id,
        teamIds: feed.creator_team_ids,
        roles: feed.creator_roles as Role[],
        scopes: [],
      };
      const { hearings, deadlines } = await feedContents(tx, feed, reader);
      const entries: CalendarEntry[] = [
        ...hearings.map((h): CalendarEntry => ({
          uid: `hearing-${h.id}@${UID_DOMAIN}`,
          sequence: h.sequence,
          lastModified: h.updated_at,
          summary: `${h.hearing_type} hearing: case ${h.case_reference} (${h.court_case_number})`,
          description: `Listing ${h.listing_status}, ${h.status}.${h.judge ? ` Judge: ${h.judge}.` : ''}`,
          location: [h.court, h.venue].filter(Boolean).join(', '),
          when: { startsAt: h.starts_at, ...(h.ends_at ? { endsAt: h.ends_at } : {}) },
          cancelled: h.status === 'vacated',
        })),
        ...deadlines.map((o): CalendarEntry => ({
          uid: `deadline-${o.id}@${UID_DOMAIN}`,
          sequence: o.sequence,
          lastModified: o.updated_at,
          summary: `Due: ${this.rules.pack.rule(o.rule_id).title}: case ${o.case_reference}`,
          description: o.explanation,
          when: { date: o.due_date },
        })),
      ];
      return {
        text: renderCalendar({ name: `PLO ${feed.scope} ${feed.scope === 'case' ? 'timetable' : feed.scope_id}`, entries }),
        feedId: feed.id,
        reader,
      };
    });
  }
}
