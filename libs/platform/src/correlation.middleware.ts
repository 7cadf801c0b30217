import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runWithContext } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accepts a caller's correlation id (so a court system can trace its request) or starts one. */
export function correlationMiddleware(request: Request, response: Response, next: NextFunction) {
  const given = request.header('x-correlation-id');
  const correlationId = given && UUID.test(given) ? given.toLowerCase() : randomUUID();
  response.setHeader('x-correlation-id', correlationId);
  runWithContext({ correlationId }, next);
}
