import { Client } from 'pg';

/**
 * What no answer may contain, whatever was sent: the service's own internals. Text we sent is
 * removed first, so an answer that quotes our SQL-ish value back is not mistaken for a leak.
 */
export const INTERNALS: { name: string; pattern: RegExp }[] = [
  { name: 'stack trace', pattern: /\bat .*\.(js|ts):\d+/ },
  { name: 'SQL', pattern: /\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|SET)\b/ },
  { name: 'TypeORM error', pattern: /QueryFailedError|EntityNotFound|TypeORMError/ },
  {
    name: 'PostgreSQL error',
    pattern:
      /\b(syntax error at or near|violates (unique|foreign key|check|not-null) constraint|invalid input syntax for type|relation "[^"]+" does not exist)\b/,
  },
  { name: 'module path', pattern: /node_modules|\/dist\/apps\// },
];

/** A value as it reads inside a JSON answer: as sent, escaped once (a string field), or twice (a stored JSON payload). */
function asQuoted(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  return [value, once, JSON.stringify(once).slice(1, -1)];
}

/** Whether text we sent would itself look like internals: such text may come back in later answers, as data. */
export function looksLikeInternals(value: string): boolean {
  return INTERNALS.some(({ pattern }) => pattern.test(value));
}

/**
 * Why an answer is wrong on its face (a 5xx, or internals in the body); empty when it is fine.
 * `sent` is what this request sent and anything internals-like sent before, which a record may echo
 * (the court feed's exceptions list shows what a sender sent, SQL-ish values included).
 */
export function answerProblems(status: number, body: string, sent: string[]): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status}`);
  let text = body;
  for (const value of sent) if (value.length >= 3) for (const form of asQuoted(value)) text = text.split(form).join('');
  for (const { name, pattern } of INTERNALS) if (pattern.test(text)) problems.push(`${name} in the answer`);
  return problems;
}

/**
 * 404 rather than 403 where the caller may not see the record. A 403 says "this exists, and you
 * may not": right only when the persona's role may never use the operation. So when one persona
 * and operation have answered 2xx (the role may use it) and also 403 for a record named in the
 * path, that 403 revealed the record. A 403 about what a body names (another worker's calendar, a
 * team) is listed apart, for review: it may be a rule about the caller rather than a hidden record.
 */
export class AccessLedger {
  private readonly succeeded = new Set<string>();
  private readonly forbidden = new Map<string, { url: string; mutation: string; body?: string }[]>();

  private readonly forbiddenByBody = new Map<string, { url: string; mutation: string; body?: string }[]>();

  record(persona: string, operation: string, status: number, url: string, mutation: string, body?: string) {
    const key = `${persona} ${operation}`;
    if (status >= 200 && status < 300) this.succeeded.add(key);
    if (status === 403) {
      const namesRecord = operation.includes('{');
      const forbidden = namesRecord ? this.forbidden : this.forbiddenByBody;
      const samples = forbidden.get(key) ?? [];
      if (samples.length < 3) samples.push({ url, mutation, body: body?.slice(0, 300) });
      forbidden.set(key, samples);
    }
  }

  /** Each persona and operation that answered both 2xx and 403, with up to three 403 examples. */
  leaks(
    forbidden = this.forbidden,
  ): { persona: string; operation: string; examples: { url: string; mutation: string; body?: string }[] }[] {
    return [...forbidden]
      .filter(([key]) => this.succeeded.has(key))
      .map(([key, examples]) => {
        const [persona, ...operation] = key.split(' ');
        return { persona, operation: operation.join(' '), examples };
      });
  }

  /** The same, for 403s about what a body names rather than the path: to review, not a verdict. */
  bodyScoped() {
    return this.leaks(this.forbiddenByBody);
  }
}

/**
 * Columns that any successful request may write by design, reads included, left out of a table's
 * digest: a feed owner's request refreshes their current rights on their calendar feeds, which decide
 * what a feed may serve. Everything else in those tables is still compared.
 */
export const WRITTEN_BY_ANY_SUCCESS: Record<string, string[]> = {
  calendar_feeds: ['owner_team_ids', 'owner_roles', 'rights_seen_at'],
};

/** Per table of each database: its row count and a digest of its contents (so updates show too). */
export type Snapshot = Record<string, { rows: number; digest: string }>;

/**
 * Tables a refused request writes by design (the court feed answers 400 or 422 and still records).
 */
export const WRITTEN_ON_REFUSAL: { table: string; by: RegExp; why: string }[] = [
  { table: 'audit_log', by: /./, why: 'the audit trail records refusals too' },
  {
    table: 'court_update_exceptions',
    by: /^plo POST \/court\/hearing-updates/,
    why: 'a court update that cannot be applied is kept for a person to retry or dismiss',
  },
  {
    table: 'processed_events',
    by: /^plo POST \/court\/hearing-updates/,
    why: "a court update's identity is claimed on receipt, so a resend is answered as a duplicate",
  },
];

/** What changed between two snapshots, as `database.table: …` lines. */
export function differences(before: Snapshot, after: Snapshot, exempt: (table: string) => boolean = () => false): string[] {
  const changes: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (exempt(table.split('.').at(-1)!)) continue;
    const [was, is] = [before[table], after[table]];
    if (!was || !is) changes.push(`${table}: ${was ? 'dropped' : 'created'}`);
    else if (was.rows !== is.rows) changes.push(`${table}: ${was.rows} → ${is.rows} rows`);
    else if (was.digest !== is.digest) changes.push(`${table}: contents changed (${is.rows} rows)`);
  }
  return changes;
}

/**
 * Watches the services' databases for writes. `settled()` waits until nothing changes for a while:
 * the outbox relay has published, the other services' consumers have applied what they received,
 * so a change seen after that is the doing of the requests sent in between.
 */
export class DatabaseWatcher {
  private readonly clients: Client[] = [];

  constructor(private readonly databases: Record<string, string>) {}

  async connect() {
    for (const url of Object.values(this.databases)) {
      const client = new Client({ connectionString: url });
      await client.connect();
      this.clients.push(client);
    }
  }

  async snapshot(): Promise<Snapshot> {
    const snapshot: Snapshot = {};
    const names = Object.keys(this.databases);
    for (const [index, client] of this.clients.entries()) {
      const tables = (
        await client.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
        )
      ).rows.map((r) => r.name);
      if (!tables.length) continue;
      const union = tables
        .map((table) => {
          const skipped = WRITTEN_BY_ANY_SUCCESS[table];
          const row = skipped ? `(to_jsonb(t) - ARRAY[${skipped.map((column) => `'${column}'`).join(', ')}])::text` : 't::text';
          return `SELECT '${table}' AS name, count(*)::int AS rows, coalesce(md5(string_agg(md5(${row}), '' ORDER BY md5(${row}))), '') AS digest FROM "${table}" t`;
        })
        .join(' UNION ALL ');
      for (const row of (await client.query<{ name: string; rows: number; digest: string }>(union)).rows)
        snapshot[`${names[index]}.${row.name}`] = { rows: row.rows, digest: row.digest };
    }
    return snapshot;
  }

  /** The first column of the first row of a query on one database. */
  async scalar(database: string, sql: string): Promise<unknown> {
    const rows = (await this.clients[Object.keys(this.databases).indexOf(database)].query(sql)).rows;
    return rows.length ? Object.values(rows[0])[0] : undefined;
  }

  /** Events written to an outbox and not yet published, per database. */
  async unpublished(): Promise<number> {
    let total = 0;
    for (const client of this.clients)
      total += (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n;
    return total;
  }

  /**
   * The snapshot once the system is idle: `busy` (outboxes, consumer lag) says nothing is in flight
   * and two snapshots taken `quietMs` apart agree. Undefined if that never happens in time.
   */
  async settled(
    busy: () => Promise<string | undefined> = async () => undefined,
    quietMs = 400,
    timeoutMs = 30_000,
  ): Promise<Snapshot | undefined> {
    const deadline = Date.now() + timeoutMs;
    let last: Snapshot | undefined;
    while (Date.now() < deadline) {
      if (await busy()) {
        last = undefined;
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const next = await this.snapshot();
      if (last && !differences(last, next).length) return next;
      last = next;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
    return undefined;
  }

  async close() {
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
  }
}
