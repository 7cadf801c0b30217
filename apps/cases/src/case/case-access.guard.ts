import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Reflector } from '@nestjs/core';
import { AuditTrail, auditedRoute, canSeeCase, Principal, PRINCIPAL } from '@plo/platform';
import { CaseStore } from './case.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Object-level access for every route under a case (OWASP API1): the caller must be allowed to see
 * that case, else it does not exist for them (404, so its existence is not revealed either). Routes
 * under a council answer 404 to another council's staff in the same way.
 */
@Injectable()
export class CaseAccessGuard implements CanActivate {
  constructor(
    private readonly cases: CaseStore,
    private readonly reflector: Reflector,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { [PRINCIPAL]?: Principal }>();
    const principal = request[PRINCIPAL];
    if (!principal) return true; // a @Public() route; nothing to check
    const { caseId, councilId } = request.params as Record<string, string | undefined>;
    const refuse = async (what: string) => {
      await this.audit.recordRefusal(auditedRoute(this.reflector, context.getHandler()), request, principal, 404);
      return new NotFoundException(`${what} does not exist`);
    };
    if (councilId !== undefined && councilId !== principal.councilId) throw await refuse(`council ${councilId}`);
    if (caseId === undefined || !UUID.test(caseId)) return true; // the validation pipe answers a malformed id
    const row = await this.cases.accessFacts(caseId);
    if (!row || !canSeeCase(principal, row)) throw await refuse(`case ${caseId}`);
    return true;
  }
}
