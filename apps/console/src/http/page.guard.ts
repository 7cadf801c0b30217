import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { isSignedIn } from '../sessions/session';
import { OPEN_PAGE, type ConsoleRequest } from './console-request';

export class SignInRequired extends Error {
  constructor(readonly returnTo: string) {
    super('sign in required');
  }
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Every page needs a signed-in session, and every form post the session's CSRF token
 * (the synchroniser token pattern: a hidden `_csrf` field that another site cannot read).
 */
@Injectable()
export class PageGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const open = this.reflector.getAllAndOverride<boolean>(OPEN_PAGE, [context.getHandler(), context.getClass()]);
    if (!open && !isSignedIn(request.consoleSession)) throw new SignInRequired(request.method === 'GET' ? request.originalUrl : '/');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const sent = typeof request.body?._csrf === 'string' ? request.body._csrf : '';
      const expected = request.consoleSession?.csrfToken;
      if (!expected || !sameText(sent, expected))
        throw new ForbiddenException('The form had expired. Go back, reload the page and try again.');
    }
    return true;
  }
}
