import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentSession } from '../http/console-request';
import type { SignedInSession } from '../sessions/session';

/** Where a person starts: the page for the work they do. */
export function startPage(roles: readonly string[]): string {
  if (roles.includes('team-manager') || roles.includes('social-worker')) return '/team';
  if (roles.includes('service-manager')) return '/service';
  if (roles.includes('legal')) return '/legal';
  return '/kpis';
}

@Controller()
export class HomeController {
  @Get()
  home(@CurrentSession() session: SignedInSession, @Res() response: Response): void {
    response.redirect(303, startPage(session.person.roles));
  }
}
