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
import type { Response } from 'express';
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
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = currentContext()?.correlationId;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const payload = typeof body === 'string' ? { statusCode: status, message: body } : body;
      response.status(status).json({ ...(payload as object), correlationId });
      return;
    }
    if (isUniqueViolation(exception)) {
      // Two requests raced to create the same thing; the loser learns it exists, not that we broke.
      response
        .status(HttpStatus.CONFLICT)
        .json({ statusCode: 409, message: 'a record with the same identity already exists', correlationId });
      return;
    }
    if (isBodyParserError(exception)) {
      const status = exception.status;
      const message = status === 413 ? 'request body is too large' : 'request body is not valid JSON';
      response.status(status).json({ statusCode: status, message, correlationId });
      return;
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ statusCode: 500, message: 'internal error; quote the correlation id when reporting it', correlationId });
  }
}

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string } };
  return (candidate?.driverError?.code ?? candidate?.code) === '23505';
}

function isBodyParserError(error: unknown): error is { status: number; type: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    'status' in error &&
    typeof (error as { status: unknown }).status === 'number'
  );
}
