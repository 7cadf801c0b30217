import { SignJWT } from 'jose';
import { safeReturnPath } from './sign-in.controller';
import { personFromToken } from './sign-in.service';

describe('returning after sign-in', () => {
  it.each(['/team', '/cases/abc?tab=timeline', '/kpis.csv?from=2026-01-01'])('goes back to %s on this site', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'team', '', undefined, 42, `/${'a'.repeat(600)}`])(
    'goes to the start page instead of %p',
    (value) => {
      expect(safeReturnPath(value)).toBe('/');
    },
  );
});

describe('the person a token describes', () => {
  it('takes the claims the services read, ignoring roles they do not know', async () => {
    const token = await new SignJWT({
      council: 'demo-council',
      roles: ['team-manager', 'superuser'],
      teams: ['north-1'],
      name: 'Sam Okafor',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('tm.sam')
      .sign(new TextEncoder().encode('a-secret-of-enough-length-for-hs256'));
    expect(personFromToken(token)).toEqual({
      subject: 'tm.sam',
      name: 'Sam Okafor',
      councilId: 'demo-council',
      roles: ['team-manager'],
      teamIds: ['north-1'],
    });
  });
});
