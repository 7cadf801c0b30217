import { BadRequestException, Body, Controller, Get, Header, NotFoundException, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ConsoleEnvironment } from '../console.environment';
import { OpenPage, type ConsoleRequest } from '../http/console-request';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie';
import type { Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { SignInFailed } from './oidc-client';
import { PERSONAS } from './personas';
import { personFromToken, SignInService } from './sign-in.service';

/** Only a path on this site: never `//elsewhere` or a full URL (an open redirect). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : '/';
}

@Controller()
@OpenPage()
export class SignInController {
  constructor(
    private readonly env: ConsoleEnvironment,
    private readonly signIn: SignInService,
    private readonly sessions: SessionStore,
    private readonly dataSource: DataSource,
  ) {}

  private async anonymousSession(request: ConsoleRequest, response: Response): Promise<Session> {
    if (request.consoleSession) return request.consoleSession;
    const session = await this.sessions.create();
    setSessionCookie(response, this.env, session);
    request.consoleSession = session;
    return session;
  }

  @Get('sign-in')
  @Header('cache-control', 'no-store')
  async signInPage(@Req() request: ConsoleRequest, @Res() response: Response, @Query('returnTo') returnTo?: string): Promise<void> {
    const session = await this.anonymousSession(request, response);
    if (this.signIn.oidc) {
      const { pending, redirectTo } = await this.signIn.oidc.begin(safeReturnPath(returnTo));
      await this.sessions.rememberSignIn(session, pending);
      response.redirect(303, redirectTo);
      return;
    }
    response.render('pages/sign-in.njk', { personas: PERSONAS, csrfToken: session.csrfToken, returnTo: safeReturnPath(returnTo) });
  }

  /** Development only: sign in as a demo persona. */
  @Post('sign-in')
  async signInAsPersona(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Body() body: { persona?: string; returnTo?: string },
  ): Promise<void> {
    if (!this.signIn.developmentSignIn) throw new NotFoundException();
    const persona = typeof body.persona === 'string' ? this.signIn.persona(body.persona) : undefined;
    if (!persona) {
      response.status(400).render('pages/sign-in.njk', {
        personas: PERSONAS,
        csrfToken: request.consoleSession!.csrfToken,
        returnTo: safeReturnPath(body.returnTo),
        error: 'Select who to sign in as',
      });
      return;
    }
    const tokens = await this.signIn.developmentTokens(persona);
    const session = await this.sessions.signIn(
      request.consoleSession,
      { ...personFromToken(tokens.accessToken), name: persona.name },
      tokens,
    );
    setSessionCookie(response, this.env, session);
    response.redirect(303, safeReturnPath(body.returnTo));
  }

  @Get('auth/callback')
  @Header('cache-control', 'no-store')
  async callback(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query() query: { code?: string; state?: string; error?: string },
  ): Promise<void> {
    if (!this.signIn.oidc) throw new NotFoundException();
    const pending = request.consoleSession?.signIn;
    try {
      const tokens = await this.signIn.oidc.complete(pending, query);
      const session = await this.sessions.signIn(request.consoleSession, personFromToken(tokens.accessToken), tokens);
      setSessionCookie(response, this.env, session);
      response.redirect(303, safeReturnPath(pending?.returnTo));
    } catch (error) {
      if (!(error instanceof SignInFailed)) throw error;
      throw new BadRequestException(`Sign-in did not complete: ${error.message}. Try signing in again.`);
    }
  }

  @Post('sign-out')
  async signOut(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    const session = request.consoleSession;
    if (session) await this.sessions.end(session.id);
    clearSessionCookie(response, this.env);
    const providerSignOut = this.signIn.oidc
      ? await this.signIn.oidc.signOutUrl(session?.tokens?.idToken).catch(() => undefined)
      : undefined;
    response.redirect(303, providerSignOut ?? '/signed-out');
  }

  @Get('signed-out')
  signedOut(@Res() response: Response): void {
    response.render('pages/signed-out.njk', {});
  }

  @Get('health')
  async health(): Promise<{ status: string }> {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }
}
