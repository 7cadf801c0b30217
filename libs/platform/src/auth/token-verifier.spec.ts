import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError, ensureDevelopmentKey, mintDevelopmentToken, TokenVerifier } from './token-verifier';

describe('TokenVerifier (development keys)', () => {
  const settings = {
    mode: 'development' as const,
    issuer: 'urn:plo:dev-issuer',
    audience: 'plo-api',
    clockSkewSeconds: 60,
    developmentKeysFile: join(mkdtempSync(join(tmpdir(), 'plo-auth-')), 'keys.json'),
  };
  const verifier = new TokenVerifier(settings);
  const claims = { subject: 'tm.sam', councilId: 'bury', roles: ['team-manager' as const], teamIds: ['north-1'] };

  it('turns a valid token into a principal', async () => {
    const token = await mintDevelopmentToken(settings, claims);
    await expect(verifier.verify(token)).resolves.toEqual({
      subject: 'tm.sam',
      kind: 'user',
      councilId: 'bury',
      teamIds: ['north-1'],
      roles: ['team-manager'],
      scopes: [],
    });
  });

  it('signs tokens minted at once, before any key exists, with one key that it trusts', async () => {
    const fresh = { ...settings, developmentKeysFile: join(mkdtempSync(join(tmpdir(), 'plo-auth-')), 'keys.json') };
    const tokens = await Promise.all(Array.from({ length: 8 }, () => mintDevelopmentToken(fresh, claims)));
    const freshVerifier = new TokenVerifier(fresh);
    for (const token of tokens) await expect(freshVerifier.verify(token)).resolves.toMatchObject({ subject: 'tm.sam' });
  });

  it('reads a service principal’s scopes', async () => {
    const token = await mintDevelopmentToken(settings, {
      subject: 'court-listing',
      councilId: 'bury',
      roles: ['service'],
      scopes: ['hearings:write', 'timetable:read'],
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({ kind: 'service', scopes: ['hearings:write', 'timetable:read'] });
  });

  it('keeps the platform-operator role a token carries', async () => {
    const token = await mintDevelopmentToken(settings, { subject: 'ops.kim', councilId: 'platform', roles: ['platform-operator'] });
    await expect(verifier.verify(token)).resolves.toMatchObject({ kind: 'user', roles: ['platform-operator'] });
  });

  it('refuses an expired token, beyond the allowed clock skew', async () => {
    const issuedAt = Math.floor(Date.now() / 1000) - 3600;
    const token = await mintDevelopmentToken(settings, claims, { issuedAt, expiresInSeconds: 3600 - 61 });
    await expect(verifier.verify(token)).rejects.toThrow(new AuthenticationError('token has expired'));
  });

  it('accepts a token that expired within the allowed clock skew', async () => {
    const issuedAt = Math.floor(Date.now() / 1000) - 3600;
    const token = await mintDevelopmentToken(settings, claims, { issuedAt, expiresInSeconds: 3600 - 30 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'tm.sam' });
  });

  it('refuses a token for another audience or issuer', async () => {
    const otherAudience = await mintDevelopmentToken({ ...settings, audience: 'someone-else' }, claims);
    await expect(verifier.verify(otherAudience)).rejects.toThrow(/claim rejected/);
    const otherIssuer = await mintDevelopmentToken({ ...settings, issuer: 'urn:elsewhere' }, claims);
    await expect(verifier.verify(otherIssuer)).rejects.toThrow(/claim rejected/);
  });

  it('refuses a token signed by a key it does not trust', async () => {
    const stranger = { ...settings, developmentKeysFile: join(mkdtempSync(join(tmpdir(), 'plo-auth-')), 'keys.json') };
    await expect(verifier.verify(await mintDevelopmentToken(stranger, claims))).rejects.toThrow(/not trusted/);
  });

  it('trusts a rotated key without a restart, and still the old one', async () => {
    const before = await mintDevelopmentToken(settings, claims);
    await new Promise((resolve) => setTimeout(resolve, 20)); // a new modification time
    await ensureDevelopmentKey(settings.developmentKeysFile, true);
    const after = await mintDevelopmentToken(settings, claims);
    await expect(verifier.verify(after)).resolves.toMatchObject({ subject: 'tm.sam' });
    await expect(verifier.verify(before)).resolves.toMatchObject({ subject: 'tm.sam' });
  });

  it('refuses a token without a council', async () => {
    await expect(verifier.verify(await mintDevelopmentToken(settings, { ...claims, councilId: '' }))).rejects.toThrow(/council/);
  });

  describe('a token it has verified before', () => {
    const fresh = () => ({ ...settings, developmentKeysFile: join(mkdtempSync(join(tmpdir(), 'plo-auth-')), 'keys.json') });
    afterEach(() => jest.useRealTimers());

    it('is refused once it expires, beyond the allowed clock skew', async () => {
      const own = fresh();
      const verifier = new TokenVerifier(own);
      const token = await mintDevelopmentToken(own, claims, { expiresInSeconds: 120 });
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'tm.sam' });
      jest.useFakeTimers({ now: Date.now() + (120 + 30) * 1000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'tm.sam' });
      jest.setSystemTime(Date.now() + 31 * 1000);
      await expect(verifier.verify(token)).rejects.toThrow(new AuthenticationError('token has expired'));
    });

    it('is refused at once when its key is taken out of the key file', async () => {
      const own = fresh();
      const verifier = new TokenVerifier(own);
      const token = await mintDevelopmentToken(own, claims);
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'tm.sam' });
      const replacement = fresh();
      await ensureDevelopmentKey(replacement.developmentKeysFile);
      await new Promise((resolve) => setTimeout(resolve, 20)); // a new modification time
      copyFileSync(replacement.developmentKeysFile, own.developmentKeysFile);
      await expect(verifier.verify(token)).rejects.toThrow(/not trusted/);
    });

    it('does not vouch for a tampered copy of it', async () => {
      const token = await mintDevelopmentToken(settings, claims);
      await expect(verifier.verify(token)).resolves.toMatchObject({ roles: ['team-manager'] });
      const [header, payload, signature] = token.split('.');
      const raised = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['administrator'] }),
      ).toString('base64url');
      await expect(verifier.verify(`${header}.${raised}.${signature}`)).rejects.toThrow(/not trusted/);
    });

    it('gives each request its own principal', async () => {
      const token = await mintDevelopmentToken(settings, claims);
      for (let i = 0; i < 2; i += 1) (await verifier.verify(token)).teamIds.push('south-2');
      await expect(verifier.verify(token)).resolves.toMatchObject({ teamIds: ['north-1'] });
    });
  });
});
