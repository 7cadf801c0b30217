import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentContext } from '../request-context';
import { PRINCIPAL, PUBLIC_ROUTE, REQUIRED_ROLES, REQUIRED_SCOPES } from './access.decorators';
import { Principal, Role } from './principal';
import { AuditTrail, auditedRoute, routeOf } from './audit';
import { RateLimiter } from './rate-limiter';
import { AuthenticationError, TokenVerifier } from './token-verifier';

/**
 * Every route is closed unless it says who may use it: @Public(), @Roles(…) for people, @Scopes(…)
 * for systems. A route that says nothing is refused to everyone (fail closed), so a forgotten
 * decorator cannot expose children's data.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & { [PRINCIPAL]?: Principal }>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      await this.limit(`ip:${request.ip}`, response);
      return true;
    }
    const header = request.headers.authorization ?? '';
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header)?.[1];
    if (!token) {
      await this.limit(`ip:${request.ip}`, response);
      response.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('a bearer token is required');
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      await this.limit(`ip:${request.ip}`, response);
      response.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException(error instanceof AuthenticationError ? error.message : 'token rejected');
    }
    await this.limit(`sub:${principal.councilId}:${principal.subject}`, response);
    request[PRINCIPAL] = principal;
    const context_ = currentContext();
    if (context_) context_.principal = `${principal.councilId}/${principal.subject}`;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets);
    if (!roles && !scopes) {
      this.logger.error({ msg: 'route has no access policy; refused', route: routeOf(request) });
      throw new ForbiddenException('this route has no access policy');
    }
    const byRole = principal.kind === 'user' && (roles ?? []).some((role) => principal.roles.includes(role));
    const byScope = principal.kind === 'service' && (scopes ?? []).some((scope) => principal.scopes.includes(scope));
    if (!byRole && !byScope) {
      await this.audit.recordRefusal(auditedRoute(this.reflector, context.getHandler()), request, principal, 403);
      throw new ForbiddenException('your role does not allow this');
    }
    return true;
  }

  private async limit(caller: string, response: FastifyReply) {
    const verdict = await this.limiter.take(caller);
    if (!verdict.allowed) {
      response.header('Retry-After', String(verdict.retryAfterSeconds));
      throw new HttpException({ statusCode: 429, message: 'too many requests; slow down' }, HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}
