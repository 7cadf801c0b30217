import {
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  NestInterceptor,
  Query,
  SetMetadata,
  HttpException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { Observable, catchError, from, mergeMap, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { storableText } from '../hostile-input';
import { currentContext } from '../request-context';
import { CurrentPrincipal, PRINCIPAL, Roles } from './access.decorators';
import type { Principal } from './principal';

/** The ICO's categories of processing (its logging model for special-category data). */
export const AUDIT_ACTIONS = ['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const AUDITED = 'plo:audited';

export interface AuditedRoute {
  action: AuditAction;
  resourceType: string;
  /** Route parameter naming the record, e.g. `caseId`; lists and searches have none. */
  idParam?: string;
}

/** Marks a route that touches case or child data: every call writes one audit row. */
export const Audited = (action: AuditAction, resourceType: string, idParam?: string) =>
  SetMetadata(AUDITED, { action, resourceType, idParam } satisfies AuditedRoute);

/** The audit declaration of a route, if it has one. */
export function auditedRoute(reflector: Reflector, handler: Function): AuditedRoute | undefined {
  return reflector.get<AuditedRoute | undefined>(AUDITED, handler);
}

export interface AuditEntry {
  principal: Principal;
  action: AuditAction;
  resourceType: string;
  resourceId?: string;
  route: string;
  status: number;
}

/** One request against one audited route, as the audit row records it. */
function auditEntry(route: AuditedRoute, request: Request, principal: Principal, status: number): AuditEntry {
  return {
    principal,
    action: route.action,
    resourceType: route.resourceType,
    resourceId: route.idParam ? String(request.params[route.idParam] ?? '') || undefined : undefined,
    route: `${request.method} ${request.route?.path ?? request.path}`,
    status,
  };
}

@Injectable()
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  /** A refused attempt on an audited route is recorded too, with the status it got. */
  async recordRefusal(route: AuditedRoute | undefined, request: Request, principal: Principal, status: number): Promise<void> {
    if (route) await this.record(auditEntry(route, request, principal, status));
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (council_id, subject, principal_kind, roles, action, resource_type, resource_id, route, status, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      // A refused request is audited too, with whatever it carried made storable.
      [
        entry.principal.councilId,
        entry.principal.subject,
        entry.principal.kind,
        entry.principal.roles,
        entry.action,
        entry.resourceType,
        entry.resourceId === undefined ? null : storableText(entry.resourceId),
        storableText(entry.route),
        entry.status,
        currentContext()?.correlationId ?? null,
      ],
    );
  }
}

/**
 * Writes the audit row before the response leaves, for successes and refusals alike, so a reader can
 * never see data whose access was not recorded.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly trail: AuditTrail,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const audited = auditedRoute(this.reflector, context.getHandler());
    const request = context.switchToHttp().getRequest<Request & { [PRINCIPAL]?: Principal }>();
    const principal = request[PRINCIPAL];
    if (!audited || !principal) return next.handle();
    const entry = (status: number) => auditEntry(audited, request, principal, status);
    return next.handle().pipe(
      mergeMap((body) => from(this.trail.record(entry(context.switchToHttp().getResponse<Response>().statusCode)).then(() => body))),
      catchError((error) =>
        from(this.trail.record(entry(error instanceof HttpException ? error.getStatus() : 500))).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}

export class AuditQueryDto {
  @IsOptional() @IsString() @MaxLength(200) subject?: string;
  @IsOptional() @IsString() @MaxLength(64) resourceType?: string;
  @IsOptional() @IsString() @MaxLength(200) resourceId?: string;
  @IsOptional() @IsIn(AUDIT_ACTIONS) action?: AuditAction;
  @IsOptional() @IsUUID() correlationId?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

@ApiTags('operations')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('administrator')
  @ApiOperation({ summary: 'Who accessed what, when (administrators; own council only)' })
  async query(@Query() filter: AuditQueryDto, @CurrentPrincipal() principal: Principal) {
    const parameters: unknown[] = [principal.councilId];
    const conditions = ['council_id = $1'];
    const add = (sql: string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql.replace('?', `$${parameters.length}`));
    };
    if (filter.subject) add('subject = ?', filter.subject);
    if (filter.resourceType) add('resource_type = ?', filter.resourceType);
    if (filter.resourceId) add('resource_id = ?', filter.resourceId);
    if (filter.action) add('action = ?', filter.action);
    if (filter.correlationId) add('correlation_id = ?', filter.correlationId);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    parameters.push(filter.limit ?? 100);
    return this.dataSource.query(
      `SELECT id::text, at, council_id AS "councilId", subject, principal_kind AS "principalKind", roles, action,
              resource_type AS "resourceType", resource_id AS "resourceId", route, status, correlation_id AS "correlationId"
         FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${parameters.length}`,
      parameters,
    );
  }
}
