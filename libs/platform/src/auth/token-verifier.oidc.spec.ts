import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import { TokenVerifier } from './token-verifier';

/**
 * The production path: an identity provider publishing its discovery document and key set over
 * HTTP (a real server on loopback here), RS256 and ES256 keys, and a key rotated while we run.
 */
describe('TokenVerifier against an OIDC identity provider', () => {
  let server: Server;
  let issuer: string;
  let published: JWK[] = [];
  let keyFetches = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/.well-known/openid-configuration') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      } else if (request.url === '/keys') {
        keyFetches += 1;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: published }));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function newKey(alg: 'RS256' | 'ES256', kid: string) {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    published = [...published, { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }];
    return (claims: Record<string, unknown>, audience = 'plo-api') =>
      new SignJWT({ council: 'bury', roles: ['legal'], teams: [], ...claims })
        .setProtectedHeader({ alg, kid })
        .setSubject('law.kim')
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
  }

  const verifier = () =>
    new TokenVerifier({
      mode: 'oidc',
      issuer,
      audience: 'plo-api',
      clockSkewSeconds: 30,
      developmentKeysFile: '/nonexistent',
      keyRefreshCooldownMs: 0,
    });

  it('verifies RS256 and ES256 tokens found through discovery', async () => {
    const signRs = await newKey('RS256', 'rsa-1');
    const signEs = await newKey('ES256', 'ec-1');
    const tokens = verifier();
    await expect(tokens.verify(await signRs({}))).resolves.toMatchObject({ subject: 'law.kim', councilId: 'bury', roles: ['legal'] });
    await expect(tokens.verify(await signEs({}))).resolves.toMatchObject({ subject: 'law.kim' });
  });

  it('accepts a key the provider rotates in while running, without a restart', async () => {
    const tokens = verifier();
    const signOld = await newKey('RS256', 'rsa-before');
    await tokens.verify(await signOld({}));
    const fetchesBefore = keyFetches;
    const signNew = await newKey('RS256', 'rsa-after');
    await expect(tokens.verify(await signNew({}))).resolves.toMatchObject({ subject: 'law.kim' });
    expect(keyFetches).toBeGreaterThan(fetchesBefore);
  });

  it('refuses a token signed with a key the provider does not publish, or for another audience', async () => {
    const tokens = verifier();
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ council: 'bury', roles: ['administrator'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('intruder')
      .setIssuer(issuer)
      .setAudience('plo-api')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(tokens.verify(forged)).rejects.toThrow(/not trusted/);
    const sign = await newKey('ES256', 'ec-aud');
    await expect(tokens.verify(await sign({}, 'another-api'))).rejects.toThrow(/claim rejected/);
  });

  it('says the provider is unavailable when discovery fails', async () => {
    const tokens = new TokenVerifier({
      mode: 'oidc',
      issuer: `${issuer}/nowhere`,
      audience: 'plo-api',
      clockSkewSeconds: 30,
      developmentKeysFile: '/nonexistent',
    });
    await expect(tokens.verify('a.b.c')).rejects.toThrow(/identity provider unavailable/);
  });
});
