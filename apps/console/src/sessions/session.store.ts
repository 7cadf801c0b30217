import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConsoleEnvironment } from '../console.environment';
import type { PendingSignIn, Person, Session, Tokens } from './session';

const hash = (id: string) => createHash('sha256').update(id).digest('base64url');
const randomToken = () => randomBytes(32).toString('base64url');

interface SessionRow {
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
  sign_in: PendingSignIn | null;
  person: Person | null;
  access_token: string | null;
  access_expires_at: Date | null;
  refresh_token: string | null;
  id_token: string | null;
}

/**
 * Sessions in PostgreSQL, so several console instances share them and a restart signs nobody out.
 * A session is anonymous until sign-in (it carries the CSRF token and a pending OpenID sign-in), and
 * signing in replaces it with a new id, so an id planted before sign-in is worthless after it.
 */
@Injectable()
export class SessionStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: ConsoleEnvironment,
  ) {}

  private get idleMs() {
    return this.env.SESSION_IDLE_MINUTES * 60_000;
  }

  async create(now = new Date()): Promise<Session> {
    const id = randomToken();
    const session: Session = {
      id,
      csrfToken: randomToken(),
      expiresAt: new Date(now.getTime() + this.env.SESSION_ABSOLUTE_HOURS * 3_600_000),
      lastSeenAt: now,
    };
    await this.dataSource.query(`INSERT INTO console_sessions (id_hash, csrf_token, expires_at, last_seen_at) VALUES ($1, $2, $3, $4)`, [
      hash(id),
      session.csrfToken,
      session.expiresAt,
      now,
    ]);
    return session;
  }

  /** The live session with this id, touched; undefined when unknown, idle too long or past its end. */
  async find(id: string, now = new Date()): Promise<Session | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows]: [SessionRow[], number] = await this.dataSource.query(
      `UPDATE console_sessions SET last_seen_at = $2
        WHERE id_hash = $1 AND expires_at > $2 AND last_seen_at > $3
        RETURNING csrf_token, expires_at, last_seen_at, sign_in, person, access_token, access_expires_at, refresh_token, id_token`,
      [hash(id), now, new Date(now.getTime() - this.idleMs)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id,
      csrfToken: row.csrf_token,
      expiresAt: new Date(row.expires_at),
      lastSeenAt: new Date(row.last_seen_at),
      signIn: row.sign_in ?? undefined,
      person: row.person ?? undefined,
      tokens: row.access_token
        ? {
            accessToken: row.access_token,
            accessExpiresAt: new Date(row.access_expires_at!),
            refreshToken: row.refresh_token ?? undefined,
            idToken: row.id_token ?? undefined,
          }
        : undefined,
    };
  }

  async rememberSignIn(session: Session, signIn: PendingSignIn): Promise<void> {
    await this.dataSource.query(`UPDATE console_sessions SET sign_in = $2 WHERE id_hash = $1`, [hash(session.id), signIn]);
    session.signIn = signIn;
  }

  /** Signs in: the anonymous session is replaced by a fresh one holding the person and tokens. */
  async signIn(previous: Session | undefined, person: Person, tokens: Tokens, now = new Date()): Promise<Session> {
    if (previous) await this.end(previous.id);
    const session = await this.create(now);
    await this.storeTokens(session, tokens, person);
    return { ...session, person, tokens };
  }

  async storeTokens(session: Session, tokens: Tokens, person = session.person): Promise<void> {
    await this.dataSource.query(
      `UPDATE console_sessions SET person = $2, access_token = $3, access_expires_at = $4, refresh_token = $5, id_token = $6, sign_in = NULL
        WHERE id_hash = $1`,
      [hash(session.id), person ?? null, tokens.accessToken, tokens.accessExpiresAt, tokens.refreshToken ?? null, tokens.idToken ?? null],
    );
    session.tokens = tokens;
    session.person = person;
  }

  async end(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM console_sessions WHERE id_hash = $1`, [hash(id)]);
  }

  /** Expired rows are useless; deleting them keeps the table the size of the people signed in. */
  async sweep(now = new Date()): Promise<number> {
    const [, count] = await this.dataSource.query(`DELETE FROM console_sessions WHERE expires_at <= $1 OR last_seen_at <= $2`, [
      now,
      new Date(now.getTime() - this.idleMs),
    ]);
    return Number(count ?? 0);
  }
}
