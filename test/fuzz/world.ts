import type { TokenClaims } from '@plo/platform';
import type { ServiceName } from '@plo/testing';

/** The callers the fuzzer sends as: each sees a different slice of the data, or none of it. */
export const PERSONAS = (council: string, otherCouncil: string) =>
  ({
    administrator: { subject: 'admin.ada', councilId: council, roles: ['administrator'], teamIds: ['north-1'] },
    teamManager: { subject: 'tm.sam', councilId: council, roles: ['team-manager'], teamIds: ['north-1'] },
    otherTeamWorker: { subject: 'sw.robin', councilId: council, roles: ['social-worker'], teamIds: ['east-3'] },
    legal: { subject: 'legal.kim', councilId: council, roles: ['legal'], teamIds: ['legal-1'] },
    courtService: {
      subject: 'court-listing',
      councilId: council,
      roles: ['service'],
      teamIds: [],
      scopes: ['hearings:write', 'timetable:read'],
    },
    otherCouncilAdministrator: { subject: 'admin.oli', councilId: otherCouncil, roles: ['administrator'], teamIds: ['north-1'] },
  }) satisfies Record<string, TokenClaims>;
export type PersonaName = keyof ReturnType<typeof PERSONAS>;

/**
 * What the fuzzer knows of the system: real ids of records (so generated requests reach past
 * "not found" into the deep routes) and the current version of each versioned record (so a
 * valid-looking write carries the If-Match it needs). Fed by every answer the services give.
 */
export class World {
  private readonly pools = new Map<string, string[]>();
  private readonly versions = new Map<string, string>();

  constructor(
    readonly urls: Record<ServiceName, string>,
    readonly council: string,
    readonly otherCouncil: string,
  ) {
    this.add('councilId', council, otherCouncil);
    this.add('teamId', 'north-1', 'east-3');
    this.add('personId', 'tm.sam', 'sw.alex');
  }

  add(kind: string, ...ids: string[]) {
    const pool = this.pools.get(kind) ?? [];
    for (const id of ids) if (!pool.includes(id) && pool.length < 200) pool.push(id);
    this.pools.set(kind, pool);
  }

  ids(kind: string): string[] {
    return this.pools.get(kind) ?? [];
  }

  kinds(): Record<string, number> {
    return Object.fromEntries([...this.pools].map(([kind, ids]) => [kind, ids.length]));
  }

  /** The version (ETag) last seen for the record a path is about, keyed by its first parameter. */
  versionOf(path: string): string | undefined {
    return this.versions.get(versionKey(path));
  }

  /** Learns ids and versions from one answer. */
  learn(operationPath: string, path: string, status: number, etag: string | null, body: unknown) {
    if (etag) this.versions.set(versionKey(path), etag);
    if (status === 412 && body && typeof body === 'object' && 'currentVersion' in body)
      this.versions.set(versionKey(path), `"${(body as { currentVersion: unknown }).currentVersion}"`);
    if (status >= 300 || body === undefined) return;
    harvest(this, body, kindOfCollection(lastCollection(operationPath)), 0);
  }
}

/** `/cases/1/reviews/2/held` → `/cases/1`: versions belong to the record the path starts from. */
function versionKey(path: string): string {
  return path.split('?')[0].split('/').slice(0, 3).join('/');
}

function lastCollection(template: string): string | undefined {
  return template
    .split('/')
    .filter((segment) => segment && !segment.startsWith('{'))
    .at(-1);
}

/** Which id pool a path parameter draws from. `{id}` takes its kind from the segment before it. */
export function kindOfParameter(template: string, name: string): string {
  if (name !== 'id') return name === 'file' ? 'calendarFile' : name;
  const segments = template.split('/');
  return kindOfCollection(segments[segments.indexOf('{id}') - 1]) ?? `${segments[segments.indexOf('{id}') - 1]}:id`;
}

const COLLECTIONS: Record<string, string> = {
  cases: 'caseId',
  children: 'childId',
  reviews: 'reviewId',
  plans: 'planId',
  referrals: 'referralId',
  rules: 'ruleId',
  proceedings: 'proceedings:id',
  'pre-proceedings': 'pre-proceedings:id',
  hearings: 'hearingId',
  obligations: 'obligationId',
  tasks: 'obligationId',
  alerts: 'alerts:id',
  exceptions: 'exceptions:id',
  'calendar-feeds': 'calendar-feeds:id',
  'webhook-subscriptions': 'webhook-subscriptions:id',
  deliveries: 'deliveries:id',
  'dead-letters': 'dead-letters:id',
};
const ID_KEYS: Record<string, string> = {
  proceedingsId: 'proceedings:id',
  preProceedingsId: 'pre-proceedings:id',
  alertId: 'alerts:id',
  exceptionId: 'exceptions:id',
  subscriptionId: 'webhook-subscriptions:id',
  deliveryId: 'deliveries:id',
};

function kindOfCollection(segment: string | undefined): string | undefined {
  return segment ? COLLECTIONS[segment] : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBERED = /^\d{1,12}$/;
const CALENDAR_FILE = /\/calendar\/([^/?#]+)$/;

/**
 * Collects ids from an answer: `id` of an object belongs to the collection it came from (the
 * route's, or the property it sits under: a case's `children`), `xyzId` to its own pool, and a
 * calendar feed's URL gives the feed's file name.
 */
function harvest(world: World, value: unknown, kind: string | undefined, depth: number) {
  if (depth > 5 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 50)) harvest(world, item, kind, depth + 1);
    return;
  }
  for (const [key, raw] of Object.entries(value)) {
    // Some records are numbered (court exceptions, dead letters), not UUIDs.
    const field = typeof raw === 'number' && (key === 'id' || key.endsWith('Id')) ? String(raw) : raw;
    if (typeof field === 'string') {
      if (key === 'id' && kind && (UUID.test(field) || NUMBERED.test(field) || kind === 'ruleId')) world.add(kind, field);
      else if (key.endsWith('Id') && (UUID.test(field) || NUMBERED.test(field))) world.add(ID_KEYS[key] ?? key, field);
      const file = CALENDAR_FILE.exec(field);
      if (file) world.add('calendarFile', file[1]);
    } else if (Array.isArray(field) && key.endsWith('Ids')) {
      for (const id of field) if (typeof id === 'string' && UUID.test(id)) world.add(key.slice(0, -1), id);
    } else {
      harvest(world, field, key === 'items' ? kind : kindOfCollection(key), depth + 1);
    }
  }
}
