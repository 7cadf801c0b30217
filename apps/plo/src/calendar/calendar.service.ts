import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { UnitOfWork } from '@plo/messaging';
import { Clock, Principal, Role } from '@plo/platform';
import { CaseFacts, factsOfCase } from '../access/access.store';
import { PloAccess } from '../access/plo-access';
import { CalendarEntry, renderCalendar } from '../domain/icalendar';
import { PloEnvironment } from '../plo.environment';
import { PloRules } from '../rules/plo-rules';
import { FeedScope, feedContents, feedsOf, insertFeed, liveFeed, revocableFeed, revokeFeed } from './calendar.store';

const UID_DOMAIN = 'plo.proceedings';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type RenderedFeed =
  | { outcome: 'served'; text: string; feedId: string; owner: Principal; withheld: boolean }
  | { outcome: 'stale'; feedId: string; owner: Principal };

/**
 * Why `owner` may not hold a feed of this scope, or undefined if they may: the same rule when a feed
 * is made and at every fetch, so a feed lasts only as long as its owner could still make it.
 */
export function feedRefusal(owner: Principal, scope: FeedScope, scopeId: string, caseFacts: CaseFacts | undefined): FeedScope | undefined {
  if (scope === 'case' && (!caseFacts || !PloAccess.sees(owner, caseFacts))) return 'case';
  const oversees = owner.roles.some((role) => role === 'team-manager' || role === 'service-manager' || role === 'administrator');
  if (scope === 'worker' && scopeId !== owner.subject && !oversees) return 'worker';
  if (scope === 'team' && !owner.teamIds.includes(scopeId) && !owner.roles.includes('administrator')) return 'team';
  return undefined;
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
    private readonly env: PloEnvironment,
  ) {}

  /**
   * A feed may be made only for what its creator can see: a case they may see (404 otherwise, as for
   * any case), themselves or — for managers and administrators — a worker, and a team of theirs.
   */
  async createFeed(scope: FeedScope, scopeId: string, principal: Principal) {
    const facts = scope === 'case' && isUUID(scopeId) ? await this.access.caseFacts(scopeId) : undefined;
    const refusal = feedRefusal(principal, scope, scopeId, facts);
    if (refusal === 'case') throw new NotFoundException(`case ${scopeId} is not known to the PLO service`);
    if (refusal === 'worker') throw new ForbiddenException("only managers may subscribe to another worker's calendar");
    if (refusal === 'team') throw new ForbiddenException(`you are not a member of team ${scopeId}`);
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
   * The feed for a token, filtered to what its owner may see now (their rights as last seen on a
   * request of theirs); undefined for an unknown or revoked token. A feed whose owner has not been seen
   * for FEED_OWNER_RIGHTS_MAX_AGE_DAYS is `stale` (they may have left the council). A feed its owner
   * could no longer make serves nothing; `withheld` says the owner lost rights to part or all of it.
   */
  async render(token: string): Promise<RenderedFeed | undefined> {
    return this.unitOfWork.transaction(async (tx) => {
      const feed = await liveFeed(tx, hashToken(token));
      if (!feed) return undefined;
      const person = { subject: feed.created_by, kind: 'user' as const, councilId: feed.council_id, scopes: [] };
      const owner: Principal = { ...person, teamIds: feed.owner_team_ids, roles: feed.owner_roles as Role[] };
      const maxAgeMs = this.env.FEED_OWNER_RIGHTS_MAX_AGE_DAYS * 86_400_000;
      if (this.clock.now().getTime() - feed.rights_seen_at.getTime() > maxAgeMs) return { outcome: 'stale', feedId: feed.id, owner };
      const creator: Principal = { ...person, teamIds: feed.creator_team_ids, roles: feed.creator_roles as Role[] };
      const facts = feed.scope === 'case' && isUUID(feed.scope_id) ? await factsOfCase(tx, feed.scope_id) : undefined;
      const mayHold = feedRefusal(owner, feed.scope, feed.scope_id, facts) === undefined;
      const contents = await feedContents(tx, feed, creator, owner);
      const served = <T extends { visible: boolean }>(rows: T[]) => (mayHold ? rows.filter((row) => row.visible) : []);
      const hearings = served(contents.hearings);
      const deadlines = served(contents.deadlines);
      const withheld = !mayHold || hearings.length + deadlines.length < contents.hearings.length + contents.deadlines.length;
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
        outcome: 'served',
        text: renderCalendar({ name: `PLO ${feed.scope} ${feed.scope === 'case' ? 'timetable' : feed.scope_id}`, entries }),
        feedId: feed.id,
        owner,
        withheld,
      };
    });
  }
}
