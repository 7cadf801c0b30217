import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Session, SignedInSession } from '../sessions/session';

export interface ConsoleRequest extends Request {
  consoleSession?: Session;
}

export const OPEN_PAGE = 'console:open';

/** Reachable without signing in (the sign-in pages themselves, health, static assets). */
export const OpenPage = () => SetMetadata(OPEN_PAGE, true);

/** The signed-in session of the request (the page guard has made sure there is one). */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SignedInSession =>
    context.switchToHttp().getRequest<ConsoleRequest>().consoleSession as SignedInSession,
);
