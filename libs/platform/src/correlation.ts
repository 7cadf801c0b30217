import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { runWithContext } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accepts a caller's correlation id (so a court system can trace its request) or starts one, and runs the rest of the request in its context. */
export function correlate(given: string | string[] | undefined, response: ServerResponse, next: () => void) {
  const correlationId = typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID();
  response.setHeader('x-correlation-id', correlationId);
  runWithContext({ correlationId }, next);
}
