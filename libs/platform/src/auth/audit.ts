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
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

/** `GET /cases/:caseId`: the route's pattern, not the ids in the path, so rows group by route. */
export function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions?.url ?? request.url.split('?')[0]}`;
}

/** One request against one audited route, as the audit row records it. */
function auditEntry(route: AuditedRoute, request: FastifyRequest, principal: Principal, status: number): AuditEntry {
  return {
    principal,
    action: route.action,
    resourceType: route.resourceType,
    resourceId: route.idParam
      ? String((request.params as Record<string, string | undefined>)[route.idParam] ?? '') || undefined
      : undefined,
    route: routeOf(request),
    status,
  };
}

@Injectable()
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  /** A refused attempt on an audited route is recorded too, with the status it got. */
  async recordRefusal(route: AuditedRoute | undefined, request: FastifyRequest, principal: Principal, status: number): Promise<void> {
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
    const request = context.switchToHttp().getRequest<FastifyRequest & { [PRINCIPAL]?: Principal }>();
    const principal = request[PRINCIPAL];
    if (!audited || !principal) return next.handle();
    const entry = (status: number) => auditEntry(audited, request, principal, status);
    return next.handle().pipe(
      mergeMap((body) => from(this.trail.record(entry(context.switchToHttp().getResponse<FastifyReply>().statusCode)).then(() => body))),
      catchError((error) =>
        from(this.trail.record(entry(error instanceof HttpException ? error.getStatus() : 500))).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Only what this person or system did (the token subject)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;
  @ApiPropertyOptional({ description: 'Only accesses to this kind of record', example: 'case', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  resourceType?: string;
  @ApiPropertyOptional({ description: 'Only accesses to this record (with resourceType)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  resourceId?: string;
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, description: "Only this kind of processing (the ICO's categories)" })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the accesses of one request, as quoted from an error or a log line' })
  @IsOptional()
  @IsUUID()
  correlationId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'From this instant (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Before this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'At most this many, newest first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** One access to case or child data (or a refused attempt), as the audit log holds it. */
export class AuditEntryView {
  @ApiProperty({ description: 'Increasing with time (a decimal string: it may exceed a JSON number)', example: '1042' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() councilId: string;
  @ApiProperty({ description: 'Who: the token subject' }) subject: string;
  @ApiProperty({ enum: ['user', 'service'] }) principalKind: 'user' | 'service';
  @ApiProperty({ type: [String], description: 'The roles the token carried' }) roles: string[];
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: AuditAction;
  @ApiProperty({ example: 'case' }) resourceType: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for lists and searches' }) resourceId: string | null;
  @ApiProperty({ example: 'GET /cases/:caseId' }) route: string;
  @ApiProperty({ type: 'integer', description: 'The HTTP status the request got (refusals included)' }) status: number;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
}

@ApiTags('operations')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('administrator')
  @ApiOperation({ summary: "Search the audit log of who accessed what and when, newest first (the administrator's own council only)" })
  @ApiOkResponse({ type: [AuditEntryView] })
  async query(@Query() filter: AuditQueryDto, @CurrentPrincipal() principal: Principal): Promise<AuditEntryView[]> {
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
