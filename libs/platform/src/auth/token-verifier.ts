import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, JWK, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { Principal, Role, ROLES } from './principal';

export interface AuthSettings {
  mode: 'oidc' | 'development';
  issuer: string;
  audience: string;
  /** Skip discovery and use this JWKS endpoint. */
  jwksUrl?: string;
  clockSkewSeconds: number;
  developmentKeysFile: string;
  /** Least time between two fetches of the provider's keys when an unknown key id turns up. */
  keyRefreshCooldownMs?: number;
}

export class AuthenticationError extends Error {}

const ALGORITHMS = ['RS256', 'ES256'];

type KeyResolver = Parameters<typeof jwtVerify>[1];

/**
 * Verifies bearer tokens from the council's identity provider (OIDC discovery, JWKS, RS256/ES256)
 * and turns their claims into a Principal. Unknown key ids make the key set refresh, so the provider
 * can rotate keys without a restart. Development mode trusts locally generated keys instead.
 */
export class TokenVerifier {
  private keys?: Promise<KeyResolver>;
  private developmentKeysVersion = 0;
  private readonly verified = new VerifiedTokens();

  constructor(private readonly settings: AuthSettings) {}

  async verify(token: string): Promise<Principal> {
    const resolver = await this.keyResolver();
    const known = this.verified.get(token, Date.now(), this.settings.clockSkewSeconds);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, resolver, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.settings.clockSkewSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw new AuthenticationError(describe(error));
    }
    const principal = principalFrom(payload);
    this.verified.remember(token, principal, payload, Date.now());
    return copyOf(principal);
  }

  private keyResolver(): Promise<KeyResolver> {
    if (this.settings.mode === 'development') return this.developmentKeys();
    this.keys ??= this.discover().catch((error) => {
      this.keys = undefined; // try discovery again on the next request
      throw new AuthenticationError(`identity provider unavailable: ${(error as Error).message}`);
    });
    return this.keys;
  }

  private async discover(): Promise<KeyResolver> {
    let jwksUrl = this.settings.jwksUrl;
    if (!jwksUrl) {
      const response = await fetch(`${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      jwksUrl = ((await response.json()) as { jwks_uri?: string }).jwks_uri;
      if (!jwksUrl) throw new Error('discovery document has no jwks_uri');
    }
    return createRemoteJWKSet(new URL(jwksUrl), {
      cooldownDuration: this.settings.keyRefreshCooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  /** Re-reads the key file when it changes, so a rotated development key works at once. */
  private async developmentKeys(): Promise<KeyResolver> {
    const file = this.settings.developmentKeysFile;
    const version = existsSync(file) ? statSync(file).mtimeMs : -1;
    if (!this.keys || version !== this.developmentKeysVersion) {
      this.developmentKeysVersion = version;
      // A key taken out of the file must stop being honoured at once, cached tokens included.
      this.verified.clear();
      this.keys = Promise.resolve(createLocalJWKSet({ keys: readDevelopmentKeys(file).map(publicPart) }));
    }
    return this.keys;
  }
}

/**
 * Tokens whose signature and claims were checked, for up to five minutes. A user's token is sent
 * with every request for its whole life, and checking its ES256 signature again each time was an
 * eighth of the alerting service's time on a manager's alert list. Only the exact token string hits;
 * expiry and not-before are checked again on every use. Five minutes is within the ten for which
 * the provider's key set is itself cached, so a key the provider withdraws stops being honoured no
 * later than it already did.
 */
class VerifiedTokens {
  private static readonly MAX_AGE_MS = 5 * 60_000;
  private static readonly MAX_ENTRIES = 10_000;
  private readonly entries = new Map<string, { principal: Principal; notBeforeMs: number; expiresMs: number; rememberedMs: number }>();

  get(token: string, nowMs: number, clockSkewSeconds: number): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    const skewMs = clockSkewSeconds * 1000;
    if (nowMs - entry.rememberedMs > VerifiedTokens.MAX_AGE_MS || nowMs >= entry.expiresMs + skewMs || nowMs < entry.notBeforeMs - skewMs) {
      this.entries.delete(token);
      return undefined;
    }
    return copyOf(entry.principal);
  }

  remember(token: string, principal: Principal, payload: JWTPayload, nowMs: number) {
    // The oldest entry goes first: a Map keeps insertion order.
    if (this.entries.size >= VerifiedTokens.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { principal, notBeforeMs: (payload.nbf ?? 0) * 1000, expiresMs: payload.exp! * 1000, rememberedMs: nowMs });
  }

  clear() {
    this.entries.clear();
  }
}

/** Each request gets its own principal, so nothing one request does to it reaches another. */
function copyOf(principal: Principal): Principal {
  return { ...principal, teamIds: [...principal.teamIds], roles: [...principal.roles], scopes: [...principal.scopes] };
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ERR_JWT_EXPIRED') return 'token has expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return `token claim rejected: ${(error as Error).message}`;
  if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'token signature is not trusted';
  return `token rejected: ${(error as Error).message}`;
}

function principalFrom(payload: JWTPayload): Principal {
  const claims = payload as JWTPayload & { council?: unknown; teams?: unknown; roles?: unknown; scope?: unknown };
  if (typeof claims.council !== 'string' || !claims.council) throw new AuthenticationError('token has no council claim');
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role)) : [];
  const teamIds = Array.isArray(claims.teams) ? claims.teams.filter((team): team is string => typeof team === 'string') : [];
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  return { subject: payload.sub!, kind: roles.includes('service') ? 'service' : 'user', councilId: claims.council, teamIds, roles, scopes };
}

interface DevelopmentKeyFile {
  keys: JWK[];
}

function readDevelopmentKeys(file: string): JWK[] {
  if (!existsSync(file)) throw new AuthenticationError(`no development keys at ${file}; mint a token first (npm run token)`);
  return (JSON.parse(readFileSync(file, 'utf8')) as DevelopmentKeyFile).keys;
}

function publicPart(key: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicKey } = key;
  return publicKey;
}

/** First keys being written, per file: concurrent first mints must sign with one key, not one each. */
const creatingFirstKey = new Map<string, Promise<JWK>>();

/** Creates the development signing key if there is none; `rotate` adds a new current key. */
export async function ensureDevelopmentKey(file: string, rotate = false): Promise<JWK> {
  const existing = existsSync(file) ? readDevelopmentKeys(file) : [];
  if (existing.length && !rotate) return existing[existing.length - 1];
  if (!existing.length) {
    // Two mints at once used to make a key each, the second file overwriting the first: a token signed
    // with the lost key was refused for good (seen as every test of a fresh clone's first file failing with 401).
    const pending = creatingFirstKey.get(file) ?? createFirstKey(file).finally(() => creatingFirstKey.delete(file));
    creatingFirstKey.set(file, pending);
    return pending;
  }
  const jwk = await newDevelopmentKey();
  writeFileSync(file, JSON.stringify({ keys: [...existing, jwk] }, null, 2), { mode: 0o600 });
  return jwk;
}

/** Writes the first key only if no other process wrote one meanwhile; otherwise signs with theirs. */
async function createFirstKey(file: string): Promise<JWK> {
  const jwk = await newDevelopmentKey();
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, JSON.stringify({ keys: [jwk] }, null, 2), { mode: 0o600, flag: 'wx' });
    return jwk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const keys = readDevelopmentKeys(file);
    return keys[keys.length - 1];
  }
}

async function newDevelopmentKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

export interface TokenClaims {
  subject: string;
  councilId: string;
  roles: Role[];
  teamIds?: string[];
  scopes?: string[];
}

/** Signs a token with the current development key (demo, tests and local use only). */
export async function mintDevelopmentToken(
  settings: Pick<AuthSettings, 'issuer' | 'audience' | 'developmentKeysFile'>,
  claims: TokenClaims,
  options: { expiresInSeconds?: number; issuedAt?: number } = {},
): Promise<string> {
  const jwk = await ensureDevelopmentKey(settings.developmentKeysFile);
  const key = await importJWK(jwk, 'ES256');
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    council: claims.councilId,
    roles: claims.roles,
    teams: claims.teamIds ?? [],
    ...(claims.scopes?.length ? { scope: claims.scopes.join(' ') } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
    .setSubject(claims.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 8 * 3600))
    .sign(key);
}
