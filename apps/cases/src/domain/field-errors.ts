import { BadRequestException } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Rules that need the stored case (a visit type allowed for the child's legal status, a date not
 * before the case opened…) answer in the same shape as the validation pipe, every field named.
 */
export function assertNoFieldProblems(problems: readonly (FieldProblem | undefined | false)[]): void {
  const found = problems.filter((p): p is FieldProblem => Boolean(p));
  if (found.length === 0) return;
  const fields = new Map<string, string[]>();
  for (const { field, message } of found) fields.set(field, [...(fields.get(field) ?? []), message]);
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: 'validation failed',
    fields: [...fields].map(([field, messages]) => ({ field, messages })),
  });
}

/** A problem when `date` is before `earliest` (ISO dates compare as text). */
export function notBefore(field: string, date: string | undefined, earliest: string, what: string): FieldProblem | undefined {
  return date !== undefined && date < earliest ? { field, message: `${field} ${date} is before ${what} (${earliest})` } : undefined;
}

/** A problem when `date` is after today: what is recorded here has already happened. */
export function notFuture(field: string, date: string | undefined, today: string): FieldProblem | undefined {
  return date !== undefined && date > today ? { field, message: `${field} ${date} is in the future (today is ${today}); record it once it has happened` } : undefined;
}
