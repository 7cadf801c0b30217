import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { hostileInput } from '../hostile-input';
import { invalidFields } from '../http-problems';
import { PRINCIPAL } from './access.decorators';
import { AuditTrail, auditedRoute } from './audit';
import type { Principal } from './principal';

/**
 * Refuses, with a 400 naming the field, what no request may carry, wherever it arrives (path, query,
 * header or body): before any guard, pipe or store touches it. It runs right after authentication,
 * so that the refusal of an audited route is audited with who made it (the audit makes the offending
 * value safe to store).
 */
@Injectable()
export class HostileInputGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & { [PRINCIPAL]?: Principal }>();
    const problems = [
      ...Object.entries(request.params ?? {}).flatMap(([name, value]) => hostileInput(value, `path.${name}`)),
      ...hostileInput(request.query ?? {}, 'query'),
      ...Object.entries(request.headers).flatMap(([name, value]) => hostileInput(value, `headers.${name}`)),
      ...hostileInput(request.body, ''),
    ].map((problem) => (problem.field ? problem : { field: 'body', message: `body ${problem.message.trimStart()}` }));
    if (!problems.length) return true;
    const principal = request[PRINCIPAL];
    if (principal) await this.audit.recordRefusal(auditedRoute(this.reflector, context.getHandler()), request, principal, 400);
    throw invalidFields(problems);
  }
}
