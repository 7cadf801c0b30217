import { BadRequestException, ConflictException, UnprocessableEntityException } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/** 400 in the validation pipe's shape: every failing field named, with its messages. */
export function invalidFields(problems: readonly FieldProblem[]): BadRequestException {
  const fields = new Map<string, string[]>();
  for (const { field, message } of problems) fields.set(field, [...(fields.get(field) ?? []), message]);
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: 'validation failed',
    fields: [...fields].map(([field, messages]) => ({ field, messages })),
  });
}

/**
 * Rules that need stored state (a visit type allowed for the child's legal status, a date not before
 * the case opened…) answer in the same shape as the validation pipe, every field named.
 */
export function assertNoFieldProblems(problems: readonly (FieldProblem | undefined | false)[]): void {
  const found = problems.filter((p): p is FieldProblem => Boolean(p));
  if (found.length) throw invalidFields(found);
}

/** A problem when `date` is before `earliest` (ISO dates compare as text). */
export function notBefore(field: string, date: string | undefined, earliest: string, what: string): FieldProblem | undefined {
  return date !== undefined && date < earliest ? { field, message: `${field} ${date} is before ${what} (${earliest})` } : undefined;
}

/** A problem when `date` is after today: what is recorded here has already happened. */
export function notFuture(field: string, date: string | undefined, today: string): FieldProblem | undefined {
  return date !== undefined && date > today
    ? { field, message: `${field} ${date} is in the future (today is ${today}); record it once it has happened` }
    : undefined;
}

/**
 * 422 in the validation pipe's shape, every field named: the request is well formed but contradicts
 * what is recorded or what the rules ask of it (a child's status that clashes with another, an action
 * that is not SMART, a supervision of another case).
 */
export function assertNoContradictions(problems: readonly (FieldProblem | undefined | false)[]): void {
  const found = problems.filter((p): p is FieldProblem => Boolean(p));
  if (!found.length) return;
  throw new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: found.map((p) => p.message).join('; '),
    fields: found.map(({ field, message }) => ({ field, messages: [message] })),
  });
}

/** 409 naming the state the record is in, so the caller knows what is possible instead. */
export function wrongStage(stage: string, message: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, currentStage: stage, ...extra });
}

/** 422: well-formed, but the law does not allow it (an extension beyond s.32(8), say); `extra` says what would be. */
export function refusedByLaw(message: string, extra: Record<string, unknown>): UnprocessableEntityException {
  return new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message, ...extra });
}
