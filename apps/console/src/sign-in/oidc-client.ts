import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { PendingSignIn, Tokens } from '../sessions/session';

interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported?: string[];
}

interface TokenResponse {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  token_type?: string;
}

export class SignInFailed extends Error {}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * The authorisation code flow with PKCE (RFC 7636, S256), against whatever provider the issuer's
 * discovery document describes. The browser only ever carries the code; the tokens are fetched and
 * kept on the server.
 */
export class OidcClient {
  private metadata?: Promise<ProviderMetadata>;
  private keys?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: OidcSettings) {}

  private provider(): Promise<ProviderMetadata> {
    this.metadata ??= (async () => {
      const url = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new SignInFailed(`the identity provider's discovery document answered ${response.status}`);
      const metadata = (await response.json()) as ProviderMetadata;
      if (metadata.issuer !== this.settings.issuer) throw new SignInFailed(`the discovery document names issuer ${metadata.issuer}`);
      if (metadata.code_challenge_methods_supported && !metadata.code_challenge_methods_supported.includes('S256'))
        throw new SignInFailed('the identity provider does not support PKCE with S256');
      return metadata;
    })().catch((error) => {
      // A provider that was down at the first sign-in must not stay unusable.
      this.metadata = undefined;
      throw error;
    });
    return this.metadata;
  }

  /** A new sign-in: what to remember in the session, and where to send the browser. */
  async begin(returnTo: string): Promise<{ pending: PendingSignIn; redirectTo: string }> {
    const provider = await this.provider();
    const pending: PendingSignIn = {
      state: base64url(randomBytes(24)),
      nonce: base64url(randomBytes(24)),
      codeVerifier: base64url(randomBytes(48)),
      returnTo,
    };
    const url = new URL(provider.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: base64url(createHash('sha256').update(pending.codeVerifier).digest()),
      code_challenge_method: 'S256',
    }).toString();
    return { pending, redirectTo: url.toString() };
  }

  /** The provider's redirect back: checks it answers our own sign-in, then redeems the code. */
  async complete(pending: PendingSignIn | undefined, query: { code?: string; state?: string; error?: string }): Promise<Tokens> {
    if (query.error) throw new SignInFailed(`the identity provider refused the sign-in (${query.error})`);
    if (!pending || !query.state || query.state !== pending.state)
      throw new SignInFailed('this sign-in was not started here, or has expired');
    if (!query.code) throw new SignInFailed('the identity provider sent no authorisation code');
    const tokens = await this.tokenRequest({
      grant_type: 'authorization_code',
      code: query.code,
      redirect_uri: this.settings.redirectUri,
      code_verifier: pending.codeVerifier,
    });
    if (!tokens.idToken) throw new SignInFailed('the identity provider sent no ID token');
    const provider = await this.provider();
    this.keys ??= createRemoteJWKSet(new URL(provider.jwks_uri));
    const { payload } = await jwtVerify(tokens.idToken, this.keys, { issuer: provider.issuer, audience: this.settings.clientId }).catch(
      (error: Error) => {
        throw new SignInFailed(`the ID token was not valid: ${error.message}`);
      },
    );
    if (payload.nonce !== pending.nonce) throw new SignInFailed('the ID token answers another sign-in');
    return tokens;
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const tokens = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
    return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
  }

  /** Where to send the browser so the provider ends its own session too. */
  async signOutUrl(idToken: string | undefined): Promise<string | undefined> {
    const provider = await this.provider();
    if (!provider.end_session_endpoint) return undefined;
    const url = new URL(provider.end_session_endpoint);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('post_logout_redirect_uri', this.settings.postLogoutRedirectUri);
    if (idToken) url.searchParams.set('id_token_hint', idToken);
    return url.toString();
  }

  private async tokenRequest(parameters: Record<string, string>): Promise<Tokens> {
    const provider = await this.provider();
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const body = new URLSearchParams(parameters);
    if (this.settings.clientSecret) {
      const credentials = `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    } else {
      body.set('client_id', this.settings.clientId);
    }
    const response = await fetch(provider.token_endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    const json = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string; error_description?: string };
    if (!response.ok || !json.access_token)
      throw new SignInFailed(
        `the identity provider refused the token request (${json.error ?? response.status}${json.error_description ? `: ${json.error_description}` : ''})`,
      );
    const expiresIn = json.expires_in ?? Math.max(0, (decodeJwt(json.access_token).exp ?? 0) - Math.floor(Date.now() / 1000));
    return {
      accessToken: json.access_token,
      accessExpiresAt: new Date(Date.now() + expiresIn * 1000),
      refreshToken: json.refresh_token,
      idToken: json.id_token,
    };
  }
}
