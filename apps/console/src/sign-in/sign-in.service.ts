import { Injectable } from '@nestjs/common';
import { resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { mintDevelopmentToken, ROLES, type Role } from '@plo/platform';
import { ConsoleEnvironment } from '../console.environment';
import type { Person, Session, SignedInSession, Tokens } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { OidcClient } from './oidc-client';
import { PERSONAS, type Persona } from './personas';

/** A token is renewed this long before it expires, so a page never calls an API with a dying one. */
const RENEW_BEFORE_MS = 30_000;
const DEVELOPMENT_TOKEN_SECONDS = 15 * 60;

export class SessionEnded extends Error {}

/** The person a token describes, for the page (the APIs check the token themselves). */
export function personFromToken(accessToken: string): Person {
  const claims = decodeJwt(accessToken) as Record<string, unknown>;
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  return {
    subject: String(claims.sub ?? ''),
    name: String(claims.name ?? claims.preferred_username ?? claims.sub ?? ''),
    councilId: String(claims.council ?? ''),
    roles: strings(claims.roles).filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
    teamIds: strings(claims.teams),
  };
}

@Injectable()
export class SignInService {
  readonly oidc?: OidcClient;

  constructor(
    private readonly env: ConsoleEnvironment,
    private readonly sessions: SessionStore,
  ) {
    if (env.SIGN_IN === 'oidc')
      this.oidc = new OidcClient({
        issuer: env.OIDC_ISSUER!,
        clientId: env.OIDC_CLIENT_ID!,
        clientSecret: env.OIDC_CLIENT_SECRET,
        redirectUri: `${env.CONSOLE_URL}/auth/callback`,
        postLogoutRedirectUri: `${env.CONSOLE_URL}/signed-out`,
      });
  }

  get developmentSignIn(): boolean {
    return this.env.SIGN_IN === 'development';
  }

  persona(subject: string): Persona | undefined {
    return PERSONAS.find((persona) => persona.subject === subject);
  }

  async developmentTokens(persona: Persona): Promise<Tokens> {
    const accessToken = await mintDevelopmentToken(
      { issuer: this.env.AUTH_ISSUER, audience: this.env.AUTH_AUDIENCE, developmentKeysFile: resolve(this.env.AUTH_DEV_KEYS_FILE) },
      { subject: persona.subject, councilId: this.env.DEMO_COUNCIL, roles: persona.roles, teamIds: persona.teamIds },
      { expiresInSeconds: DEVELOPMENT_TOKEN_SECONDS },
    );
    return { accessToken, accessExpiresAt: new Date(Date.now() + DEVELOPMENT_TOKEN_SECONDS * 1000) };
  }

  /**
   * The session's access token, renewed first when it is about to expire. A page's parallel API calls
   * share one renewal: a provider that rotates refresh tokens would revoke the second.
   */
  accessToken(session: SignedInSession): Promise<string> {
    if (session.tokens.accessExpiresAt.getTime() - Date.now() > RENEW_BEFORE_MS) return Promise.resolve(session.tokens.accessToken);
    let renewal = this.renewals.get(session);
    if (!renewal) {
      renewal = this.renew(session).finally(() => this.renewals.delete(session));
      this.renewals.set(session, renewal);
    }
    return renewal;
  }

  private readonly renewals = new WeakMap<SignedInSession, Promise<string>>();

  private async renew(session: SignedInSession): Promise<string> {
    let tokens: Tokens;
    if (this.oidc) {
      if (!session.tokens.refreshToken) throw new SessionEnded('the sign-in has expired');
      tokens = await this.oidc.refresh(session.tokens.refreshToken).catch(() => {
        throw new SessionEnded('the identity provider ended the sign-in');
      });
    } else {
      const persona = this.persona(session.person.subject);
      if (!persona) throw new SessionEnded('unknown persona');
      tokens = await this.developmentTokens(persona);
    }
    await this.sessions.storeTokens(session as Session, tokens);
    return tokens.accessToken;
  }
}
