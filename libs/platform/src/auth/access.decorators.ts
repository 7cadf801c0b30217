import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Principal, Role } from './principal';

export const PUBLIC_ROUTE = 'plo:public';
export const REQUIRED_ROLES = 'plo:roles';
export const REQUIRED_SCOPES = 'plo:scopes';

/** No token needed (health, metrics, API docs, an iCalendar feed guarded by its own secret). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension('x-public', true));

/** People in any of these roles may call the route (object-level checks still apply). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Service principals holding any of these scopes may call the route. */
export const Scopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, scopes);

export const PRINCIPAL = Symbol('principal');

/** The authenticated caller, as the guard established it. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest()[PRINCIPAL];
});
