import { applyDecorators, Param, ParseUUIDPipe, ForbiddenException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiPropertyOptional,
  ApiResponse,
} from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@plo/platform';
import { etagOf } from '../domain/concurrency';

export { IDENTIFIER } from '@plo/platform';

/** Case data may be created only in the caller's own council and, below administrator, own teams (OWASP API3). */
export function assertMayWriteFor(principal: Principal, councilId: string, teamId?: string) {
  if (councilId !== principal.councilId) throw new ForbiddenException('you cannot record data for another council');
  if (teamId !== undefined && !principal.roles.includes('administrator') && !principal.teamIds.includes(teamId)) {
    throw new ForbiddenException(`you are not a member of team ${teamId}`);
  }
}

/** The most children one record may name: well past any sibling group, short of a payload built to exhaust. */
export const MAX_CHILDREN = 20;

/**
 * Some of the case's children, by id: a record about part of a sibling group. Optional where
 * leaving it out means a default the description states; whether each is on the case is checked
 * by the service, which alone knows the case.
 */
export function SomeChildIds(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], format: 'uuid', description }),
    IsOptional(),
    IsArray(),
    ArrayNotEmpty(),
    ArrayMaxSize(MAX_CHILDREN),
    ArrayUnique(),
    IsUUID(undefined, { each: true }),
  );
}

/**
 * Documents a write without If-Match (the record is appended to, or ends once): the refusals it can
 * answer with. `unknown` names what a 404 may be about; `conflict` what a 409 means for it.
 */
export function ApiAppendWrite(unknown: string, conflict = 'The case is closed') {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`; nothing is written' }),
    ApiNotFoundResponse({ description: `Unknown ${unknown}` }),
    ApiConflictResponse({ description: conflict }),
  );
}

/** Sends the record's version as its ETag, for the caller's next If-Match. */
export function withETag<T extends { version: number }>(response: FastifyReply, body: T): T {
  response.header('ETag', etagOf(body.version));
  return body;
}

/** The response header that carries the version of what was read or written, for the caller's next If-Match. */
export const ETAG_HEADER = { ETag: { description: 'The version, to send back as If-Match', schema: { type: 'string', example: '"3"' } } };

/** Documents a write: its If-Match rule and the errors every write can answer with. */
export function ApiWrite(ifMatch: 'required' | 'optional', record = 'case') {
  return applyDecorators(
    // Named as the handlers read it (`@Headers('if-match')`), so the document has one If-Match, not two.
    ApiHeader({
      name: 'if-match',
      required: ifMatch === 'required',
      description:
        ifMatch === 'required'
          ? `The ETag of the ${record} you read. Missing → 428; stale → 412 with the current version.`
          : `Optional: the ETag of the ${record} you read; if sent and stale → 412.`,
    }),
    ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`; nothing is written' }),
    ApiNotFoundResponse({ description: `Unknown ${record}` }),
    ApiConflictResponse({ description: 'Impossible in the current state (e.g. case closed); the message names it' }),
    ApiResponse({ status: 412, description: `Stale If-Match: the ${record} changed since it was read` }),
    ...(ifMatch === 'required' ? [ApiResponse({ status: 428, description: 'If-Match is required' })] : []),
  );
}

/** The case a route is about, from its path: a UUID, or 400 naming `caseId`. */
export const caseIdParam = () => Param('caseId', new ParseUUIDPipe());
