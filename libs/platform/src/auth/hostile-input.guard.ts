import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
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
/** Where `@ApiConsumes` keeps a route's media types (@nestjs/swagger does not export its constants). */
const SWAGGER_API_CONSUMES = 'swagger/apiConsumes';

@Injectable()
export class HostileInputGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { [PRINCIPAL]?: Principal }>();
    this.refuseUnacceptedMediaType(request, context);
    const problems = [
      ...Object.entries((request.params as Record<string, string>) ?? {}).flatMap(([name, value]) => hostileInput(value, `path.${name}`)),
      ...hostileInput(request.query ?? {}, 'query'),
      ...Object.entries(request.headers).flatMap(([name, value]) => hostileInput(value, `headers.${name}`)),
      ...hostileInput(request.body, ''),
    ].map((problem) => (problem.field ? problem : { field: 'body', message: `body ${problem.message.trimStart()}` }));
    if (!problems.length) return true;
    const principal = request[PRINCIPAL];
    if (principal) await this.audit.recordRefusal(auditedRoute(this.reflector, context.getHandler()), request, principal, 400);
    throw invalidFields(problems);
  }

  /**
   * A body is read only in the media types its route declares (`@ApiConsumes`, JSON by default): the
   * JSON parser skips any other type, and the route would otherwise see no body at all.
   */
  private refuseUnacceptedMediaType(request: FastifyRequest, context: ExecutionContext) {
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return;
    const accepted = this.reflector.get<string[] | undefined>(SWAGGER_API_CONSUMES, context.getHandler()) ?? ['application/json'];
    const mediaType = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const json = /^application\/([a-z0-9.+-]+\+)?json$/.test(mediaType) && accepted.includes('application/json');
    if (!json && !accepted.includes(mediaType)) {
      throw new UnsupportedMediaTypeException(`send the body as ${accepted.join(' or ')}${mediaType ? `, not ${mediaType}` : ''}`);
    }
  }
}
