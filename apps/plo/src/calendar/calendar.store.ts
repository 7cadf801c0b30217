import { Transaction } from '@plo/messaging';
import { Principal } from '@plo/platform';
import { visibleCasesSql } from '../access/access.store';

export const FEED_SCOPES = ['case', 'worker', 'team'] as const;
export type FeedScope = (typeof FEED_SCOPES)[number];

const SCOPE_CONDITION: Record<FeedScope, string> = {
  case: 'k.case_id::text = $1',
  worker: 'k.allocated_worker_id = $1',
  team: 'k.team_id = $1',
};

export interface NewFeed {
  id: string;
  tokenSha256: string;
  scope: FeedScope;
  scopeId: string;
  creator: Principal;
  createdAt: Date;
}

export async function insertFeed(tx: Transaction, feed: NewFeed): Promise<void> {
  await tx.query(
    `INSERT INTO calendar_feeds (id, token_sha256, scope, scope_id, created_by, created_at, council_id, creator_team_ids, creator_roles,
                                 owner_team_ids, owner_roles, rights_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9, $6)`,
    [
      feed.id,
      feed.tokenSha256,
      feed.scope,
      feed.scopeId,
      feed.creator.subject,
      feed.createdAt,
      feed.creator.councilId,
      feed.creator.teamIds,
      feed.creator.roles,
    ],
  );
}

/** The principal's own feeds; an administrator's list is every feed of the council. */
export async function feedsOf(tx: Transaction, principal: Principal, scope?: FeedScope, scopeId?: string) {
  return tx.query(
    `SELECT id, scope, scope_id AS "scopeId", created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt" FROM calendar_feeds
      WHERE council_id = $3 AND ($4 OR created_by = $5) AND ($1::text IS NULL OR scope = $1) AND ($2::text IS NULL OR scope_id = $2) ORDER BY created_at`,
    [scope ?? null, scopeId ?? null, principal.councilId, principal.roles.includes('administrator'), principal.subject],
  );
}

/** A feed the principal may revoke, or undefined. */
export async function revocableFeed(tx: Transaction, id: string, principal: Principal): Promise<{ revoked_at: Date | null } | undefined> {
  const [row] = await tx.query<{ revoked_at: Date | null }>(
    'SELECT revoked_at FROM calendar_feeds WHERE id = $1 AND council_id = $2 AND ($3 OR created_by = $4)',
    [id, principal.councilId, principal.roles.includes('administrator'), principal.subject],
  );
  return row;
}

export async function revokeFeed(tx: Transaction, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1', [id, at]);
}

/**
 * The owner's rights as their latest request showed them, on their live feeds of that council only (a
 * request in another council says nothing about this one).
 */
export async function recordOwnerRights(tx: Transaction, owner: Principal, seenAt: Date): Promise<void> {
  await tx.query(
    `UPDATE calendar_feeds SET owner_team_ids = $3, owner_roles = $4, rights_seen_at = $5
      WHERE council_id = $1 AND created_by = $2 AND revoked_at IS NULL`,
    [owner.councilId, owner.subject, owner.teamIds, owner.roles, seenAt],
  );
}

export interface FeedRow {
  id: string;
  scope: FeedScope;
  scope_id: string;
  created_by: string;
  council_id: string;
  /** What the owner could see when they made the feed: its scope. */
  creator_team_ids: string[];
  creator_roles: string[];
  /** What the owner could see when last seen: what the feed may serve. */
  owner_team_ids: string[];
  owner_roles: string[];
  rights_seen_at: Date;
}

/** A live feed by its token's hash. */
export async function liveFeed(tx: Transaction, tokenSha256: string): Promise<FeedRow | undefined> {
  const [feed] = await tx.query<FeedRow>(
    `SELECT id, scope, scope_id, created_by, council_id, creator_team_ids, creator_roles, owner_team_ids, owner_roles, rights_seen_at
       FROM calendar_feeds WHERE token_sha256 = $1 AND revoked_at IS NULL AND council_id IS NOT NULL`,
    [tokenSha256],
  );
  return feed;
}

/** The hearings and open deadlines in a feed's scope; `visible` says whether the owner may still see each. */
interface FeedHearing {
  id: string;
  hearing_type: string;
  starts_at: Date;
  ends_at: Date | null;
  venue: string | null;
  judge: string | null;
  listing_status: string;
  status: string;
  sequence: number;
  updated_at: Date;
  court: string;
  court_case_number: string;
  case_reference: string;
  visible: boolean;
}

interface FeedDeadline {
  id: string;
  rule_id: string;
  due_date: string;
  explanation: string;
  status: string;
  sequence: number;
  updated_at: Date;
  case_reference: string;
  visible: boolean;
}

/**
 * What is in the feed's scope for either its creator (the rights it was made with) or its owner now:
 * the first without the second is what the owner has lost since.
 */
export async function feedContents(tx: Transaction, feed: FeedRow, creator: Principal, owner: Principal) {
  const parameters: unknown[] = [feed.scope_id];
  const ownerSees = visibleCasesSql(owner, 'k', parameters);
  const condition = `${SCOPE_CONDITION[feed.scope]} AND (${ownerSees} OR ${visibleCasesSql(creator, 'k', parameters)})`;
  const hearings = await tx.query<FeedHearing>(
    `SELECT h.id, h.hearing_type, h.starts_at, h.ends_at, h.venue, h.judge, h.listing_status, h.status, h.sequence, h.updated_at, p.court, p.court_case_number, k.case_reference,
            ${ownerSees} AS visible
       FROM hearings h JOIN proceedings p ON p.id = h.proceedings_id JOIN known_cases k ON k.case_id = p.case_id
      WHERE ${condition} ORDER BY h.starts_at`,
    parameters,
  );
  const deadlines = await tx.query<FeedDeadline>(
    `SELECT o.id, o.rule_id, to_char(o.due_date, 'YYYY-MM-DD') AS due_date, o.explanation, o.status, o.sequence, o.updated_at, k.case_reference,
            ${ownerSees} AS visible
       FROM plo_obligations o JOIN known_cases k ON k.case_id = o.case_id
      WHERE ${condition} AND o.status = 'open' ORDER BY o.due_date`,
    parameters,
  );
  return { hearings, deadlines };
}
