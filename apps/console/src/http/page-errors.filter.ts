import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { UpstreamError } from '../backend/backend';
import { ConsoleEnvironment } from '../console.environment';
import { SessionStore } from '../sessions/session.store';
import { clearSessionCookie } from './session-cookie';
import { SessionEnded } from '../sign-in/sign-in.service';
import type { ConsoleRequest } from './console-request';
import { SignInRequired } from './page.guard';

const TITLES: Record<number, string> = {
  400: 'There is a problem with what was sent',
  403: 'You cannot do that',
  404: 'Page not found',
  409: 'Someone else changed this first',
  422: 'That cannot be done',
  429: 'Too many requests',
};

/**
 * Errors as GOV.UK error pages. A service's 404 stays a 404, so a page about something the person may
 * not see looks exactly like a page that does not exist, as the APIs intend.
 */
@Catch()
@Injectable()
export class PageErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('console');

  constructor(
    private readonly sessions: SessionStore,
    private readonly env: ConsoleEnvironment,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<ConsoleRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof SignInRequired || exception instanceof SessionEnded) {
      const returnTo = exception instanceof SignInRequired ? exception.returnTo : '/';
      response.redirect(303, `/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      return;
    }
    let status = 500;
    let detail: string | undefined;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? '');
    } else if (exception instanceof UpstreamError) {
      if (exception.status === 401) {
        // Sending the person straight back to sign in would loop if the service keeps refusing the
        // identity provider's tokens; end the session and say so instead.
        if (request.consoleSession) await this.sessions.end(request.consoleSession.id);
        clearSessionCookie(response, this.env);
        response.status(401).render('pages/error.njk', {
          status: 401,
          title: 'Your sign-in was not accepted',
          detail: `The ${exception.service} service did not accept your sign-in. Sign in again; if this keeps happening, tell your system administrator.`,
          signInAgain: true,
        });
        return;
      }
      status = exception.status >= 500 ? 502 : exception.status;
      detail =
        exception.status >= 500 ? `The ${exception.service} service is not answering. Try again in a few minutes.` : exception.detail;
    }
    if (status >= 500) this.logger.error(`${request.method} ${request.originalUrl}: ${(exception as Error)?.stack ?? exception}`);
    if (status === 404) detail = undefined;
    response.status(status).render('pages/error.njk', {
      status,
      title: status >= 500 ? 'Sorry, there is a problem with the service' : (TITLES[status] ?? 'There is a problem'),
      detail: status === 500 ? 'Try again later.' : detail,
      session: request.consoleSession,
    });
  }
}
