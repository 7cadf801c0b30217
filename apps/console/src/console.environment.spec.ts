import { ConfigurationError } from '@plo/platform';
import { loadConsoleEnvironment } from './console.environment';

describe('the console configuration', () => {
  it('signs in with the demo personas over plain HTTP in local development', () => {
    const env = loadConsoleEnvironment({});
    expect(env.SIGN_IN).toBe('development');
    expect(env.SECURE_COOKIES).toBe(false);
  });

  it('refuses development sign-in in production, as the APIs refuse development tokens', () => {
    expect(() => loadConsoleEnvironment({ NODE_ENV: 'production', SIGN_IN: 'development' })).toThrow(/SIGN_IN must be oidc/);
  });

  it('needs the identity provider and client when signing in with OpenID', () => {
    expect(() => loadConsoleEnvironment({ SIGN_IN: 'oidc' })).toThrow(ConfigurationError);
    expect(() => loadConsoleEnvironment({ SIGN_IN: 'oidc', OIDC_ISSUER: 'http://idp.example/realms/x', OIDC_CLIENT_ID: 'c' })).toThrow(
      /OIDC_ISSUER must be an https URL/,
    );
    const env = loadConsoleEnvironment({ SIGN_IN: 'oidc', OIDC_ISSUER: 'https://idp.example/realms/x', OIDC_CLIENT_ID: 'console' });
    expect(env.OIDC_CLIENT_ID).toBe('console');
  });

  it('makes cookies Secure everywhere but local development, and insists on it in production', () => {
    expect(loadConsoleEnvironment({ NODE_ENV: 'test' }).SECURE_COOKIES).toBe(true);
    expect(() =>
      loadConsoleEnvironment({
        NODE_ENV: 'production',
        SIGN_IN: 'oidc',
        OIDC_ISSUER: 'https://idp.example/realms/x',
        OIDC_CLIENT_ID: 'console',
        SECURE_COOKIES: 'false',
      }),
    ).toThrow(/SECURE_COOKIES must be on/);
  });

  it('refuses service addresses over plain HTTP in production, except on this machine', () => {
    const production = { NODE_ENV: 'production', SIGN_IN: 'oidc', OIDC_ISSUER: 'https://idp.example/realms/x', OIDC_CLIENT_ID: 'console' };
    expect(() => loadConsoleEnvironment({ ...production, CASES_URL: 'http://cases.internal:3001' })).toThrow(
      /CASES_URL: must be an https URL in production/,
    );
    expect(loadConsoleEnvironment({ ...production, CASES_URL: 'http://127.0.0.1:3001' }).CASES_URL).toBe('http://127.0.0.1:3001');
    expect(loadConsoleEnvironment({ CASES_URL: 'http://cases:3001' }).CASES_URL).toBe('http://cases:3001');
    expect(() => loadConsoleEnvironment({ CASES_URL: 'ftp://cases' })).toThrow(/CASES_URL must be an http\(s\) URL/);
  });
});
