import { BadRequestException, ConflictException, UnprocessableEntityException } from '@nestjs/common';

export function invalidFields(fields: { field: string; message: string }[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: 'validation failed',
    fields: fields.map(({ field, message }) => ({ field, messages: [message] })),
  });
}

/** 409 naming the state the record is in, so the caller knows what is possible instead. */
export function wrongStage(stage: string, message: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, currentStage: stage, ...extra });
}

export function refusedByLaw(message: string, extra: Record<string, unknown>): UnprocessableEntityException {
  return new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message, ...extra });
}
