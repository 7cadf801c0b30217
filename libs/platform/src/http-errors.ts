import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { currentContext } from './request-context';

export interface FieldError {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Unknown properties are refused (not silently dropped) and every failing field is named, so a
 * caller can fix the whole request at once.
 */
export function strictValidationPipe() {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'validation failed', fields: flatten(errors) }),
  });
}

/** Errors leave as JSON with the correlation id; a 5xx never carries a stack trace or SQL. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const correlationId = currentContext()?.correlationId;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (isFastifyError(exception.cause)) {
        // Fastify refused the body before any route saw it; its words name neither the limit nor the fix.
        const request = host.switchToHttp().getRequest<FastifyRequest>();
        const message = bodyRefusal(exception.cause.code, request.routeOptions?.bodyLimit) ?? exception.message;
        afterTheBody(request.raw, response, () => response.status(status).send({ statusCode: status, message, correlationId }));
        return;
      }
      const body = exception.getResponse();
      const payload = typeof body === 'string' ? { statusCode: status, message: body } : body;
      response.status(status).send({ ...(payload as object), correlationId });
      return;
    }
    if (isUniqueViolation(exception)) {
      // Two requests raced to create the same thing; the loser learns it exists, not that we broke.
      response
        .status(HttpStatus.CONFLICT)
        .send({ statusCode: 409, message: 'a record with the same identity already exists', correlationId });
      return;
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .send({ statusCode: 500, message: 'internal error; quote the correlation id when reporting it', correlationId });
  }
}

function bodyRefusal(code: string, limitBytes: number | undefined): string | undefined {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `request body is too large: this route takes at most ${limitBytes === undefined ? 'its limit' : formatBytes(limitBytes)}`;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'request body is not valid JSON';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'request body is not as long as its Content-Length says';
    default:
      return undefined;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${Math.round(bytes / 1024)} kB`;
}

/** Read and discarded at most, after a refused body, before the refusal goes out on a closing connection. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;
const MAX_DISCARD_MS = 10_000;

/**
 * Fastify refuses a body over the limit as soon as it sees the Content-Length, before reading any of
 * it. Answering then, while the client is still sending, and closing the connection under it, made
 * some clients (Node's fetch among them) report a failed request instead of the 413. So the rest of
 * the body is read and discarded first, as Express's body parser did. A client that keeps sending
 * past 64 MB or 10 s gets its answer on a connection that then closes.
 */
function afterTheBody(request: IncomingMessage, reply: FastifyReply, answer: () => void) {
  if (request.complete || request.readableEnded || request.destroyed) return answer();
  let discarded = 0;
  let answered = false;
  const finish = (closing: boolean) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    request.removeListener('data', onData);
    if (closing) reply.header('connection', 'close');
    answer();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) finish(true);
  };
  const timer = setTimeout(() => finish(true), MAX_DISCARD_MS);
  request.on('data', onData);
  request.once('end', () => finish(false));
  request.once('error', () => finish(true));
  request.once('close', () => finish(true));
  request.resume();
}

/** What Fastify's content-type parsers reject a body with (too large, not JSON, length mismatch). */
function isFastifyError(error: unknown): error is { code: string } {
  return error instanceof Error && error.name === 'FastifyError' && String((error as { code?: unknown }).code).startsWith('FST_ERR_CTP_');
}

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string } };
  return (candidate?.driverError?.code ?? candidate?.code) === '23505';
}
