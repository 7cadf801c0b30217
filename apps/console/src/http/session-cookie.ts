import type { Response } from 'express';
import type { ConsoleEnvironment } from '../console.environment';
import type { Session } from '../sessions/session';

/**
 * `__Host-` binds the cookie to this origin (Secure, path /, no Domain). SameSite=Lax, not Strict:
 * the identity provider's redirect back to /auth/callback is a cross-site navigation that must
 * carry it. Lax still keeps it off every cross-site POST, and every form also carries a CSRF token.
 */
export function sessionCookieName(env: ConsoleEnvironment): string {
  return env.SECURE_COOKIES ? '__Host-plo-console' : 'plo-console';
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return decodeURIComponent(part.slice(separator + 1).trim());
  }
  return undefined;
}

export function setSessionCookie(response: Response, env: ConsoleEnvironment, session: Session): void {
  response.cookie(sessionCookieName(env), session.id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env.SECURE_COOKIES,
    path: '/',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(response: Response, env: ConsoleEnvironment): void {
  response.clearCookie(sessionCookieName(env), { httpOnly: true, sameSite: 'lax', secure: env.SECURE_COOKIES, path: '/' });
}
