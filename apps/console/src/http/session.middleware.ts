import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { ConsoleEnvironment } from '../console.environment';
import { SessionStore } from '../sessions/session.store';
import type { ConsoleRequest } from './console-request';
import { readCookie, sessionCookieName } from './session-cookie';

/** Finds the request's session, if its cookie names a live one. */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  constructor(
    private readonly sessions: SessionStore,
    private readonly env: ConsoleEnvironment,
  ) {}

  async use(request: ConsoleRequest, _response: Response, next: NextFunction): Promise<void> {
    try {
      const id = readCookie(request.headers.cookie, sessionCookieName(this.env));
      if (id && id.length <= 100) request.consoleSession = await this.sessions.find(id);
      next();
    } catch (error) {
      next(error);
    }
  }
}
