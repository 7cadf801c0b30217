import { ConflictException, UnprocessableEntityException } from '@nestjs/common';

/** 409 naming the field whose value clashes with what is recorded (a child already in the proceedings, say). */
export function conflictingField(field: string, message: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, fields: [{ field, messages: [message] }], ...extra });
}

/** 422 naming the field: well-formed, but it names what the proceedings cannot take (a child not of the case, say). */
export function unprocessableField(field: string, message: string): UnprocessableEntityException {
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message,
    fields: [{ field, messages: [message] }],
  });
}
