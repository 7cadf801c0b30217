import { decodeJwt } from 'jose';
import { developmentRealm, discover, oidcLogin, requireIdentityProvider, ServiceProcess, signInAtProvider, TestStack } from '@plo/testing';
import { newCase, request } from './api';

/**
 * The services trust a real OpenID provider: the development Keycloak (scripts/keycloak.sh, realm
 * deploy/keycloak/plo-realm.json) signs people in through the console's client with the authorisation
 * code flow and PKCE, and the cases service accepts its access tokens and scopes what each person sees
 * by the claims Keycloak puts in them. Any loopback port is a valid callback, as the console will use.
 */
describe('Keycloak tokens at the services', () => {
  const realm = developmentRealm('http://127.0.0.1:45871/auth/callback');
  const stack = new TestStack();
  let cases: ServiceProcess;
  const tokens: Record<string, string> = {};
  const signIn = async (username: string) => (await oidcLogin(realm, { username, password: realm.personaPassword })).accessToken;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  let northOne: { id: string };
  let northTwo: { id: string };

  beforeAll(async () => {
    await requireIdentityProvider(realm.issuer);
    cases = await stack.service('cases', { AUTH_MODE: 'oidc', AUTH_ISSUER: realm.issuer, AUTH_AUDIENCE: 'plo-api' }).start();
    for (const person of ['sw.alex', 'tm.sam', 'law.kim', 'sm.jo', 'sw.pat', 'tm.lee']) tokens[person] = await signIn(person);
    const open = async (manager: string, teamId: string) => {
      const opened = await request(
        'POST',
        `${cases.url}/cases`,
        newCase({ councilId: 'demo-council', teamId, allocatedWorkerId: 'sw.alex', teamManagerId: manager, legalStatus: 'child-in-need' }),
        as(tokens[manager]),
      );
      expect(opened.status).toBe(201);
      return opened.body as { id: string };
    };
    northOne = await open('tm.sam', 'north-1');
    // Allocated across teams: only the token's subject can let sw.alex see it.
    northTwo = await open('tm.lee', 'north-2');
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  it('issues access tokens carrying the person id, council, teams, roles and the services’ audience', () => {
    const claims = (person: string) => decodeJwt(tokens[person]);
    expect(claims('sw.alex')).toMatchObject({
      iss: realm.issuer,
      sub: 'sw.alex',
      council: 'demo-council',
      teams: ['north-1'],
      roles: ['social-worker'],
    });
    expect([claims('sw.alex').aud].flat()).toContain('plo-api');
    expect(claims('sm.jo')).toMatchObject({ sub: 'sm.jo', teams: ['north-1', 'north-2'], roles: ['service-manager'] });
    expect(claims('tm.lee')).toMatchObject({ sub: 'tm.lee', teams: ['north-2'], roles: ['team-manager'] });
    expect(claims('law.kim')).toMatchObject({ sub: 'law.kim', council: 'demo-council', roles: ['legal'] });
    expect(claims('law.kim').teams).toBeUndefined();
    // Five minutes: the console refreshes rather than holding long-lived tokens.
    const { iat, exp } = claims('sw.alex');
    expect(exp! - iat!).toBe(300);
  });

  it('accepts a Keycloak token and refuses one whose claims were altered', async () => {
    const list = await request('GET', `${cases.url}/cases?councilId=demo-council`, undefined, as(tokens['sw.alex']));
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id).sort()).toEqual([northOne.id, northTwo.id].sort());

    // sw.pat's own token, rewritten to claim north-1: the signature no longer matches.
    const [header, payload, signature] = tokens['sw.pat'].split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, teams: ['north-1'] })).toString('base64url'), signature].join('.');
    expect((await request('GET', `${cases.url}/cases/${northOne.id}`, undefined, as(forged))).status).toBe(401);
    expect((await request('GET', `${cases.url}/cases/${northOne.id}`, undefined, as(tokens['sw.pat']))).status).toBe(404);
  });

  it('scopes each person to their teams and allocations, as Keycloak’s claims say', async () => {
    const status = async (person: string, caseId: string) =>
      (await request('GET', `${cases.url}/cases/${caseId}`, undefined, as(tokens[person]))).status;
    expect(await status('sw.alex', northOne.id)).toBe(200);
    expect(await status('sw.alex', northTwo.id)).toBe(200); // allocated to him: the subject is his person id
    expect(await status('sw.pat', northOne.id)).toBe(404); // another team's case does not exist for her
    expect(await status('sw.pat', northTwo.id)).toBe(200);
    expect(await status('tm.sam', northTwo.id)).toBe(404);
    expect(await status('sm.jo', northOne.id)).toBe(200);
    expect(await status('sm.jo', northTwo.id)).toBe(200);
    expect(await status('law.kim', northOne.id)).toBe(404); // legal sees a case only once PLO involves it

    const openForOtherTeam = await request(
      'POST',
      `${cases.url}/cases`,
      newCase({ councilId: 'demo-council', teamId: 'north-2' }),
      as(tokens['tm.sam']),
    );
    expect(openForOtherTeam.status).toBe(403);
    const openAsLegal = await request('POST', `${cases.url}/cases`, newCase({ councilId: 'demo-council' }), as(tokens['law.kim']));
    expect(openAsLegal.status).toBe(403);
  });

  it('keeps a signed-in person signed in: a refreshed access token is accepted too', async () => {
    const first = await oidcLogin(realm, { username: 'sw.alex', password: realm.personaPassword });
    const { token_endpoint } = await discover(realm.issuer);
    const refreshed = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first.refreshToken,
        client_id: realm.clientId,
        client_secret: realm.clientSecret,
      }),
    });
    expect(refreshed.status).toBe(200);
    const accessToken = ((await refreshed.json()) as { access_token: string }).access_token;
    expect(accessToken).not.toBe(first.accessToken);
    expect((await request('GET', `${cases.url}/cases/${northOne.id}`, undefined, as(accessToken))).status).toBe(200);
  });

  it('lets the console’s client sign people in only by the code flow with PKCE, to a loopback callback', async () => {
    const { authorization_endpoint, token_endpoint } = await discover(realm.issuer);
    const password = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'sw.alex',
        password: realm.personaPassword,
        client_id: realm.clientId,
        client_secret: realm.clientSecret,
        scope: 'openid',
      }),
    });
    expect(password.status).toBe(400);
    expect(((await password.json()) as { error: string }).error).toBe('unauthorized_client');

    const authorize = (redirectUri: string, pkce: boolean) =>
      `${authorization_endpoint}?${new URLSearchParams({
        client_id: realm.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid',
        state: 'state-1',
        ...(pkce ? { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' } : {}),
      })}`;
    const credentials = { username: 'sw.alex', password: realm.personaPassword };
    const withoutPkce = await signInAtProvider(authorize('http://localhost:3000/auth/callback', false), credentials);
    expect(withoutPkce.searchParams.get('error')).toBe('invalid_request');
    expect(withoutPkce.searchParams.get('code')).toBeNull();
    await expect(signInAtProvider(authorize('http://127.0.0.1:3000/elsewhere', true), credentials)).rejects.toThrow(/redirect_uri/);
    await expect(signInAtProvider(authorize('http://console.example/auth/callback', true), credentials)).rejects.toThrow(/redirect_uri/);
    await expect(oidcLogin(realm, { username: 'sw.alex', password: 'not-the-password' })).rejects.toThrow(/Invalid username or password/);
  });
});
