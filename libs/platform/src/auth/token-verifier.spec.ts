import { mkdtempSync } from 'node:fs';
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
    await expect(verifier.verify(token)).resolves.toEqual({ subject: 'tm.sam', kind: 'user', councilId: 'bury', teamIds: ['north-1'], roles: ['team-manager'], scopes: [] });
  });

  it('reads a service principal’s scopes', async () => {
    const token = await mintDevelopmentToken(settings, { subject: 'court-listing', councilId: 'bury', roles: ['service'], scopes: ['hearings:write', 'timetable:read'] });
    await expect(verifier.verify(token)).resolves.toMatchObject({ kind: 'service', scopes: ['hearings:write', 'timetable:read'] });
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
});
