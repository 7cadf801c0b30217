import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './repository-root';

/** A confidential client of the provider, as a server-rendered app holds it. */
export interface OidcClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope?: string;
}

export interface OidcTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface Credentials {
  username: string;
  password: string;
}

/** Someone the provider would not sign in, with the reason its page gave. */
export class SignInRefused extends Error {}

interface RealmFile {
  clients: { clientId: string; secret?: string }[];
  users: { username: string; credentials?: { type: string; value: string }[] }[];
}

/**
 * The development Keycloak of scripts/keycloak.sh, as the realm file in the repository defines it:
 * the console's client and the personas' shared password are read from that file, not repeated.
 * KEYCLOAK_PORT moves it, as it moves the script.
 */
export function developmentRealm(redirectUri: string): OidcClient & { personaPassword: string } {
  const realm = JSON.parse(readFileSync(join(repositoryRoot(), 'deploy', 'keycloak', 'plo-realm.json'), 'utf8')) as RealmFile;
  const consoleClient = realm.clients.find((client) => client.clientId === 'plo-console');
  const password = realm.users[0]?.credentials?.find((credential) => credential.type === 'password')?.value;
  if (!consoleClient?.secret || !password) throw new Error('deploy/keycloak/plo-realm.json has no plo-console secret or persona password');
  return {
    issuer: `http://127.0.0.1:${process.env.KEYCLOAK_PORT ?? 8180}/realms/plo`,
    clientId: consoleClient.clientId,
    clientSecret: consoleClient.secret,
    redirectUri,
    personaPassword: password,
  };
}

/** Fails with a pointer to the script when the realm does not answer (tests never skip for that). */
export async function requireIdentityProvider(issuer: string): Promise<void> {
  try {
    await discover(issuer);
  } catch (error) {
    throw new Error(
      `no identity provider answers at ${issuer} (${(error as Error).message}); run the tests with \`npm test\` or start it: scripts/keycloak.sh ensure`,
      { cause: error },
    );
  }
}

export interface ProviderEndpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export async function discover(issuer: string): Promise<ProviderEndpoints> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  return (await response.json()) as ProviderEndpoints;
}

/**
 * The whole authorisation code flow with PKCE, as a browser and a server-side app would do it between
 * them, over plain HTTP: no password grant, which the console's client does not allow.
 */
export async function oidcLogin(client: OidcClient, credentials: Credentials): Promise<OidcTokens> {
  const endpoints = await discover(client.issuer);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorization = new URL(endpoints.authorization_endpoint);
  authorization.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: client.scope ?? 'openid',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = await signInAtProvider(authorization.toString(), credentials);
  if (callback.searchParams.get('state') !== state) throw new Error(`the provider returned another state than the one sent: ${callback}`);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`the provider redirected without a code: ${callback}`);

  const response = await fetch(endpoints.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`the token endpoint refused the code (${response.status}): ${JSON.stringify(body)}`);
  return {
    accessToken: body.access_token as string,
    idToken: body.id_token as string,
    refreshToken: body.refresh_token as string,
    expiresIn: body.expires_in as number,
  };
}

/**
 * What the browser does at the provider: opens `authorizationUrl` (built by whoever starts the flow:
 * oidcLogin, or an app's own sign-in redirect), fills in Keycloak's login form, and returns the URL the
 * provider redirects back to (the callback, with `code` and `state`) without following it.
 */
export async function signInAtProvider(authorizationUrl: string, credentials: Credentials): Promise<URL> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  // The login session the form belongs to lives in these cookies.
  const cookies = page.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  // Straight back to the callback: an error the provider reports there (e.g. a missing PKCE challenge).
  if (page.status >= 300 && page.status < 400) return new URL(page.headers.get('location')!, authorizationUrl);
  const html = await page.text();
  if (page.status !== 200) throw new SignInRefused(`the provider refused the authorisation request (${page.status}): ${pageMessage(html)}`);
  const action = loginFormAction(html);
  if (!action) throw new Error(`the provider's page has no login form: ${pageMessage(html)}`);

  const submitted = await fetch(new URL(action, authorizationUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ username: credentials.username, password: credentials.password, credentialId: '' }),
  });
  const location = submitted.headers.get('location');
  if (submitted.status >= 300 && submitted.status < 400 && location) return new URL(location, action);
  throw new SignInRefused(`${credentials.username} was not signed in (${submitted.status}): ${pageMessage(await submitted.text())}`);
}

function loginFormAction(html: string): string | undefined {
  const form = html.match(/<form\b[^>]*\bid="kc-form-login"[^>]*>/)?.[0];
  const action = form?.match(/\baction="([^"]*)"/)?.[1];
  return action === undefined ? undefined : decodeEntities(action);
}

/** The error Keycloak shows (a wrong password, an invalid redirect URI), else the page's title. */
function pageMessage(html: string): string {
  const text = (pattern: RegExp) => {
    const found = html.match(pattern)?.[1];
    return found === undefined ? undefined : decodeEntities(found.replace(/<[^>]*>/g, '')).trim();
  };
  return (
    text(/<div[^>]*\bid="kc-error-message"[^>]*>([\s\S]*?)<\/div>/) ??
    text(/<div[^>]*\bid="input-error-[^"]*"[^>]*>([\s\S]*?)<\/div>/) ??
    text(/<title>([\s\S]*?)<\/title>/) ??
    'no message'
  );
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return named[name.toLowerCase()] ?? entity;
  });
}
